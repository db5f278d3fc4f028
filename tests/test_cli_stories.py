"""`newsarchive stories`: largest stories first, --since filters, --json, bad input."""

from __future__ import annotations

import json

from archive import store
from newsarchive.cli import main
from tests.test_dedupe import LEDE, OTHER, keyed_article


def fill(path):
    from archive.db import open_db
    db = open_db(path)
    store.save_article(db, keyed_article(1, LEDE, "A", published_at="2024-05-02T00:00:00Z"))
    store.save_article(db, keyed_article(2, LEDE + "\n又一段。", "A2",
                                         published_at="2024-05-01T00:00:00Z"))
    store.save_article(db, keyed_article(3, OTHER, "B", published_at="2023-01-01T00:00:00Z"))
    db.close()


def test_largest_story_first_with_its_first_reporter_first(tmp_path, capsys):
    fill(tmp_path / "a.db")
    assert main(["stories", "--db", str(tmp_path / "a.db"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)  # one JSON array
    assert [s["appearances"] for s in got] == [2, 1]
    assert [m["headline"] for m in got[0]["members"]] == ["A2", "A"]
    assert main(["stories", "--db", str(tmp_path / "a.db"), "--nl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["appearances"] for line in lines] == [2, 1]


def test_counts_read_as_english(tmp_path, capsys):
    fill(tmp_path / "a.db")
    assert main(["stories", "--db", str(tmp_path / "a.db")]) == 0
    out = capsys.readouterr().out
    assert "2 appearances, 1 source " in out and "1 appearance, 1 source " in out


def test_since_drops_older_stories(tmp_path, capsys):
    fill(tmp_path / "a.db")
    assert main(["stories", "--db", str(tmp_path / "a.db"), "--since", "2024-01-01"]) == 0
    out = capsys.readouterr().out
    assert "2 appearances" in out and "B" not in out.split("\n")[0] and "1 appearances" not in out


def test_bad_since_and_missing_archive_are_one_line_errors(tmp_path, capsys):
    fill(tmp_path / "a.db")
    assert main(["stories", "--db", str(tmp_path / "a.db"), "--since", "soon"]) == 2
    assert main(["stories", "--db", str(tmp_path / "nope.db")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") for line in err)
