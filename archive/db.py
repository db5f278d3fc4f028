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
BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another writer before giving up."""


class ArchiveError(Exception):
    """The archive cannot be opened or used; the message says why in one line."""


def open_db(path: str | Path = DEFAULT_DB, *, readonly: bool = False,
            migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating it and its folder if needed) and migrate the archive at ``path``.

    ``readonly`` opens the file with ``mode=ro``: analysts' reads can never write.
    """
    path = Path(path)
    if readonly:
        if not path.exists():
            raise ArchiveError(f"no archive at {path}")
        conn = _connect(f"file:{path}?mode=ro", uri=True)
        return sqlite_utils.Database(conn)
    if path.exists() and path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot create the folder for {path}: {exc.strerror}") from exc
    db = sqlite_utils.Database(_connect(str(path)))
    _set_pragmas(db)
    if migrate:
        schema.migrate(db)
    return db


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, uri=uri)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot open {target} as a SQLite archive: {exc}") from exc
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

