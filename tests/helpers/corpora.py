"""Corpora for tests: approaches made in code, and a corpus full of hostile input."""

from pathlib import Path
from typing import Any

import yaml

from tests.helpers.settings import MINI_CORPUS, VOCABULAIRE
from wijkwijzer.corpus.models import Aanpak, Corpus, load_vocabulaire


def aanpak(slug: str, naam: str, text: str, **extra: Any) -> Aanpak:
    record: dict[str, Any] = {
        "slug": slug,
        "naam": naam,
        "categorie": "methodische-aanpak",
        "herkomst": "wijkwijzer-2024",
        "doel": text,
        "doelgroep": "Alle bewoners van de wijk.",
        "omschrijving": text,
        "uitvoerders": "Een welzijnsorganisatie.",
        "vorm": "methodebeschrijving",
        "doelgroepen": ["alle-bewoners"],
        "erkenning": {"niveau": "onbekend"},
        "bron": {"titel": naam},
    }
    return Aanpak.model_validate(record | extra)


def small_corpus(content_hash: str, *aanpakken: Aanpak) -> Corpus:
    return Corpus(
        aanpakken=aanpakken,
        vocabulaire=load_vocabulaire(VOCABULAIRE),
        content_hash=content_hash,
    )


FORMULA = '=HYPERLINK("http://evil.example","klik")'
HOSTILE: dict[str, Any] = {
    "naam": 'Buurtcirkel <script>alert("naam")</script>',
    "doel": (
        "Deelnemers <img src=x onerror=alert(1)> gaan zelfstandiger door het leven. "
        "&lt;script&gt;alert(2)&lt;/script&gt; zelfstandiger"
    ),
    "omschrijving": (
        'Een buurtcirkel <a href="javascript:alert(3)">klik</a> "><svg onload=alert(4)>'
    ),
    "bron": {
        "titel": "<b onmouseover=alert(5)>movisie</b>",
        "url": 'https://www.movisie.nl/buurtcirkel?x="><script>alert(6)</script>',
    },
}
QUERY = '<script>alert(7)</script> zelfstandiger "><img src=x onerror=alert(8)>'


def hostile_corpus(path: Path) -> Path:
    data = yaml.safe_load(MINI_CORPUS.read_text("utf-8"))
    data["aanpakken"][0].update(HOSTILE)
    data["aanpakken"][2]["naam"] = FORMULA
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path
