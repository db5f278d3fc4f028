"""archive.db and archive.schema: pragmas, migrations, read-only access, clear errors."""

from __future__ import annotations

import sqlite3

import pytest

from archive import schema
from archive.db import ArchiveError, open_db


def test_new_archive_has_every_table(db):
    assert set(db.table_names()) >= {"runs", "captures", "digests", "digest_items",
                                     "recommendations", "articles", "digest_links"}


def test_pragmas_wal_foreign_keys_busy_timeout(db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db.execute("PRAGMA synchronous").fetchone()[0] in (1, 2)  # NORMAL or FULL


def test_migrations_run_once(tmp_path):
    path = tmp_path / "a.db"
    open_db(path).close()
    db = open_db(path)
    names = [r["name"] for r in db["_migrations"].rows]
    assert names == [m.__name__ for m in schema.MIGRATIONS]
    assert schema.migrate(db) == []


def test_readonly_refuses_writes(tmp_path):
    path = tmp_path / "a.db"
    open_db(path).close()
    ro = open_db(path, readonly=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("INSERT INTO runs (started_at, status) VALUES ('x', 'y')")


def test_readonly_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="no archive at"):
        open_db(tmp_path / "missing.db", readonly=True)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError, match="cannot open"):
        open_db(path)


def test_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="is a directory"):
        open_db(tmp_path)


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO digest_items (digest_id, position, headline, text) "
                   "VALUES (999, 1, 'h', 't')")


def other_sqlite_file(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    return path


def test_an_archive_carries_its_application_id(db):
    assert db.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID


@pytest.mark.parametrize("readonly", [False, True])
def test_another_sqlite_file_is_refused_and_left_alone(tmp_path, readonly):
    path = other_sqlite_file(tmp_path / "other.db")
    with pytest.raises(ArchiveError, match="not a newsarchive archive"):
        open_db(path, readonly=readonly)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]


def test_an_archive_made_before_the_mark_is_still_opened_and_marked(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    db.execute("PRAGMA application_id = 0")
    db.execute("DELETE FROM _migrations WHERE name = 'm_issue18_application_id'")
    db.conn.commit()
    db.close()
    assert open_db(path).execute("PRAGMA application_id").fetchone()[0] == \
        schema.APPLICATION_ID


def test_a_path_in_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(ArchiveError, match="no folder"):
        open_db(tmp_path / "typo" / "a.db")
    assert not (tmp_path / "typo").exists()


def test_a_missing_file_in_an_existing_folder_is_created(tmp_path):
    open_db(tmp_path / "first.db").close()
    assert (tmp_path / "first.db").exists()


def test_errors_name_the_path_not_a_sqlite_uri(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError) as caught:
        open_db(path, readonly=True)
    assert "file:" not in str(caught.value) and str(path) in str(caught.value)
