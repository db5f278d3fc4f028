"""Issue 15: an archive built with the rules before it, reclustered, has the stories a
fresh import builds with today's rules; a second recluster moves nothing.

``tests/fixtures/stories/hardcases-before-issue15.db.gz`` is the mirror's hard-case set
(``mirror.hardcases.build(seed=3, size=300)``, written as a WARC file) imported by the
release before issue 15 (commit e20cedf): lead-window MinHash stories, the
``story_bands`` index, 233 stories for 300 pages. Opening it migrates it; ``recluster``
re-places every article. Rows are matched across archives by canonical URL (row ids
follow arrival order).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from archive.db import open_db
from mirror.hardcases import build
from mirror.hardcases_warc import write_warc
from newsarchive.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "stories" / "hardcases-before-issue15.db.gz"


def partition(path: Path) -> set[frozenset[str]]:
    """The stories of an archive as sets of canonical URLs."""
    db = open_db(path, readonly=True)
    groups: dict[int, set[str]] = {}
    for url, story_id in db.execute("SELECT canonical_url, story_id FROM articles"):
        groups.setdefault(story_id, set()).add(url)
    db.close()
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> set[frozenset[str]]:
    """The same pages imported with today's rules."""
    folder = tmp_path_factory.mktemp("fresh")
    write_warc(build(seed=3, size=300), folder / "hard.warc.gz")
    assert main(["import", str(folder / "hard.warc.gz"), "--db", str(folder / "a.db")]) == 0
    return partition(folder / "a.db")


@pytest.fixture
def old(tmp_path) -> Path:
    path = tmp_path / "old.db"
    with gzip.open(FIXTURE) as source, open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    return path


def test_recluster_of_an_old_archive_gives_a_fresh_imports_stories(old, fresh, capsys):
    before = partition(old)
    assert len(before) == 233 and before != fresh  # the old rules' stories
    assert main(["recluster", "--db", str(old)]) == 0
    first = capsys.readouterr().out
    assert partition(old) == fresh
    assert main(["recluster", "--db", str(old)]) == 0
    assert ", 0 changed story;" in capsys.readouterr().out, first


def test_the_upgrade_keeps_every_row_and_drops_the_old_index(old, capsys):
    rows = sum(len(g) for g in partition(old))
    assert main(["recluster", "--db", str(old)]) == 0
    assert f"recluster: {rows} items placed" in capsys.readouterr().out
    db = open_db(old, readonly=True)
    assert "story_bands" not in db.table_names()
    with_body = db.execute("SELECT count(*) FROM story_members WHERE body IS NOT NULL")
    assert with_body.fetchone()[0] == rows
    db.close()
