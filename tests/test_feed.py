"""``/feed.atom``: the catalogue's changes as Atom (RFC 4287), filtered like the list.

Real app, real database (a SQLite file and a PostgreSQL server) and index in
``tmp_path``; the corpus is loaded as ``wijkwijzer load`` loads it. The feed is
parsed as XML and checked against what RFC 4287 requires of a feed and its entries.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.atom import A, atom_feed, corpus, corpus_file, links, rfc3339, slugs
from tests.helpers.settings import make_settings
from wijkwijzer.catalogue.loading import load_catalogue
from wijkwijzer.config import Settings
from wijkwijzer.web.app import create_app

T1 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
T2 = T1 + timedelta(days=4, hours=14)  # 5 november, 23:00 UTC: 6 november in the Netherlands


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, corpus_file(tmp_path / "c.yaml"), database_url=database_url)


@pytest.fixture
def client(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    load_catalogue(settings, corpus(tmp_path), now=T1)
    with TestClient(create_app(settings)) as client:
        yield client


def parsed_feed(client: TestClient, url: str = "/feed.atom") -> ET.Element:
    """The feed at `url`, checked against the elements RFC 4287 requires (4.1.1, 4.1.2)."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    return atom_feed(response.content)


def test_the_feed_is_atom_with_every_approach_first_seen(client: TestClient) -> None:
    feed = parsed_feed(client)
    assert sorted(slugs(feed)) == ["abcd-methode", "buurtcirkel", "futsal-chabbab"]
    assert rfc3339(feed.findtext(f"{A}updated")) == T1
    assert feed.findtext(f"{A}id") == "http://testserver/feed.atom"
    (alternate,) = links(feed, "alternate")
    assert alternate.get("href") == "http://testserver/"
    entry = feed.findall(f"{A}entry")[0]
    slug = slugs(feed)[0]
    assert entry.findtext(f"{A}id") == f"http://testserver/aanpak/{slug}"
    pages = [link.get("href") for link in links(entry, "alternate")]
    assert pages == [
        f"http://testserver/aanpak/{slug}",
        f"http://testserver/api/v1/approaches/{slug}",
    ]
    assert (entry.findtext(f"{A}summary") or "").startswith("Nieuw in de catalogus op 1 november")


def test_a_changed_approach_comes_first_with_a_later_updated(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    load_catalogue(settings, corpus(tmp_path, change="abcd-methode"), now=T2)
    feed = parsed_feed(client)
    assert slugs(feed)[0] == "abcd-methode"
    first, *rest = feed.findall(f"{A}entry")
    assert rfc3339(first.findtext(f"{A}updated")) == T2
    assert {rfc3339(e.findtext(f"{A}updated")) for e in rest} == {T1}
    assert first.findtext(f"{A}title") == "ABCD-methode (nieuwe versie)"
    assert rfc3339(first.findtext(f"{A}published")) == T1
    # the Dutch date is the date in the Netherlands
    assert (first.findtext(f"{A}summary") or "").startswith("Gewijzigd op 6 november 2026.")


def test_a_removal_is_an_entry_in_the_feed_without_filters_only(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    load_catalogue(settings, corpus(tmp_path, drop="futsal-chabbab"), now=T2)
    feed = parsed_feed(client)
    assert slugs(feed)[0] == "futsal-chabbab"
    gone = feed.findall(f"{A}entry")[0]
    assert gone.findtext(f"{A}title") == "Futsal Chabbab (verwijderd)"
    assert "verwijderd" in (gone.findtext(f"{A}content") or "")
    assert links(gone, "alternate") == []  # its page is gone
    assert rfc3339(gone.findtext(f"{A}updated")) == T2
    filtered = parsed_feed(client, "/feed.atom?doelgroep=jongeren")
    assert slugs(filtered) == []
    assert "alleen in de feed zonder filters" in (filtered.findtext(f"{A}subtitle") or "")
    assert rfc3339(filtered.findtext(f"{A}updated")) == T2  # the catalogue's last change


def test_the_feed_takes_the_filters_of_the_list(client: TestClient) -> None:
    jongeren = parsed_feed(client, "/feed.atom?doelgroep=jongeren&sort=naam&page=2")
    assert slugs(jongeren) == ["futsal-chabbab"]
    assert jongeren.findtext(f"{A}id") == "http://testserver/feed.atom?doelgroep=jongeren"
    assert jongeren.findtext(f"{A}title") == "WijkWijzer: wijzigingen – Jongeren"
    (alternate,) = links(jongeren, "alternate")
    assert alternate.get("href") == "http://testserver/?doelgroep=jongeren"
    listed = client.get("/api/v1/approaches", params={"doelgroep": "alle-bewoners"}).json()
    feed = parsed_feed(client, "/feed.atom?doelgroep=alle-bewoners")
    assert slugs(feed) == [item["slug"] for item in listed["items"]] == ["abcd-methode"]
    assert slugs(parsed_feed(client, "/feed.atom?leeftijd=12&alleen_met_leeftijd=true")) == [
        "futsal-chabbab"
    ]
    # a value the page would drop is dropped, and the subtitle says so
    typo = parsed_feed(client, "/feed.atom?doelgroep=jongerren")
    assert len(slugs(typo)) == 3
    assert "jongerren" in (typo.findtext(f"{A}subtitle") or "")


def test_user_text_is_escaped_and_the_feed_stays_xml(client: TestClient) -> None:
    feed = parsed_feed(client, "/feed.atom?q=%3C%2Ftitle%3E%26%01buurtcirkel")
    assert feed.findtext(f"{A}title") == "WijkWijzer: wijzigingen – ‘</title>&buurtcirkel’"


def test_links_are_on_the_public_url(tmp_path: Path, settings: Settings) -> None:
    public = settings.model_copy(update={"public_url": "https://wijkwijzer.example.nl/catalogus"})
    load_catalogue(public, corpus(tmp_path), now=T1)
    with TestClient(create_app(public)) as client:
        feed = parsed_feed(client, "/feed.atom?doelgroep=jongeren")
    base = "https://wijkwijzer.example.nl/catalogus"
    assert feed.findtext(f"{A}id") == f"{base}/feed.atom?doelgroep=jongeren"
    assert slugs(feed) == ["futsal-chabbab"]
    assert feed.findtext(f"{A}entry/{A}id") == f"{base}/aanpak/futsal-chabbab"


def test_pages_name_their_feed(client: TestClient) -> None:
    tag = '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">'
    whole = tag.format("WijkWijzer: wijzigingen", "http://testserver/feed.atom")
    for page in ("/aanpak/buurtcirkel", "/over", "/erkenning", "/"):
        assert whole in client.get(page).text, page
    listing = client.get("/?doelgroep=jongeren&sort=naam&page=1").text
    assert (
        tag.format(
            "WijkWijzer: wijzigingen – Jongeren", "http://testserver/feed.atom?doelgroep=jongeren"
        )
        in listing
    )


def test_detail_pages_about_and_the_api_give_the_last_change(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    load_catalogue(settings, corpus(tmp_path, change="buurtcirkel"), now=T2)
    page = client.get("/aanpak/buurtcirkel").text
    moment = '<time datetime="2026-11-05T23:00:00+00:00">6 november 2026</time>'
    assert f"Laatst gewijzigd: {moment}" in page
    other = client.get("/aanpak/futsal-chabbab").text
    assert ">1 november 2026</time>" in other
    assert "laatst gewijzigd op <time" in client.get("/over").text
    assert ">6 november 2026</time>" in client.get("/over").text
    detail = client.get("/api/v1/approaches/buurtcirkel").json()
    assert rfc3339(detail["laatst_gewijzigd"]) == T2
    assert rfc3339(detail["eerst_gezien"]) == T1


def test_the_feeds_etag_follows_the_history(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    """A load that changes the history changes the tag; one of the same corpus does not, and
    a change undone (the corpus's hash is back) has a tag of its own."""
    first = client.get("/feed.atom")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=300"
    assert client.get("/feed.atom", headers={"If-None-Match": tag}).status_code == 304
    load_catalogue(settings, corpus(tmp_path), now=T2)  # the same corpus
    assert client.get("/feed.atom", headers={"If-None-Match": tag}).status_code == 304
    load_catalogue(settings, corpus(tmp_path, change="buurtcirkel"), now=T2)
    changed = client.get("/feed.atom", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert slugs(ET.fromstring(changed.content))[0] == "buurtcirkel"
    load_catalogue(settings, corpus(tmp_path), now=T2 + timedelta(hours=1))  # undone
    undone = client.get("/feed.atom", headers={"If-None-Match": tag})
    assert undone.status_code == 200
    assert undone.headers["etag"] not in (tag, changed.headers["etag"])
    feed = ET.fromstring(undone.content)
    assert slugs(feed)[0] == "buurtcirkel"
    assert feed.findtext(f"{A}entry/{A}title") == "Buurtcirkel"
