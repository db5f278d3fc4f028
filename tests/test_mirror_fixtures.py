"""The parser fixtures cut from the mirror are current and cover every variant it produces.

If the mirror changes, these fail until `python -m tests.mirror_fixtures` is re-run, so
the parser's per-field fixture tests always include every page variant the mirror serves.
"""

from __future__ import annotations

import json

import pytest

from tests import mirror_fixtures as cut


@pytest.fixture(scope="module")
def mirror():
    return cut.cutting_mirror()


@pytest.fixture(scope="module")
def expected_files(mirror):
    return cut.fixture_files(mirror)


def test_the_committed_fixtures_are_the_ones_the_mirror_gives(expected_files):
    on_disk = {p.stem for p in cut.FOLDER.glob("*.html")}
    assert on_disk == set(expected_files), "re-run: python -m tests.mirror_fixtures"
    for name, (html, expected) in expected_files.items():
        assert (cut.FOLDER / f"{name}.html").read_text(encoding="utf-8") == html, name
        stored = json.loads((cut.FOLDER / f"{name}.json").read_text(encoding="utf-8"))
        assert stored == expected, name


def test_every_variant_of_the_mirror_has_a_fixture(mirror):
    entries = [e for e in mirror.catalogue.all_entries() if not e.deleted]
    everything = set().union(*(cut.features(mirror, e) for e in entries))
    chosen = cut.cover(mirror)
    covered = set().union(*(cut.features(mirror, e) for e in chosen))
    assert everything == covered
    assert len(chosen) < len(entries) / 5  # a cover, not the whole mirror
    assert any(e.real for e in chosen)


def test_layouts_and_both_kinds_are_among_the_fixtures(expected_files):
    names = "\n".join(expected_files)
    for part in ("F1", "F2", "F3", "8btc-2019", "8btc-2024", "digest", "article", "404"):
        assert part in names
