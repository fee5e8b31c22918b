"""Word forms found with a vocabulary: compounds and diminutives.

"burenruzie" -> buren + ruzie; "pleintje" -> plein, "buurtje" -> buurt. Plain
Python, no Whoosh: ``wijkwijzer.analysis.CompoundFilter`` (the filter the index
schema pickles) holds the vocabulary and asks a ``CompoundSplitter``.
"""

from collections.abc import Set

MIN_PART_LENGTH = 4
# The few three-letter words allowed as a compound part (dagbesteding, taalles, buurman).
SHORT_PARTS = frozenset({"dag", "les", "man", "wet", "weg"})
MAX_SPLIT_LENGTH = 40
# Diminutive endings, tried in this order: huis-je, plein-tje, boom-pje, bal-letje
# (with the consonant doubled); plurals add -s.
_DIMINUTIVE_ENDINGS = ("je", "tje", "pje", "etje")
_MIN_BASE_LENGTH = 3
# Words that end like a diminutive but mean something else than their "base".
NOT_DIMINUTIVES = frozenset({"beetje", "meisje", "meisjes", "tientje", "toetje"})


class CompoundSplitter:
    """Splits words into parts that are all in `words` (already filtered for length).

    It also finds the word a diminutive stands for (``diminutive_base``).

    A non-final part may carry a linking -s- (gemeenschapshuis -> gemeenschap +
    huis) or be a plural stem without its -en (kinderopvang -> kinderen +
    opvang); -en- links need no rule because the plural is a word (jongerenwerk
    -> jongeren + werk). The split with the fewest parts wins; parts that are
    compounds are split again. A word that is itself in `words` is split too. The
    last part may be the singular of a vocabulary word (burenbemiddelaar -> buren +
    bemiddelaar, as the vocabulary has "bemiddelaars").
    """

    def __init__(self, words: Set[str]) -> None:
        self.words = words
        # The parts of the vocabulary's own words, filled as they are asked (parts
        # recur in many compounds): a table as large as the vocabulary at most.
        self._parts: dict[str, tuple[str, ...]] = {}

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of `word` (empty when it is no compound), outer parts first."""
        found = self._parts.get(word)
        if found is not None:
            return found
        parts: tuple[str, ...] = ()
        if 2 * MIN_PART_LENGTH - 1 <= len(word) <= MAX_SPLIT_LENGTH and word.isalpha():
            best = self._segment(word)
            if best:
                collected = list(best)
                for part in best:
                    collected += [p for p in self.split(part) if p not in collected]
                parts = tuple(p for p in collected if p != word)
        if word in self.words:
            self._parts[word] = parts
        return parts

    def diminutive_base(self, word: str) -> str | None:
        """The vocabulary word `word` is a diminutive of (kindjes -> kind), or None.

        Which ending applies depends on the word ("buurt-je" but "plein-tje"),
        so each is tried and the first that leaves a known word or compound wins.
        """
        if not word.endswith(("je", "jes")) or word in NOT_DIMINUTIVES:
            return None
        stem = word[:-1] if word.endswith("s") else word
        for ending in _DIMINUTIVE_ENDINGS:
            base = stem[: -len(ending)]
            if not stem.endswith(ending) or len(base) < _MIN_BASE_LENGTH:
                continue
            if ending == "etje" and len(base) > _MIN_BASE_LENGTH and base[-1] == base[-2]:
                base = base[:-1]  # balletje -> bal, mannetje -> man
            if base in self.words or self.split(base):
                return base
        return None

    def _segment(self, word: str) -> tuple[str, ...] | None:
        """The best split of `word` into vocabulary words (None when there is none)."""
        n = len(word)
        words = self.words
        tails: dict[int, tuple[str, ...] | None] = {}  # best(i, True) by i

        def best(i: int, whole_allowed: bool) -> tuple[str, ...] | None:
            if whole_allowed and i in tails:
                return tails[i]
            options: list[tuple[str, ...]] = []
            if whole_allowed and _final_part(word[i:], words):
                options.append((word[i:],))
            for j in range(i + 3, n - 2):
                # The vocabulary word a non-final part stands for: itself, without
                # a linking -s-, or a plural without its -en.
                head = word[i:j]
                if head in words:
                    form = head
                elif head[-1] == "s" and head[:-1] in words:
                    form = head[:-1]
                elif head + "en" in words:
                    form = head + "en"
                else:
                    continue
                rest = best(j, True)
                if rest:
                    options.append((form, *rest))
            found = min(options, key=_preference) if options else None
            if whole_allowed:
                tails[i] = found
            return found

        return best(0, False)


def _final_part(part: str, words: Set[str]) -> bool:
    """A last part: a vocabulary word, or the singular of one (bemiddelaar: bemiddelaars)."""
    return part in words or (
        len(part) >= MIN_PART_LENGTH and (part + "s" in words or part + "en" in words)
    )


def _preference(option: tuple[str, ...]) -> tuple[int, int]:
    """Fewest parts first, then the longest shortest part."""
    return len(option), -min(len(p) for p in option)
