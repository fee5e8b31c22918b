"""The feed after a load, on every worker of ``wijkwijzer serve --workers 2`` on PostgreSQL.

The server runs as in production; next to it, ``wijkwijzer load`` loads a corpus
with one approach changed. Asked on new connections (so either worker may
answer), each worker must come to give that approach first in the feed, with a
later ``updated``, and the rest as they were; never the old feed under the new tag.
"""

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.helpers.atom import A, atom_feed, corpus_file, rfc3339, slugs
from tests.helpers.servers import Server, run_cli, running_server
from tests.helpers.settings import make_settings
from wijkwijzer.config import Settings
from wijkwijzer.web.middleware.security import WORKER_HEADER

pytestmark = pytest.mark.postgres

WORKER = {"WIJKWIJZER_WORKER_HEADER": "true"}
WAIT_S = 60


@pytest.fixture
def settings(tmp_path: Path, pg_url: str) -> Settings:
    return make_settings(tmp_path, corpus_file(tmp_path / "c.yaml"), database_url=pg_url)


def feed_of_a_worker(server: Server, path: str) -> tuple[int, str, ET.Element]:
    """One request on a new connection: (worker pid, ETag, the feed, checked as Atom)."""
    response = httpx.get(server.url + path, timeout=30, headers={"Connection": "close"})
    assert response.status_code == 200, response.text
    pid = int(response.headers[WORKER_HEADER.decode()])
    return pid, response.headers["etag"], atom_feed(response.content)


def updated(feed: ET.Element) -> dict[str, datetime]:
    return {
        slug: rfc3339(entry.findtext(f"{A}updated"))
        for slug, entry in zip(slugs(feed), feed.findall(f"{A}entry"), strict=True)
    }


def every_worker(
    server: Server, path: str, done: Callable[[ET.Element], bool]
) -> dict[int, ET.Element]:
    """Ask until two different workers gave a feed that passes `done` (bounded wait)."""
    passed: dict[int, ET.Element] = {}
    deadline = time.monotonic() + WAIT_S
    while len(passed) < 2:
        assert time.monotonic() < deadline, f"niet elke worker toont de wijziging: {list(passed)}"
        pid, _, feed = feed_of_a_worker(server, path)
        if done(feed):
            passed[pid] = feed
        else:
            passed.pop(pid, None)
    return passed


class Check:
    """Has the feed the change of the second load (True), or is it the first load's feed?"""

    def __init__(self, before: dict[str, datetime]) -> None:
        self.before = before

    def __call__(self, feed: ET.Element) -> bool:
        now = updated(feed)
        if slugs(feed)[:1] != ["abcd-methode"]:
            assert now == self.before, "een half bijgewerkte feed"
            return False
        assert now["abcd-methode"] > self.before["abcd-methode"]
        assert {s: t for s, t in now.items() if s != "abcd-methode"} == {
            s: t for s, t in self.before.items() if s != "abcd-methode"
        }
        first = feed.find(f"{A}entry")
        assert first is not None
        assert first.findtext(f"{A}title") == "ABCD-methode (nieuwe versie)"
        assert rfc3339(feed.findtext(f"{A}updated")) == now["abcd-methode"]
        return True


def test_every_worker_puts_the_changed_approach_first_after_a_load(
    settings: Settings, tmp_path: Path
) -> None:
    loaded = run_cli(settings, "load")
    assert loaded.returncode == 0, loaded.stderr
    with running_server(settings, tmp_path, workers=2, env=WORKER) as server:
        before: dict[str, dict[str, datetime]] = {}
        tags: set[str] = set()
        for path in ("/feed.atom", "/feed.atom?doelgroep=alle-bewoners"):
            for pid, feed in every_worker(server, path, lambda _feed: True).items():
                before.setdefault(path, updated(feed))
                assert updated(feed) == before[path], f"worker {pid} geeft een andere feed"
            tags.add(feed_of_a_worker(server, path)[1])
        assert len(before["/feed.atom"]) == 3
        assert list(before["/feed.atom?doelgroep=alle-bewoners"]) == ["abcd-methode"]

        corpus_file(settings.corpus, change="abcd-methode")
        reloaded = run_cli(settings, "load")
        assert reloaded.returncode == 0, reloaded.stderr

        for path in ("/feed.atom", "/feed.atom?doelgroep=alle-bewoners"):
            every_worker(server, path, Check(before[path]))
            assert feed_of_a_worker(server, path)[1] not in tags  # a new tag for the new feed
        assert "Traceback" not in server.log_text()
