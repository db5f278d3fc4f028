"""One write connection per archive and process, committing pages in small batches.

A crawl stores thousands of pages; one ``BEGIN IMMEDIATE`` ... ``COMMIT`` per page was the
largest fixed cost of the store pipeline (a profiled crawl spent 6% of its time in BEGIN
and COMMIT alone, and each commit rewrote the same index pages to the WAL). Pages are
now written in one transaction that commits every ``max_pages`` pages, ``max_seconds``
after it began (a timer, so a stalled crawl does not sit on uncommitted pages or on the
write lock), and when the spider closes.

The search index (archive.search) of a batch's pages is written once, just before the
batch commits, not page by page: FTS5 writes a segment at every savepoint.

Never half a page: each page is written inside its own SAVEPOINT, rolled back alone when
it fails, so the batch commits whole pages only. A crash (kill -9) loses at most the
pages of the open batch, never part of one; the next crawl fetches them again. WARC
records are flushed as they are written (archive.warc), so a committed row never points
at bytes that are not on disk.

All pipelines of a process that write the same archive (both spiders of a run, the store
and the validators pipelines) share one connection: a second connection would wait for
the write lock the open batch holds, in the same thread, forever.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import sqlite_utils

from archive import search
from archive.db import open_db

BATCH_PAGES = 32
"""Pages per transaction at most."""
BATCH_SECONDS = 0.5
"""Seconds a transaction stays open at most."""

Schedule = Callable[[float, Callable[[], None]], Any]
"""``schedule(delay, func)`` calls ``func`` later and returns a handle with ``cancel()``."""


class WriteBatch:
    """The shared write connection of one archive, with its open batch of pages."""

    _open: ClassVar[dict[str, WriteBatch]] = {}

    def __init__(self, db: sqlite_utils.Database, key: str, max_pages: int,
                 max_seconds: float, schedule: Schedule | None):
        self.db = db
        self.key = key
        self.max_pages = max_pages
        self.max_seconds = max_seconds
        self.schedule = schedule
        self.users = 0
        self.pages = 0
        self.started = 0.0
        self.timer: Any = None
        self.on_error: Callable[[BaseException], None] | None = None
        """Told when a commit on the timer fails (disk full): nobody else would hear of it."""

    @classmethod
    def acquire(cls, db_path: str, *, max_pages: int = BATCH_PAGES,
                max_seconds: float = BATCH_SECONDS,
                schedule: Schedule | None = None) -> WriteBatch:
        """The batch of the archive at ``db_path`` (opened on first use); ``release()`` it."""
        key = os.path.abspath(db_path)
        batch = cls._open.get(key)
        if batch is None:
            batch = cls(open_db(db_path), key, max(1, max_pages), max_seconds, schedule)
            cls._open[key] = batch
        batch.users += 1
        return batch

    @contextlib.contextmanager
    def page(self) -> Iterator[sqlite_utils.Database]:
        """Write one page: all of its rows or none, committed with the batch."""
        conn = self.db.conn
        if not conn.in_transaction:
            self._begin()
        conn.execute("SAVEPOINT page")
        try:
            yield self.db
        except BaseException:
            conn.execute("ROLLBACK TO page")
            conn.execute("RELEASE page")
            raise
        conn.execute("RELEASE page")
        self.pages += 1
        if self.pages >= self.max_pages or time.monotonic() - self.started >= self.max_seconds:
            self._commit_or_fail(raise_=True)

    def commit(self) -> None:
        """Commit the open batch, if any."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.db.conn.in_transaction:
            search.flush_index(self.db)
            self.db.conn.execute("COMMIT")
        search.drop_deferred(self.db, stop=True)
        self.pages = 0

    def commit_if_due(self) -> None:
        """Commit the open batch once it is ``max_seconds`` old: the timer of a writer
        without a reactor (pipelines.writer calls this while it waits for items)."""
        if self.db.conn.in_transaction and time.monotonic() - self.started >= self.max_seconds:
            self._commit_or_fail(raise_=False)

    def release(self) -> None:
        """Commit; the last user also closes the connection. A commit that fails here
        (disk full) rolls the open batch back: whole pages are lost, never half of one."""
        try:
            self.commit()
        except (sqlite3.Error, OSError):
            self._rollback()
        self.users -= 1
        if self.users <= 0:
            self._open.pop(self.key, None)
            self.db.close()

    @classmethod
    def release_all(cls) -> None:
        """Commit and close every batch still open in this process. A forced shutdown
        (a second SIGTERM) stops the spiders without closing their pipelines; the runs
        row is then written on another connection, which would wait on this one's lock."""
        for batch in list(cls._open.values()):
            batch.users = 1
            batch.release()

    def _timer_commit(self) -> None:
        self.timer = None
        self._commit_or_fail(raise_=False)

    def _commit_or_fail(self, raise_: bool) -> None:
        """Commit; when that fails (disk full) roll the batch back, tell ``on_error``
        (whichever pipeline's page triggered the commit, the store pipeline hears of it)."""
        try:
            self.commit()
        except (sqlite3.Error, OSError) as exc:
            self._rollback()
            if self.on_error is not None:
                self.on_error(exc)
            if raise_:
                raise

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error, OSError):
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
        search.drop_deferred(self.db, stop=True)
        self.pages = 0

    def _begin(self) -> None:
        self.db.conn.execute("BEGIN IMMEDIATE")
        search.defer_index(self.db)  # the batch's pages are indexed as it commits
        self.started = time.monotonic()
        self.pages = 0
        if self.schedule is not None:
            self.timer = self.schedule(self.max_seconds, self._timer_commit)


def reactor_schedule(delay: float, func: Callable[[], None]) -> Any:
    """Scrapy's ``call_later`` while a reactor runs the crawl; None (no timer) otherwise."""
    from scrapy.utils.reactor import is_reactor_installed

    if not is_reactor_installed():
        return None
    from scrapy.utils.asyncio import call_later

    return call_later(delay, func)
