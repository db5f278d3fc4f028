"""`newsarchive recluster`: every item placed again with today's rules, in one transaction.

On the crawled demo archive recluster gives back the stories the crawl built (0 changed)
and a second run changes nothing; scrambled stories are restored and the moved items
counted; an error halfway leaves the old stories; bad --db gives one `error:` line.
"""

from __future__ import annotations

import re
import shutil

import pytest

from archive import recluster as recluster_module
from archive.db import open_db
from archive.lock import archive_lock
from archive.recluster import memberships, recluster
from archive.tx import write_transaction
from newsarchive.cli import main

LINE = re.compile(r"^recluster: (\d+) items placed, (\d+) changed story; "
                  r"stories (\d+) -> (\d+)$")


@pytest.fixture
def archive(demo_db, tmp_path):
    """A private copy of the crawled demo archive."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_db, path)
    return path


def run(path, capsys) -> tuple[int, int, int, int]:
    assert main(["recluster", "--db", str(path)]) == 0
    out = capsys.readouterr().out.strip()
    found = LINE.match(out)
    assert found, out
    return tuple(int(g) for g in found.groups())


def state(path):
    db = open_db(path, readonly=True)
    groups = memberships(db)
    rows = db.execute("SELECT count(*) FROM articles").fetchone()[0] + db.execute(
        "SELECT count(*) FROM digest_items").fetchone()[0]
    stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    ids = dict(db.execute("SELECT 'a' || id, story_id FROM articles UNION ALL "
                          "SELECT 'i' || id, story_id FROM digest_items").fetchall())
    db.close()
    return groups, rows, stories, ids


def test_recluster_keeps_the_crawls_stories_and_a_second_run_moves_nothing(archive, capsys):
    crawled, rows, story_count, _ = state(archive)
    assert any(len(g) > 1 for g in crawled.values())  # the demo has multi-member stories
    assert run(archive, capsys) == (rows, 0, story_count, story_count)
    assert state(archive)[0] == crawled
    assert run(archive, capsys) == (rows, 0, story_count, story_count)


def test_every_row_points_at_its_members_story(archive, capsys):
    run(archive, capsys)
    db = open_db(archive, readonly=True)
    wrong = db.execute(
        "SELECT count(*) FROM story_members m LEFT JOIN articles a ON m.kind = 'article' "
        "AND a.id = m.row_id LEFT JOIN digest_items i ON m.kind = 'digest_item' "
        "AND i.id = m.row_id WHERE coalesce(a.story_id, i.story_id) IS NOT m.story_id"
    ).fetchone()[0]
    sizes = db.execute("SELECT count(*) FROM stories s WHERE appearances != "
                       "(SELECT count(*) FROM story_members m WHERE m.story_id = s.id)"
                       ).fetchone()[0]
    db.close()
    assert (wrong, sizes) == (0, 0)


def merge_two_stories(path) -> int:
    """Merge the two largest stories by hand; returns how many items that moved."""
    db = open_db(path)
    (a, size_a), (b, size_b) = db.execute(
        "SELECT story_id, count(*) n FROM story_members GROUP BY story_id "
        "ORDER BY n DESC, story_id LIMIT 2").fetchall()
    with write_transaction(db):
        for table in ("story_members", "articles", "digest_items"):
            db.execute(f"UPDATE {table} SET story_id = ? WHERE story_id = ?", [a, b])
        db.execute("DELETE FROM stories WHERE id = ?", [b])
    db.close()
    return size_a + size_b


def test_recluster_restores_scrambled_stories_and_counts_the_moved(archive, capsys):
    crawled, rows, story_count, _ = state(archive)
    moved = merge_two_stories(archive)
    assert state(archive)[0] != crawled
    assert run(archive, capsys) == (rows, moved, story_count - 1, story_count)
    assert state(archive)[0] == crawled
    assert run(archive, capsys)[1] == 0


def test_an_error_halfway_leaves_the_old_stories(archive, monkeypatch):
    moved = merge_two_stories(archive)
    assert moved
    before = state(archive)
    real = recluster_module.stories.place
    calls = []

    def failing(db, member, *args):
        calls.append(1)
        if len(calls) > 5:
            raise RuntimeError("disk on fire")
        return real(db, member, *args)

    monkeypatch.setattr(recluster_module.stories, "place", failing)
    db = open_db(archive)
    with pytest.raises(RuntimeError), write_transaction(db):
        recluster(db)
    db.close()
    assert state(archive) == before


def test_a_running_crawl_holds_it_off(archive, capsys):
    with archive_lock(archive):
        assert main(["recluster", "--db", str(archive)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: another crawl is running")


@pytest.mark.parametrize("bad", ["missing-folder", "not-an-archive", "missing-file"])
def test_bad_db_is_one_error_line(tmp_path, capsys, bad):
    path = {"missing-folder": tmp_path / "typo" / "a.db",
            "missing-file": tmp_path / "a.db",
            "not-an-archive": tmp_path / "junk.db"}[bad]
    if bad == "not-an-archive":
        path.write_bytes(b"not sqlite at all" * 100)
    assert main(["recluster", "--db", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert bad != "missing-file" or not path.exists()
