"""Reloads against a running server: a broken corpus changes nothing, a good one arrives whole.

The server is the real thing (``wijkwijzer serve`` on loopback, SQLite). A reload is
asked for in both documented ways: ``wijkwijzer load`` and ``kill -HUP``. After a
refused reload, the database rows, the index directory and the server's answers are
exactly as before.
"""

import copy
import hashlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import select
from sqlmodel import SQLModel

from tests.helpers.servers import Server, run_cli, running_server
from tests.helpers.settings import MINI_CORPUS, REAL_CORPUS, VOCABULAIRE, make_settings
from wijkwijzer.catalogue import loading as loader
from wijkwijzer.catalogue.loading import LOCK_FILE, load_catalogue
from wijkwijzer.catalogue.reloading import reload_catalogue
from wijkwijzer.config import Settings
from wijkwijzer.corpus.models import load_corpus
from wijkwijzer.search import activate_index
from wijkwijzer.store.database import make_engine, replace_corpus

VALID = MINI_CORPUS.read_bytes()
TEXT = VALID.decode("utf-8")

# name: (bytes to write, or None to delete the file; what the refusal must say)
BROKEN: dict[str, tuple[bytes | None, str]] = {
    "yaml-syntaxfout": (
        TEXT.replace("naam: Buurtcirkel", "naam: [Buurtcirkel").encode(),
        "(yaml): syntaxfout",
    ),
    "afgekapt": (VALID[: len(VALID) * 2 // 3], "verplicht veld ontbreekt"),
    "afgekapt-midden-in-regel": (VALID[:-12], "is het afgekapt?"),
    "verkeerde-codering": (TEXT.encode("cp1252"), "geen geldige UTF-8"),
    "schema": (
        TEXT.replace("categorie: interventie", "categorie: onzin", 1).encode(),
        "categorie: onbekende waarde 'onzin'",
    ),
    "javascript-url": (
        TEXT.replace("url: https://www.movisie.nl/", "url: javascript:alert(1)//", 1).encode(),
        "alleen http:// of https:// is toegestaan",
    ),
    "dubbele-slug": (
        TEXT.replace("slug: futsal-chabbab", "slug: buurtcirkel").encode(),
        "slug 'buurtcirkel' komt al voor",
    ),
    "leeg": (b"", "het bestand is leeg"),
    "verdwenen": (None, "kan niet lezen"),
}
REFUSED = "herladen geweigerd"
RELOADS = 8
SLOW_STEP_S = 0.5


@dataclass
class Stack:
    settings: Settings
    corpus: Path
    server: Server

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.server.url + path, timeout=30)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("herladen")
    corpus = tmp / "corpus.yaml"
    corpus.write_bytes(VALID)
    settings = make_settings(tmp, corpus)
    load_catalogue(settings, load_corpus(corpus, settings.vocabulaire))
    with running_server(settings, tmp) as server:
        yield Stack(settings, corpus, server)


def database_rows(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the load time included), in a stable order."""
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(tuple(map(str, r)) for r in connection.execute(select(table)))
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def index_files(settings: Settings) -> dict[str, str]:
    """The index directory: where `current` points, and a hash of every file."""
    root = settings.index_path
    files = {"current": os.readlink(root / "current")}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.name != LOCK_FILE:
            files[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def answers(stack: Stack) -> dict[str, str]:
    paths = ["/api/v1/approaches?per_page=100", "/api/v1/approaches?q=buurt", "/aanpak/buurtcirkel"]
    result = {}
    for path in paths:
        response = stack.get(path)
        assert response.status_code == 200, (path, response.text)
        result[path] = response.text
    return result


def without_times(found: dict[str, str]) -> dict[str, str]:
    """Answers without the times of the last change that pages show (``<time>``)."""
    time_tag = re.compile(r'<time datetime="[^"]*">[^<]*</time>')
    return {path: time_tag.sub("<time></time>", text) for path, text in found.items()}


def snapshot(stack: Stack) -> tuple[object, ...]:
    return database_rows(stack.settings), index_files(stack.settings), answers(stack)


def wait_for(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "niet binnen de tijd"
        time.sleep(0.05)


def served_version(stack: Stack) -> str:
    version: str = stack.get("/api/v1/approaches").json()["version"]
    return version


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_corpus_is_refused_and_everything_keeps_serving(stack: Stack, case: str) -> None:
    content, message = BROKEN[case]
    before = snapshot(stack)
    if content is None:
        stack.corpus.unlink()
    else:
        stack.corpus.write_bytes(content)
    try:
        # 1. the reload command
        result = run_cli(stack.settings, "load")
        assert result.returncode == 1, result.stdout
        assert message in result.stderr
        problems = result.stderr.splitlines()[:-1]
        assert problems
        assert all(p.startswith(f"{stack.corpus}:") for p in problems), problems
        assert snapshot(stack) == before
        # 2. SIGHUP to the running server
        refused = stack.server.log_text().count(REFUSED)
        os.kill(stack.server.pid, signal.SIGHUP)
        log = stack.server.wait_for_log(REFUSED, count=refused + 1)
        assert message in log.rsplit(REFUSED, 1)[1]
        assert snapshot(stack) == before
    finally:
        stack.corpus.write_bytes(VALID)


def test_good_corpus_reaches_the_server_by_sighup_and_by_load(stack: Stack) -> None:
    original = served_version(stack)
    stack.corpus.write_bytes(TEXT.replace("naam: Buurtcirkel", "naam: Buurtcirkel Plus").encode())
    try:
        os.kill(stack.server.pid, signal.SIGHUP)
        wait_for(lambda: served_version(stack) != original)
        assert stack.get("/api/v1/approaches/buurtcirkel").json()["naam"] == "Buurtcirkel Plus"
    finally:
        stack.corpus.write_bytes(VALID)
    result = run_cli(stack.settings, "load")
    assert result.returncode == 0, result.stderr
    wait_for(lambda: served_version(stack) == original)
    assert stack.get("/api/v1/approaches/buurtcirkel").json()["naam"] == "Buurtcirkel"


def test_failed_activation_keeps_the_old_version_and_the_next_load_recovers(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = answers(stack)
    files = index_files(stack.settings)
    changed = TEXT.replace("naam: Buurtcirkel", "naam: Buurtcirkel Nieuw").encode()

    def broken_activation(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    stack.corpus.write_bytes(changed)
    try:
        monkeypatch.setattr(loader, "activate_index", broken_activation)
        with pytest.raises(OSError, match="No space"):
            reload_catalogue(stack.settings)
        monkeypatch.undo()
        # the database has the new corpus, the index the old one: the server stays old
        assert answers(stack) == original
        assert index_files(stack.settings) == files  # the unused new version is gone
        new = reload_catalogue(stack.settings)
        assert new is not None
        wait_for(lambda: served_version(stack) == new.content_hash)
        assert stack.get("/api/v1/approaches/buurtcirkel").json()["naam"] == "Buurtcirkel Nieuw"
    finally:
        stack.corpus.write_bytes(VALID)
        reload_catalogue(stack.settings)
    # the first corpus again; buurtcirkel's last change is now this undo
    wait_for(lambda: without_times(answers(stack)) == without_times(original))


def test_a_corpus_changing_during_the_load_is_loaded_as_first_read(tmp_path: Path) -> None:
    """The corpus is a pipe: the first reader gets it whole; once that reader is done,
    a cut-off copy takes its place. A loader that read the file again (to hash it, to
    store it) would mix two versions; it must load the bytes it read once.
    """
    corpus = tmp_path / "corpus.yaml"
    os.mkfifo(corpus)
    settings = make_settings(tmp_path, corpus)
    stop = threading.Event()

    def feed() -> None:
        with corpus.open("wb") as pipe:  # blocks until the first reader opens the pipe
            pipe.write(VALID)
        while not stop.is_set():  # wait until that reader has closed it
            try:
                os.close(os.open(corpus, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # ENXIO: nobody reads the pipe any more
                break
            time.sleep(0.001)
        cut = tmp_path / "afgekapt.yaml"
        cut.write_bytes(VALID[: len(VALID) // 2])
        os.replace(cut, corpus)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        loaded = reload_catalogue(settings)
    finally:
        stop.set()
        if feeder.is_alive() and corpus.is_fifo():  # release a feeder still waiting in open()
            reader = os.open(corpus, os.O_RDONLY | os.O_NONBLOCK)
            feeder.join(timeout=10)
            os.close(reader)
        feeder.join(timeout=10)
    assert not feeder.is_alive()
    assert corpus.read_bytes() == VALID[: len(VALID) // 2]  # the file did change meanwhile
    assert loaded is not None
    expected = hashlib.sha256(VALID + VOCABULAIRE.read_bytes()).hexdigest()[:16]
    assert loaded.content_hash == expected
    assert [a.slug for a in loaded.aanpakken] == ["buurtcirkel", "futsal-chabbab", "abcd-methode"]
    assert len(database_rows(settings)["aanpak"]) == 3
    assert (settings.index_path / "current" / "VERSION").read_text().strip() == expected


def marked(version: str) -> bytes:
    """The real corpus plus one approach only this version has (found by 'markeerwoord')."""
    data = yaml.safe_load(REAL_CORPUS.read_text("utf-8"))
    extra = copy.deepcopy(data["aanpakken"][2])  # shared lists would be dumped as aliases
    extra.update(
        slug=f"markering-{version}",
        naam=f"Markering {version.upper()}",
        doel=f"Alleen in versie {version.upper()}: markeerwoord.",
    )
    data["aanpakken"].append(extra)
    if version == "b":
        data["aanpakken"][0]["naam"] += " B"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


@dataclass(frozen=True)
class Expected:
    slugs: list[str]
    names: list[str]


def check_complete(client: httpx.Client, expected: dict[str, Expected]) -> str:
    """One round of requests; raise AssertionError on an error or a mixed answer."""
    listing = client.get("/api/v1/approaches", params={"per_page": 100, "sort": "naam"})
    assert listing.status_code == 200, listing.text
    body = listing.json()
    want = expected[body["version"]]
    assert [i["slug"] for i in body["items"]] == want.slugs
    assert sorted(i["naam"] for i in body["items"]) == want.names
    hits = client.get("/api/v1/approaches", params={"q": "markeerwoord"}).json()
    marker = [s for s in expected[hits["version"]].slugs if s.startswith("markering-")]
    assert [i["slug"] for i in hits["items"]] == marker, hits
    page = client.get("/", params={"q": "markeerwoord"})
    assert page.status_code == 200
    # a result's link carries the search (``?q=…``)
    assert sum(bool(re.search(f'href="/aanpak/markering-{v}[?"]', page.text)) for v in "ab") == 1
    first = want.slugs[0]
    detail = client.get(f"/api/v1/approaches/{first}")
    assert detail.status_code == 200, detail.text
    version: str = body["version"]
    return version


def arrived(seen: list[str], version: str, answers: int) -> bool:
    """Have the clients seen `version` last, after `answers` answers in all?"""
    return seen[-1:] == [version] and len(seen) >= answers


def slowly(step: Callable[..., Any]) -> Callable[..., Any]:
    """`step` after a pause: a slow disk or database widens every window a reload opens."""

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(SLOW_STEP_S)
        return step(*args, **kwargs)

    return slow


def test_clients_see_only_whole_catalogues_during_repeated_reloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reloads alternate: the load command's code in this process, with a slow database
    and a slow index swap; and SIGHUP, handled by the server itself."""
    corpus = tmp_path / "corpus.yaml"
    versions = {name: marked(name) for name in "ab"}
    expected: dict[str, Expected] = {}
    for content in versions.values():
        corpus.write_bytes(content)
        parsed = load_corpus(corpus, VOCABULAIRE)
        slugs = sorted(parsed.aanpakken, key=lambda a: a.naam.casefold())
        expected[parsed.content_hash] = Expected(
            [a.slug for a in slugs], sorted(a.naam for a in parsed.aanpakken)
        )
    settings = make_settings(tmp_path, corpus)
    reload_catalogue(settings)
    stop = threading.Event()
    seen: list[str] = []
    problems: list[str] = []

    def client(server_url: str) -> None:
        with httpx.Client(base_url=server_url, timeout=30) as http:
            while not stop.is_set():
                try:
                    seen.append(check_complete(http, expected))
                except (AssertionError, httpx.HTTPError, KeyError) as exc:
                    problems.append(f"{type(exc).__name__}: {exc}")

    with running_server(settings, tmp_path) as server:
        threads = [threading.Thread(target=client, args=(server.url,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        try:
            for i in range(RELOADS):
                corpus.write_bytes(versions["ba"[i % 2]])
                loaded = load_corpus(corpus, VOCABULAIRE).content_hash
                if i % 2:
                    with monkeypatch.context() as patch:
                        patch.setattr(loader, "replace_corpus", slowly(replace_corpus))
                        patch.setattr(loader, "activate_index", slowly(activate_index))
                        reload_catalogue(settings)
                else:
                    os.kill(server.pid, signal.SIGHUP)
                wait_for(partial(arrived, seen, loaded, len(seen) + 5))
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
    assert problems == []
    assert set(seen) == set(expected)
    assert len(seen) > 50
