"""Generate a synthetic but realistic WijkWijzer corpus of N approaches (deterministic).

Everything is drawn from the real data, so the index sees the kind of text it will
hold when the catalogue grows:

* running text from a word chain (order 2, sometimes order 1) trained on the real
  corpus and the vocabulary's definitions, with field lengths sampled from the real
  fields' lengths;
* Dutch compounds made from ``data/woorden.txt`` (``wijk`` + ``budget``,
  ``gemeenschap`` + ``s`` + ``huis``) and Dutch place names, so the vocabulary keeps
  growing with the corpus as it does in real databanks;
* facet values (doelgroepen, kenmerken, werkzame elementen, vorm, categorie,
  erkenningsniveau, herkomst) from the real vocabulary codes, with the real
  corpus's frequencies (smoothed, so every code occurs), and ages for about a
  quarter of the approaches;
* unique names and slugs.

Usage: ``python bench/generate.py --count 10000 --seed 1 -o corpus.yaml``; check the
result with ``wijkwijzer validate corpus.yaml``. Needs only PyYAML.
"""

from __future__ import annotations

import argparse
import collections
import random
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
SENTENCE_END = frozenset(".!?")
NO_SPACE_BEFORE = frozenset(".,;:!?)")
NO_SPACE_AFTER = frozenset("(")
PLACES = (
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
    "Almere", "Breda", "Nijmegen", "Apeldoorn", "Arnhem", "Haarlem", "Enschede", "Amersfoort",
    "Zaanstad", "Zwolle", "Leiden", "Maastricht", "Dordrecht", "Zoetermeer", "Deventer",
    "Delft", "Heerlen", "Alkmaar", "Venlo", "Leeuwarden", "Hilversum", "Helmond", "Emmen",
    "Schiedam", "Vlaardingen", "Lelystad", "Gouda", "Hengelo", "Purmerend", "Roosendaal",
    "Oss", "Sittard", "Kerkrade", "Den Helder", "Hoorn", "Assen", "Veenendaal", "Zeist",
)  # fmt: skip
AREAS = ("Noord", "Zuid", "Oost", "West", "Centrum", "Nieuw-West", "Zuidoost", "Kanaleneiland")
NAME_NOUNS = ("aanpak", "methode", "project", "programma", "netwerk", "academie", "werkplaats")


def words_of(text: str) -> int:
    return len(text.split())


class Chain:
    """A word chain of order 2 with a fallback to order 1 (more variety)."""

    def __init__(self, texts: Sequence[str], rng: random.Random) -> None:
        self.rng = rng
        self.next2: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
        self.next1: dict[str, list[str]] = collections.defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        for text in texts:
            tokens = TOKEN.findall(text)
            if len(tokens) < 3:
                continue
            sentence_start = True
            for i in range(len(tokens) - 2):
                a, b, c = tokens[i], tokens[i + 1], tokens[i + 2]
                if sentence_start and a[0].isalpha():
                    self.starts.append((a, b))
                sentence_start = a in SENTENCE_END
                self.next2[(a, b)].append(c)
                self.next1[b].append(c)
            if tokens[-1] not in SENTENCE_END:
                self.next2[(tokens[-2], tokens[-1])].append(".")
                self.next1[tokens[-1]].append(".")

    def tokens(self, target: int) -> list[str]:
        """About `target` words, ending at a sentence end."""
        rng = self.rng
        a, b = rng.choice(self.starts)
        out = [a, b]
        count = 2
        while True:
            options = self.next2.get((a, b))
            if not options or rng.random() < 0.3:
                options = self.next1.get(b) or ["."]
            c = rng.choice(options)
            if c in SENTENCE_END:
                out.append(c)
                if count >= target:
                    return out
                a, b = rng.choice(self.starts)
                out += [a, b]
                count += 2
                continue
            out.append(c)
            if c[0].isalnum():
                count += 1
            if count >= target * 1.6:
                out.append(".")
                return out
            a, b = b, c


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.real: list[dict[str, Any]] = yaml.safe_load(
            (DATA / "approaches.yaml").read_text("utf-8")
        )["aanpakken"]
        self.vocab: dict[str, Any] = yaml.safe_load((DATA / "vocabulaire.yaml").read_text("utf-8"))
        texts = [
            a[f]
            for a in self.real
            for f in ("doel", "doelgroep", "omschrijving", "uitvoerders", "evaluatie")
            if a.get(f)
        ]
        texts += [s["omschrijving"] for a in self.real for s in a["stappen"] if s["omschrijving"]]
        texts += [n["definitie"] for n in self.vocab["erkenningsniveaus"]]
        texts += [
            t["omschrijving"]
            for kind in ("kenmerken", "werkzame_elementen")
            for t in self.vocab[kind]
            if t.get("omschrijving")
        ]
        self.chain = Chain(texts, self.rng)
        self.titles = Chain([s["titel"] for a in self.real for s in a["stappen"]], self.rng)
        words = []
        for line in (DATA / "woorden.txt").read_text("utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word.isalpha() and word.islower():
                words.append(word)
        self.heads = [w for w in words if 4 <= len(w) <= 9]
        self.tails = [w for w in words if len(w) >= 4]
        self.nouns = frozenset(self.tails)
        self.lengths = {
            f: [words_of(a[f]) for a in self.real if a.get(f)]
            for f in ("doel", "doelgroep", "omschrijving", "uitvoerders", "evaluatie")
        }
        self.names: collections.Counter[str] = collections.Counter()
        self.slugs: collections.Counter[str] = collections.Counter()
        self.this_year = date.today().year
        self.hosts = sorted(
            {
                re.sub(r"^https?://(www\.)?", "", a["bron"]["url"]).split("/", 1)[0]
                + "/"
                + (re.sub(r"^https?://[^/]+/", "", a["bron"]["url"]).split("/", 1)[0])
                for a in self.real
                if a["bron"].get("url")
            }
        )
        self.databanks = sorted(
            {a["erkenning"]["databank"] for a in self.real if a["erkenning"]["databank"]}
        )
        self.toelichtingen = sorted(
            {a["erkenning"]["toelichting"] for a in self.real if a["erkenning"]["toelichting"]}
        )

    # -- pieces -------------------------------------------------------------------------

    def weighted(self, kind: str, field: str) -> tuple[list[str], list[float]]:
        """Codes of vocabulary list `kind` with the real frequency of `field` (+1)."""
        codes = [t["code"] for t in self.vocab[kind]]
        counts: collections.Counter[str] = collections.Counter()
        for a in self.real:
            value = a
            for part in field.split("."):
                value = value[part]
            counts.update(value if isinstance(value, list) else [value])
        return codes, [counts[c] + 1.0 for c in codes]

    def pick(self, kind: str, field: str) -> str:
        codes, weights = self.weighted(kind, field)
        return self.rng.choices(codes, weights)[0]

    def pick_many(self, kind: str, field: str, lengths: Sequence[int]) -> list[str]:
        codes, weights = self.weighted(kind, field)
        n = min(self.rng.choice(lengths), len(codes))
        chosen: list[str] = []
        while len(chosen) < n:
            code = self.rng.choices(codes, weights)[0]
            if code not in chosen:
                chosen.append(code)
        return chosen

    def compound(self, tail: str | None = None) -> str:
        head = self.rng.choice(self.heads)
        tail = tail or self.rng.choice(self.tails)
        link = "s" if head[-1] not in "aeiousy" and self.rng.random() < 0.2 else ""
        return head + link + tail

    def text(self, words: int, chain: Chain | None = None) -> str:
        rng = self.rng
        out: list[str] = []
        for token in (chain or self.chain).tokens(max(3, words)):
            if token in self.nouns and rng.random() < 0.25:
                token = self.compound(token)
            elif token in ("buurt", "wijk", "stad", "gemeente") and rng.random() < 0.1:
                token = f"{token} in {rng.choice(PLACES)}"
            out.append(token)
        pieces: list[str] = []
        for token in out:
            if pieces and token not in NO_SPACE_BEFORE and pieces[-1] not in NO_SPACE_AFTER:
                pieces.append(" ")
            pieces.append(token)
        text = "".join(pieces).strip()
        return text[0].upper() + text[1:] if text else "Tekst."

    def sized(self, field: str, scale: float = 1.0) -> int:
        return max(
            3, round(self.rng.choice(self.lengths[field]) * self.rng.uniform(0.8, 1.25) * scale)
        )

    def name(self) -> str:
        rng = self.rng
        word = self.compound() if rng.random() < 0.6 else rng.choice(self.tails)
        pattern = rng.randrange(6)
        if pattern == 0:
            name = word.capitalize()
        elif pattern == 1:
            name = f"{word.capitalize()} in de {rng.choice(['wijk', 'buurt', 'straat', 'stad'])}"
        elif pattern == 2:
            name = f"{word.capitalize()} {rng.choice(PLACES)}"
        elif pattern == 3:
            name = (
                f"Samen {rng.choice(self.tails)} {rng.choice(['doen', 'maken', 'delen', 'leren'])}"
            )
        elif pattern == 4:
            name = f"{word.capitalize()}-{rng.choice(NAME_NOUNS)}"
        else:
            name = f"{rng.choice(NAME_NOUNS).capitalize()} {word.capitalize()} {rng.choice(AREAS)}"
        key = name.casefold()
        self.names[key] += 1
        if self.names[key] > 1:
            name = f"{name} {rng.choice(PLACES)} {self.names[key]}"
            self.names[name.casefold()] += 1
        return name

    def slug(self, name: str) -> str:
        folded = unicodedata.normalize("NFKD", name)
        ascii_ = "".join(c for c in folded if not unicodedata.combining(c)).lower()
        base = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:70].strip("-") or "aanpak"
        self.slugs[base] += 1
        return base if self.slugs[base] == 1 else f"{base}-{self.slugs[base]}"

    def ages(self, doelgroepen: list[str]) -> tuple[int | None, int | None]:
        rng = self.rng
        typical = {
            "kinderen": (4, 12), "jongeren": (12, 23), "ouderen": (65, None), "ouders": (18, None),
        }  # fmt: skip
        for group, (low, high) in typical.items():
            if group in doelgroepen and rng.random() < 0.5:
                return low + rng.randint(0, 2), high
        if rng.random() < 0.05:
            low = rng.randint(0, 60)
            return low, rng.choice([None, low + rng.randint(1, 30)])
        return None, None

    # -- one approach -------------------------------------------------------------------

    def aanpak(self) -> dict[str, Any]:
        rng = self.rng
        name = self.name()
        slug = self.slug(name)
        doelgroepen = self.pick_many(
            "doelgroepen", "doelgroepen", [1] * 15 + [2] * 4 + [3] * 4 + [4]
        )
        low, high = self.ages(doelgroepen)
        niveau = self.pick("erkenningsniveaus", "erkenning.niveau")
        rang = next(n["rang"] for n in self.vocab["erkenningsniveaus"] if n["code"] == niveau)
        stappen: list[dict[str, Any]] = []
        soort = None
        if rng.random() < 0.4:
            soort = rng.choice(["stappen", "fasen", "sporen"])
            prefix = {"stappen": "Stap", "fasen": "Fase", "sporen": "Spoor"}[soort]
            labelled = rng.random() < 0.8
            for i in range(1, rng.randint(2, 6) + 1):
                stappen.append(
                    {
                        "titel": self.text(rng.randint(2, 12), self.titles).rstrip("."),
                        "label": f"{prefix} {i}" if labelled else None,
                        "omschrijving": self.text(rng.randint(15, 90))
                        if rng.random() < 0.4
                        else None,
                    }
                )
        host = rng.choice(self.hosts)
        return {
            "slug": slug,
            "naam": name,
            "categorie": self.pick("categorieen", "categorie"),
            "herkomst": self.pick("bronnen", "herkomst"),
            "doel": self.text(self.sized("doel")),
            "doelgroep": self.text(self.sized("doelgroep")),
            "omschrijving": self.text(self.sized("omschrijving")),
            "uitvoerders": self.text(self.sized("uitvoerders")),
            "vorm": self.pick("vormen", "vorm"),
            "vorm_omschrijving": self.text(rng.randint(2, 14)) if rng.random() < 0.15 else None,
            "stappen": stappen,
            "stappen_soort": soort,
            "doelgroepen": doelgroepen,
            "leeftijd_min": low,
            "leeftijd_max": high,
            "kenmerken": self.pick_many("kenmerken", "kenmerken", [0] * 2 + [1] * 13 + [2] * 9),
            "werkzame_elementen": self.pick_many(
                "werkzame_elementen", "werkzame_elementen", [0] * 19 + [1] * 2 + [2] * 3
            ),
            "erkenning": {
                "niveau": niveau,
                "databank": rng.choice(self.databanks) if rang >= 1 or rng.random() < 0.5 else None,
                "jaar": rng.randint(2008, min(2024, self.this_year))
                if rang >= 1 or rng.random() < 0.2
                else None,
                "bron": f"{host}/{slug}" if rng.random() < 0.7 else None,
                "toelichting": rng.choice(self.toelichtingen) if rng.random() < 0.6 else None,
            },
            "bron": {"titel": f"{host}/{slug}", "url": f"https://www.{host}/{slug}"}
            if rng.random() < 0.9
            else {"titel": self.text(rng.randint(2, 8)).rstrip("."), "url": None},
            "evaluatie": self.text(self.sized("evaluatie")) if rng.random() < 0.08 else None,
        }


def generate(count: int, seed: int, progress: bool = True) -> list[dict[str, Any]]:
    generator = Generator(seed)
    result = []
    started = time.monotonic()
    for i in range(count):
        result.append(generator.aanpak())
        if progress and (i + 1) % 10_000 == 0:
            print(
                f"  gegenereerd: {i + 1}/{count} ({time.monotonic() - started:.0f} s)", flush=True
            )
    return result


def write(path: Path, aanpakken: list[dict[str, Any]], seed: int) -> None:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(
        {"aanpakken": aanpakken}, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100
    )
    header = (
        f"# Synthetisch corpus voor benchmarks: {len(aanpakken)} aanpakken, seed {seed}.\n"
        "# Gemaakt door bench/generate.py uit de woorden en lijsten van data/;"
        " geen echte aanpakken.\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, "utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="aantal aanpakken")
    parser.add_argument("--seed", type=int, default=1, help="seed (standaard 1)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="YAML-bestand")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count moet minstens 1 zijn")
    started = time.monotonic()
    write(args.output, generate(args.count, args.seed), args.seed)
    size = args.output.stat().st_size / 1e6
    print(
        f"{args.output}: {args.count} aanpakken, {size:.1f} MB, {time.monotonic() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
