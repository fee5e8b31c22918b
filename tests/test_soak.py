"""A bounded soak: 20,000 mixed requests from concurrent clients against uvicorn on loopback.

``uvicorn --workers 2`` serves the real corpus; 24 clients send a mix modelled on page
views (each HTML page brings its CSS, script and icon; API users revalidate with ETags):
searches with facets, details, comparisons, CSV and JSON exports, HTML pages, static
files, 404s and 304s. Every status must be the expected one, and no worker may leak:
after a warm-up of 2,000 requests (from 128 clients, so that every thread of both
workers' pools exists), the other 18,000 may add at most ``FD_BOUND`` open file
descriptors and ``RSS_BOUND_MB`` of resident memory per worker. Halfway there is a
pause longer than the idle time after which anyio retires threads from its pool, so
resources tied to threads that come and go are soaked as well. One request in ten
uses a new connection.
"""

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.helpers.servers import Server, running_server
from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus

TOTAL = 20_000
WARM_UP = 2_000
CONCURRENCY = 24
WARM_UP_CONCURRENCY = 128  # > 2 workers x anyio's 40 threads
WORKERS = 2
THREAD_IDLE_S = 11  # anyio retires worker threads idle for 10 s
FD_BOUND = 10
RSS_BOUND_MB = 50
TERMS = ["buurt", "jongeren", "ouderen+eenzaamheid", "vrijwilligers", "buurtcirkl", "samen"]
FACETS = ["doelgroep=ouderen", "doelgroep=jongeren", "erkenningsniveau=goed-onderbouwd", ""]

Request = tuple[str, bool, int]  # path, with If-None-Match, expected status


def mix(slugs: list[str], count: int, seed: int) -> list[Request]:
    """`count` requests drawn from the mix (weights per 400 requests)."""
    rng = random.Random(seed)

    def q() -> str:
        return rng.choice(TERMS)

    def two() -> str:
        a, b = rng.sample(slugs, 2)
        return f"slug={a}&slug={b}"

    makers: list[tuple[int, Callable[[], tuple[str, int]]]] = [
        (120, lambda: (rng.choice(STATIC), 200)),
        (60, lambda: ("/api/v1/approaches", 304)),
        (48, lambda: (f"/api/v1/approaches?q={q()}&{rng.choice(FACETS)}", 200)),
        (20, lambda: (f"/api/v1/approaches?{rng.choice(FACETS)}&sort=naam&page=2&per_page=5", 200)),
        (32, lambda: (f"/api/v1/approaches/{rng.choice(slugs)}", 200)),
        (8, lambda: (f"/api/v1/compare?{two()}", 200)),
        (8, lambda: (f"/api/v1/approaches.csv?q={q()}", 200)),
        (1, lambda: ("/api/v1/export.json", 200)),
        (32, lambda: (f"/?q={q()}&{rng.choice(FACETS)}", 200)),
        (16, lambda: ("/", 200)),
        (28, lambda: (f"/aanpak/{rng.choice(slugs)}", 200)),
        (8, lambda: (f"/vergelijk?{two()}", 200)),
        (8, lambda: (rng.choice(["/erkenning", "/over"]), 200)),
        (11, lambda: (rng.choice(["/aanpak/bestaat-niet", "/api/v1/approaches/nee"]), 404)),
    ]
    weights = [w for w, _ in makers]
    result = []
    for _ in range(count):
        path, status = rng.choices(makers, weights)[0][1]()
        result.append((path, status == 304, status))
    return result


STATIC = ["/static/wijkwijzer.css", "/static/wijkwijzer.js", "/static/favicon.svg"]


def usage(pid: int) -> tuple[int, float]:
    """Open file descriptors and resident memory (MB) of process `pid`."""
    fds = len(list(Path(f"/proc/{pid}/fd").iterdir()))
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return fds, rss_kb / 1024


class Client:
    """A lean HTTP/1.1 client (keep-alive or not), so the server, not the client, is soaked."""

    def __init__(self, host: str, port: int, etag: str, keep_alive: bool) -> None:
        self.host, self.port, self.keep_alive = host, port, keep_alive
        self.etag = etag.encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str, conditional: bool) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        head = [b"GET " + path.encode() + b" HTTP/1.1", b"Host: " + self.host.encode()]
        if conditional:
            head.append(b"If-None-Match: " + self.etag)
        if not self.keep_alive:
            head.append(b"Connection: close")
        writer.write(b"\r\n".join(head) + b"\r\n\r\n")
        lines = (await reader.readuntil(b"\r\n\r\n")).lower().split(b"\r\n")
        status = int(lines[0].split()[1])
        fields = dict(line.split(b": ", 1) for line in lines[1:] if b": " in line)
        if status != 304 and b"content-length" in fields:
            await reader.readexactly(int(fields[b"content-length"]))
        elif status != 304 and fields.get(b"transfer-encoding") == b"chunked":
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await reader.readexactly(size + 2)
            await reader.readuntil(b"\r\n")
        elif status != 304:
            await reader.read()
        if not self.keep_alive or fields.get(b"connection") == b"close":
            await self.close()
        return status

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            await self.streams[1].wait_closed()
            self.streams = None


async def run(
    server: Server, etag: str, batch: list[Request], concurrency: int = CONCURRENCY
) -> Counter[str]:
    """Send `batch` from `concurrency` clients; count outcomes ("ok", or what went wrong)."""
    host, port = server.url.removeprefix("http://").split(":")
    outcomes: Counter[str] = Counter()
    queue = iter(enumerate(batch))

    async def client() -> None:
        kept = Client(host, int(port), etag, keep_alive=True)
        fresh = Client(host, int(port), etag, keep_alive=False)
        for i, (path, conditional, expected) in queue:
            try:
                status = await (fresh if i % 10 == 0 else kept).get(path, conditional)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                outcomes[f"{type(exc).__name__} {path}"] += 1
                await kept.close()
                continue
            outcomes["ok" if status == expected else f"{status} {path}"] += 1
        await kept.close()

    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(concurrency))), 600)
    return outcomes


def soak(
    server: Server, etag: str, batch: list[Request], concurrency: int = CONCURRENCY
) -> Counter[str]:
    """`run` in an event loop of its own thread (the browser tests keep one in this thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(run(server, etag, batch, concurrency))).result()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("duurtest")
    # Without the response cache: it answers repeated requests on the event loop, so the
    # warm-up would not reach every thread of the pools whose resources this test soaks.
    # The cache's own bound is tested in test_caching.
    settings = make_settings(tmp, REAL_CORPUS).model_copy(update={"response_cache_mb": 0})
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with running_server(settings, tmp, kind="uvicorn", workers=WORKERS) as running:
        yield running


def test_soak_twenty_thousand_mixed_requests(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    slugs = [a.slug for a in load_corpus(REAL_CORPUS, VOCABULAIRE).aanpakken]
    etag = httpx.get(server.url + "/api/v1/approaches", timeout=30).headers["etag"]
    batch = mix(slugs, TOTAL, seed=20_000)
    half = (TOTAL + WARM_UP) // 2
    started = time.monotonic()
    outcomes = soak(server, etag, batch[:WARM_UP], WARM_UP_CONCURRENCY)
    workers = server.workers()
    assert len(workers) == WORKERS
    before = {pid: usage(pid) for pid in workers}
    outcomes += soak(server, etag, batch[WARM_UP:half])
    time.sleep(THREAD_IDLE_S)
    outcomes += soak(server, etag, batch[half:])
    after = {pid: usage(pid) for pid in workers}
    seconds = time.monotonic() - started
    with capsys.disabled():
        shown = ", ".join(
            f"worker {pid}: open bestanden {before[pid][0]} -> {after[pid][0]}, "
            f"RSS {before[pid][1]:.0f} -> {after[pid][1]:.0f} MB"
            for pid in workers
        )
        print(f"\nduurtest: {sum(outcomes.values())} verzoeken in {seconds:.0f} s; {shown}")
    assert outcomes == Counter(ok=TOTAL)
    assert server.workers() == workers  # no worker died and was replaced
    for pid in workers:
        assert after[pid][0] <= before[pid][0] + FD_BOUND, (pid, before[pid], after[pid])
        assert after[pid][1] <= before[pid][1] + RSS_BOUND_MB, (pid, before[pid], after[pid])
