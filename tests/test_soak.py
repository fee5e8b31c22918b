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

The soak runs twice: without the response cache, and with it on and small
(``CACHE_MB``), with a mix that adds thousands of distinct listings (ages, page sizes,
orders), many times what the cache holds, so it evicts all along. There a worker may
grow by at most the cache's bound and ``CACHED_RSS_SLACK_MB``. In-process, the same
mix through the app shows the ``ResponseStore`` itself: never over its byte bound,
evicting, and counting at least the bytes it keeps.
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
from fastapi.testclient import TestClient

from tests.helpers.servers import Server, running_server
from tests.helpers.settings import REAL_CORPUS, VOCABULAIRE, make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.web.app import create_app
from wijkwijzer.web.middleware.caching import ResponseStore

TOTAL = 20_000
WARM_UP = 2_000
CONCURRENCY = 24
WARM_UP_CONCURRENCY = 128  # > 2 workers x anyio's 40 threads
WORKERS = 2
THREAD_IDLE_S = 11  # anyio retires worker threads idle for 10 s
FD_BOUND = 10
RSS_BOUND_MB = 50
CACHE_MB = 4
CACHED_RSS_SLACK_MB = 10
IN_PROCESS = 1_500
IN_PROCESS_CACHE_MB = 0.5
SORTS = ["relevantie", "naam", "erkenningsniveau", "geldig_tot"]
TERMS = ["buurt", "jongeren", "ouderen+eenzaamheid", "vrijwilligers", "buurtcirkl", "samen"]
FACETS = ["doelgroep=ouderen", "doelgroep=jongeren", "erkenningsniveau=goed-onderbouwd", ""]

EVIL = b"evil.example"
POISONED = ["/over", "/api/v1/approaches?per_page=1", "/api/v1/approaches.csv"]
# path, what else the request carries ("etag": If-None-Match; "evil": a second Host,
# EVIL, before the real one), expected status
Request = tuple[str, str, int]


def mix(slugs: list[str], count: int, seed: int, distinct: bool = False) -> list[Request]:
    """`count` requests drawn from the mix (weights per 400 requests). `distinct` adds 60
    listings that seldom repeat (10,920 API and 43,680 HTML variants) and 4 attempts
    to poison the cache with a second Host."""
    rng = random.Random(seed)

    def q() -> str:
        return rng.choice(TERMS)

    def age() -> int:
        return rng.randrange(120)

    def size() -> int:
        return rng.randrange(10, 101)

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
    if distinct:
        makers += [
            (30, lambda: (f"/api/v1/approaches?leeftijd={age()}&per_page={size()}", 200)),
            (30, lambda: (f"/?leeftijd={age()}&per_page={size()}&sort={rng.choice(SORTS)}", 200)),
            (4, lambda: (rng.choice(POISONED), 400)),
        ]
    weights = [w for w, _ in makers]
    result = []
    kinds = {304: "etag", 400: "evil"}
    for _ in range(count):
        path, status = rng.choices(makers, weights)[0][1]()
        result.append((path, kinds.get(status, ""), status))
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

    async def get(self, path: str, kind: str) -> tuple[int, bytes]:
        """The status and (unless 304) the body of ``GET path``, with what `kind` adds."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        host = f"{self.host}:{self.port}".encode()
        head = [b"GET " + path.encode() + b" HTTP/1.1", b"Host: " + host]
        if kind == "evil":
            head.insert(1, b"Host: " + EVIL)
        if kind == "etag":
            head.append(b"If-None-Match: " + self.etag)
        if not self.keep_alive:
            head.append(b"Connection: close")
        writer.write(b"\r\n".join(head) + b"\r\n\r\n")
        lines = (await reader.readuntil(b"\r\n\r\n")).lower().split(b"\r\n")
        status = int(lines[0].split()[1])
        fields = dict(line.split(b": ", 1) for line in lines[1:] if b": " in line)
        body = b""
        if status != 304 and b"content-length" in fields:
            body = await reader.readexactly(int(fields[b"content-length"]))
        elif status != 304 and fields.get(b"transfer-encoding") == b"chunked":
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                body += (await reader.readexactly(size + 2))[:-2]
            await reader.readuntil(b"\r\n")
        elif status != 304:
            body = await reader.read()
        if not self.keep_alive or fields.get(b"connection") == b"close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            await self.streams[1].wait_closed()
            self.streams = None


async def run(
    server: Server,
    etag: str,
    batch: list[Request],
    concurrency: int = CONCURRENCY,
    sizes: dict[str, int] | None = None,
) -> Counter[str]:
    """Send `batch` from `concurrency` clients; count outcomes ("ok", or what went wrong).

    `sizes` gets the length of each path's 200 answer."""
    host, port = server.url.removeprefix("http://").split(":")
    outcomes: Counter[str] = Counter()
    queue = iter(enumerate(batch))

    async def client() -> None:
        kept = Client(host, int(port), etag, keep_alive=True)
        fresh = Client(host, int(port), etag, keep_alive=False)
        for i, (path, kind, expected) in queue:
            try:
                status, body = await (fresh if i % 10 == 0 else kept).get(path, kind)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                outcomes[f"{type(exc).__name__} {path}"] += 1
                await kept.close()
                continue
            if sizes is not None and status == 200:
                sizes[path] = len(body)
            if EVIL in body:
                outcomes[f"vergiftigd {path}"] += 1
            else:
                outcomes["ok" if status == expected else f"{status} {path}"] += 1
        await kept.close()

    await asyncio.wait_for(asyncio.gather(*(client() for _ in range(concurrency))), 600)
    return outcomes


def soak(
    server: Server,
    etag: str,
    batch: list[Request],
    concurrency: int = CONCURRENCY,
    sizes: dict[str, int] | None = None,
) -> Counter[str]:
    """`run` in an event loop of its own thread (the browser tests keep one in this thread)."""
    with ThreadPoolExecutor(1) as pool:
        soaking = run(server, etag, batch, concurrency, sizes)
        return pool.submit(lambda: asyncio.run(soaking)).result()


@pytest.fixture(scope="module", params=[0, CACHE_MB], ids=["zonder-cache", "met-cache"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("duurtest")
    # Without the response cache: it answers repeated requests on the event loop, so the
    # warm-up would not reach every thread of the pools whose resources this test soaks.
    # With it (small, and full all along): its memory is bounded too.
    settings = make_settings(tmp, REAL_CORPUS).model_copy(
        update={"response_cache_mb": request.param}
    )
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    with running_server(settings, tmp, kind="uvicorn", workers=WORKERS) as running:
        yield running


def test_soak_twenty_thousand_mixed_requests(
    server: Server, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    cache_mb: int = request.node.callspec.params["server"]
    slugs = [a.slug for a in load_corpus(REAL_CORPUS, VOCABULAIRE).aanpakken]
    etag = httpx.get(server.url + "/api/v1/approaches", timeout=30).headers["etag"]
    batch = mix(slugs, TOTAL, seed=20_000, distinct=bool(cache_mb))
    half = (TOTAL + WARM_UP) // 2
    started = time.monotonic()
    outcomes = soak(server, etag, batch[:WARM_UP], WARM_UP_CONCURRENCY)
    workers = server.workers()
    assert len(workers) == WORKERS
    before = {pid: usage(pid) for pid in workers}
    sizes: dict[str, int] = {}
    outcomes += soak(server, etag, batch[WARM_UP:half], sizes=sizes)
    time.sleep(THREAD_IDLE_S)
    outcomes += soak(server, etag, batch[half:], sizes=sizes)
    after = {pid: usage(pid) for pid in workers}
    seconds = time.monotonic() - started
    with capsys.disabled():
        shown = ", ".join(
            f"worker {pid}: open bestanden {before[pid][0]} -> {after[pid][0]}, "
            f"RSS {before[pid][1]:.0f} -> {after[pid][1]:.0f} MB"
            for pid in workers
        )
        warm = {path for path, _, _ in batch[:WARM_UP]}
        new_mb = sum(n for path, n in sizes.items() if path not in warm) / 2**20
        print(
            f"\nduurtest (antwoordcache {cache_mb} MB; na de opwarming {len(sizes)} "
            f"verschillende antwoorden van 200, {new_mb:.0f} MB nieuw): "
            f"{sum(outcomes.values())} verzoeken in {seconds:.0f} s; {shown}"
        )
    assert outcomes == Counter(ok=TOTAL)
    assert server.workers() == workers  # no worker died and was replaced
    rss_bound = cache_mb + CACHED_RSS_SLACK_MB if cache_mb else RSS_BOUND_MB
    if cache_mb:  # a cache without its bound would keep twice what the bound lets a worker grow
        assert new_mb > 2 * WORKERS * rss_bound, new_mb
    for pid in workers:
        assert after[pid][0] <= before[pid][0] + FD_BOUND, (pid, before[pid], after[pid])
        assert after[pid][1] <= before[pid][1] + rss_bound, (pid, before[pid], after[pid])


def test_the_response_store_keeps_its_byte_bound_under_the_mix(tmp_path: Path) -> None:
    """The same mix through the app in-process: the store's own count, after every answer."""
    settings = make_settings(tmp_path, REAL_CORPUS, response_cache_mb=IN_PROCESS_CACHE_MB)
    load_catalogue(settings, load_corpus(settings.corpus, settings.vocabulaire))
    slugs = [a.slug for a in load_corpus(REAL_CORPUS, VOCABULAIRE).aanpakken]
    batch = mix(slugs, IN_PROCESS, seed=1_500, distinct=True)
    served = 0
    with TestClient(create_app(settings)) as client:
        store: ResponseStore = client.app.state.response_cache  # type: ignore[attr-defined]
        etag = client.get("/api/v1/approaches").headers["etag"]
        for path, kind, expected in batch:
            headers = [("If-None-Match", etag)] if kind == "etag" else []
            if kind == "evil":
                headers = [("Host", EVIL.decode()), ("Host", "testserver")]
            answer = client.get(path, headers=headers)
            assert EVIL not in answer.content, path
            assert answer.status_code == expected, path
            served += len(answer.content)
            assert store.size <= store.max_bytes, (path, store.size)
        entries = list(store.entries.values())
        assert sum(e.size for e in entries) == store.size
        for entry in entries:  # what is counted covers what is kept
            kept = len(entry.body) + sum(len(k) + len(v) for k, v in entry.headers)
            assert kept < entry.size <= store.max_entry_bytes
        assert store.size > store.max_bytes * 0.8  # full, and so evicting
        assert served > 10 * store.max_bytes
        assert store.hits > 0
