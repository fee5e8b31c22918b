"""For tests of the change feed: the mini corpus with one approach changed or dropped, and
an Atom document checked against what RFC 4287 requires of a feed and its entries."""

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tests.helpers.settings import MINI_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import Corpus, load_corpus

A = "{http://www.w3.org/2005/Atom}"


def corpus_file(path: Path, change: str | None = None, drop: str | None = None) -> Path:
    """The mini corpus, with the name of `change` changed, or without approach `drop`."""
    data = yaml.safe_load(MINI_CORPUS.read_text("utf-8"))
    for record in data["aanpakken"]:
        if record["slug"] == change:
            record["naam"] += " (nieuwe versie)"
    data["aanpakken"] = [r for r in data["aanpakken"] if r["slug"] != drop]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def corpus(tmp_path: Path, change: str | None = None, drop: str | None = None) -> Corpus:
    name = f"corpus-{change}-{drop}.yaml"
    return load_corpus(corpus_file(tmp_path / name, change, drop), VOCABULAIRE)


def rfc3339(text: str | None) -> datetime:
    assert text is not None
    assert text.endswith("Z") or text[-6] in "+-", text
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert moment.tzinfo is not None
    return moment


def absolute(url: str | None) -> str:
    assert url is not None
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https"), url
    assert parts.netloc, url
    return url


def links(element: ET.Element, rel: str) -> list[ET.Element]:
    return [link for link in element.findall(f"{A}link") if link.get("rel", "alternate") == rel]


def atom_feed(content: bytes) -> ET.Element:
    """`content` parsed, checked against the elements RFC 4287 requires (4.1.1, 4.1.2)."""
    assert content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    feed = ET.fromstring(content)
    assert feed.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{name}")) == 1, name
    absolute(feed.findtext(f"{A}id"))
    rfc3339(feed.findtext(f"{A}updated"))
    feed_author = feed.find(f"{A}author")
    assert feed_author is not None
    assert feed_author.findtext(f"{A}name")
    (self_link,) = links(feed, "self")
    assert self_link.get("type") == "application/atom+xml"
    assert absolute(self_link.get("href")) == absolute(feed.findtext(f"{A}id"))
    assert [absolute(link.get("href")) for link in links(feed, "alternate")]
    entries = feed.findall(f"{A}entry")
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{name}")) == 1, name
        absolute(entry.findtext(f"{A}id"))
        rfc3339(entry.findtext(f"{A}updated"))
        assert links(entry, "alternate") or entry.find(f"{A}content") is not None
        assert entry.findtext(f"{A}summary")
    updated = [rfc3339(e.findtext(f"{A}updated")) for e in entries]
    assert updated == sorted(updated, reverse=True), "nieuwste wijziging eerst"
    if updated:
        assert rfc3339(feed.findtext(f"{A}updated")) == updated[0]
    return feed


def slugs(feed: ET.Element) -> list[str]:
    return [(e.findtext(f"{A}id") or "").rsplit("/", 1)[-1] for e in feed.findall(f"{A}entry")]
