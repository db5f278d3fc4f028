"""bench._templated: many distinct templated texts, the same for a seed, shaped like the mirror's.

No timing here (the generator's speed is measured and documented in docs/benchmarks.md).
"""

from __future__ import annotations

import statistics
from datetime import datetime

import pytest

from bench._templated import COLUMN_INTROS, templated
from mirror import truth
from mirror.catalogue import Catalogue


@pytest.fixture(scope="module")
def texts():
    return list(templated(4000, seed=7))


def test_every_text_is_distinct_and_complete(texts):
    assert len(texts) == 4000 and len({t[1] for t in texts}) == 4000
    for headline, text, site, published_at in texts:
        assert headline and text and site in ("foresight", "8btc")
        assert datetime.strptime(published_at, "%Y-%m-%dT%H:%M:%SZ")


def test_a_seed_gives_the_same_texts_and_another_seed_others(texts):
    assert list(templated(500, seed=7)) == texts[:500]
    other = list(templated(500, seed=8))
    assert len({t[1] for t in other} & {t[1] for t in texts[:500]}) < 5


def test_lengths_are_those_of_the_mirrors_pages(texts):
    """Quartiles of the text lengths within a quarter of the mirror's own stored texts
    (articles and digest items of a small mirror, as its truth gives them)."""
    cat = Catalogue(1, 60)
    lengths = []
    for entry in cat.reachable():
        expected = truth.expected(cat, entry)
        if entry.deleted:
            continue
        if entry.kind == "article":
            lengths.append(len(expected["text"]))
        else:
            lengths += [len(item["text"]) for item in expected["items"]]
    ours = statistics.quantiles([len(t[1]) for t in texts], n=4)
    theirs = statistics.quantiles(lengths, n=4)
    for mine, mirror in zip(ours, theirs, strict=True):
        assert 0.75 * mirror <= mine <= 1.25 * mirror, (ours, theirs)


def test_column_introductions_are_shared_by_unrelated_texts(texts):
    opened = {}
    for headline, text, _, _ in texts:
        first = text.split("\n")[0]
        if first in COLUMN_INTROS:
            opened.setdefault(first, set()).add(headline)
    assert len(opened) >= len(COLUMN_INTROS) // 2
    assert max(len(headlines) for headlines in opened.values()) >= 5
    assert all(60 <= len(intro) <= 150 for intro in COLUMN_INTROS)
