"""The facet index: bitmasks built in one pass, and the cheap first cut for fuzzy slugs."""

import numpy as np

from tests.helpers.corpora import aanpak, small_corpus
from wijkwijzer.catalogue.facets import FacetIndex, bits_of, mask_of

WORDS = ("buurt", "wijk", "samen", "sport", "huis", "tuin", "kracht", "eten", "kunst", "zorg")


def many(count: int) -> FacetIndex:
    items = [
        aanpak(
            f"{WORDS[i % 10]}-{WORDS[i // 10 % 10]}-{i}",
            f"{WORDS[i % 10].title()} {WORDS[i // 10 % 10]} {i}",
            "Tekst.",
            doelgroepen=["ouderen" if i % 3 else "jongeren"],
        )
        for i in range(count)
    ]
    items.append(aanpak("buurtcirkel", "Buurtcirkel", "Tekst."))
    return FacetIndex(small_corpus("h", *items))


def test_masks_and_bits_agree() -> None:
    chosen = [0, 3, 64, 65, 130]
    mask = mask_of(chosen)
    assert mask == sum(1 << i for i in chosen)
    assert mask_of([]) == 0
    assert np.flatnonzero(bits_of(mask, 200)).tolist() == chosen
    assert not bits_of(0, 10).any()


def test_facet_masks_count_each_value() -> None:
    facets = many(300)
    masks = facets.masks["doelgroep"]
    assert masks["jongeren"].bit_count() == 100
    assert masks["ouderen"].bit_count() == 200
    assert masks["alle-bewoners"].bit_count() == 1  # buurtcirkel
    assert facets.selection("doelgroep", ["jongeren", "ouderen"]).bit_count() == 300


def test_resembling_finds_a_misspelt_slug_among_many() -> None:
    facets = many(2000)
    found = facets.resembling("buurtcirkle")
    assert len(found) <= 50
    assert facets.aanpakken[found[0]].slug == "buurtcirkel"
    by_name = facets.resembling("Buurt Cirkel")
    assert "buurtcirkel" in [facets.aanpakken[i].slug for i in by_name]
    assert facets.resembling("qqq") == []


def test_ordinals_follow_a_slug_list() -> None:
    facets = many(20)
    slugs = ["buurtcirkel", "bestaat-niet", facets.aanpakken[3].slug]
    assert facets.ordinals(slugs).tolist() == [20, -1, 3]
    assert facets.by_slug("buurtcirkel") is facets.aanpakken[20]
    assert facets.by_slug("bestaat-niet") is None
