"""The one way the archive writes: a short transaction that takes the write lock first.

sqlite-utils' ``atomic()`` opens a deferred ``BEGIN``; a deferred transaction that
reads and then writes fails at once with SQLITE_BUSY when another process wrote in
between, whatever the busy timeout (reference/reliability.md, "deferred-upgrade
trap"). ``BEGIN IMMEDIATE`` waits for the lock instead. sqlite-utils calls made
inside nest as savepoints and do not commit on their own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlite_utils


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block in one ``BEGIN IMMEDIATE`` transaction; roll back on any error.

    Inside a transaction the caller already holds (the store pipeline writes several
    pages per transaction, pipelines.batch), the block is a SAVEPOINT instead: all of it
    or none of it, committed with the enclosing transaction.
    """
    if db.conn.in_transaction:
        with _savepoint(db):
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


@contextlib.contextmanager
def _savepoint(db: sqlite_utils.Database) -> Iterator[None]:
    db.conn.execute("SAVEPOINT write_transaction")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK TO write_transaction")
        db.conn.execute("RELEASE write_transaction")
        raise
    db.conn.execute("RELEASE write_transaction")
