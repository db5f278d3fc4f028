"""Open an archive: the SQLite file, its pragmas and its migrations.

Every connection gets WAL (readers never block the crawler), a busy timeout (a
writer waits for another instead of failing), and foreign keys. Writes go
through :func:`archive.tx.write_transaction`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from archive import schema

DEFAULT_DB = Path("data/archive.db")
APPLICATION_ID = schema.APPLICATION_ID
BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another writer before giving up."""


class ArchiveError(Exception):
    """The archive cannot be opened or used; the message says why in one line."""


def open_db(path: str | Path = DEFAULT_DB, *, readonly: bool = False,
            migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating it if needed) and migrate the archive at ``path``.

    ``readonly`` opens the file with ``mode=ro``: analysts' reads can never write. A
    SQLite file that is not an archive is refused, and so is a path in a missing folder
    (a typo must not start a new archive); only the default ``data/`` folder is created.
    """
    path = Path(path)
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    if readonly:
        if not path.exists():
            raise ArchiveError(f"no archive at {path}")
        db = sqlite_utils.Database(_connect(path, readonly=True))
        _check_identity(db, path)
        return db
    _check_folder(path)
    db = sqlite_utils.Database(_connect(path))
    _check_identity(db, path)
    _set_pragmas(db)
    if migrate:
        schema.migrate(db)
    return db


def check_target(path: str | Path) -> None:
    """What open_db would refuse (a directory, a missing folder, another SQLite file),
    checked without creating the archive: a crawl checks before it takes the lock."""
    path = Path(path)
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    if path.exists():
        open_db(path, readonly=True).close()
    else:
        _check_folder(path)


def _check_folder(path: Path) -> None:
    if path.parent.is_dir():
        return
    if path != DEFAULT_DB:
        raise ArchiveError(f"no folder {path.parent} for the archive {path} "
                           "(create it first, or check the path)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot create the folder for {path}: {exc.strerror}") from exc


def _check_identity(db: sqlite_utils.Database, path: Path) -> None:
    """Refuse a SQLite file that is not an archive: ours carry APPLICATION_ID; an archive
    made before it has ``_migrations``; an empty file becomes a new archive."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    if app_id == 0 and (not names or "_migrations" in names):
        return
    db.close()
    raise ArchiveError(f"{path} is a SQLite file but not a newsarchive archive")


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    try:
        conn = (sqlite3.connect(f"file:{path}?mode=ro", timeout=BUSY_TIMEOUT_S, uri=True)
                if readonly else sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot open {path} as an archive: {exc}") from exc
    return conn


def _set_pragmas(db: sqlite_utils.Database) -> None:
    # NORMAL in WAL mode keeps the file consistent after any crash; a power cut
    # may lose the last few commits, which the next crawl fetches again.
    with db.ensure_autocommit_on():
        mode = db.conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise ArchiveError(f"cannot switch the archive to WAL (journal_mode={mode})")
        db.conn.execute("PRAGMA synchronous=NORMAL")
        db.conn.execute("PRAGMA foreign_keys=ON")
        db.conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")

