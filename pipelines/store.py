"""Hands each item to archive.store: each page whole, its capture included, several
pages per transaction (pipelines.batch: ARCHIVE_BATCH_PAGES, ARCHIVE_BATCH_SECONDS).

The only component that knows both Scrapy and the archive. It opens the archive
named by ARCHIVE_DB, writes a ``runs`` row unless the command that started the
crawl already did (ARCHIVE_RUN_ID), and counts outcomes in Scrapy's stats as
``archive/<table>/<new|changed|unchanged>`` and ``archive/errors/<kind>``.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_from_coro

from archive import store
from crawler.clock import utc_now
from crawler.items import Article, Capture, Digest
from crawler.parsers.version import PARSER_VERSION
from pipelines.batch import BATCH_PAGES, BATCH_SECONDS, WriteBatch, reactor_schedule

logger = logging.getLogger(__name__)


class StorageFailed(DropItem):
    """The archive cannot be written (disk full, I/O error): the crawl is stopped.

    Fetching on would only fetch pages that cannot be kept; the item's transaction was
    rolled back whole, so the archive holds nothing of it."""


class StorePipeline:
    """Writes digests, articles and bare captures to the SQLite archive."""

    def __init__(self, db_path: str, run_id: int | None, stats: StatsCollector,
                 spider_name: str, target: str, *, batch_pages: int = BATCH_PAGES,
                 batch_seconds: float = BATCH_SECONDS, schedule: Any = None):
        self.db_path = db_path
        self.run_id = run_id
        self.owns_run = run_id is None
        self.stats = stats
        self.spider_name = spider_name
        self.target = target
        self.batch_args = {"max_pages": batch_pages, "max_seconds": batch_seconds,
                           "schedule": schedule}
        self.batch: WriteBatch | None = None
        self.db = None
        self.stop_crawl: Any = None
        """Called once with the reason when the archive cannot be written."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        path = crawler.settings.get("ARCHIVE_DB")
        if not path:
            raise NotConfigured("ARCHIVE_DB is empty")
        run_id = crawler.settings.get("ARCHIVE_RUN_ID")
        target = crawler.settings.get("MIRROR_URL") or "live"
        name = crawler.spidercls.name if crawler.spidercls else "?"
        pipeline = cls(path, int(run_id) if run_id else None, crawler.stats, name, target,
                       batch_pages=crawler.settings.getint("ARCHIVE_BATCH_PAGES", BATCH_PAGES),
                       batch_seconds=crawler.settings.getfloat("ARCHIVE_BATCH_SECONDS",
                                                               BATCH_SECONDS),
                       schedule=reactor_schedule)
        pipeline.stop_crawl = lambda reason: deferred_from_coro(
            crawler.engine.close_spider_async(reason=reason))
        return pipeline

    def open_spider(self) -> None:
        self.batch = WriteBatch.acquire(self.db_path, **self.batch_args)
        self.batch.on_error = self._storage_failed  # a commit on the batch's timer failed
        self.db = self.batch.db
        if self.owns_run:
            self.run_id = store.save_run_start(self.db, started_at=utc_now(),
                                               spiders=self.spider_name, target=self.target)

    def process_item(self, item: Any) -> Any:
        assert self.batch is not None
        try:
            with self.batch.page():
                stored = store_item(self.db, item, self.run_id)
        except (sqlite3.OperationalError, OSError) as exc:
            self._storage_failed(exc)
            raise StorageFailed(f"archive not writable: {exc}") from None
        for key in outcome_keys(item, *stored):
            self.stats.inc_value(key)
        return item

    def _storage_failed(self, exc: BaseException) -> None:
        """The first failure stops the crawl with reason ``storage_error`` (catalogue 39)."""
        if self.stats.get_value("archive/storage_error"):
            return
        logger.error("cannot write the archive %s: %s; stopping the crawl", self.db_path, exc)
        self.stats.set_value("archive/storage_error", str(exc).splitlines()[0][:200])
        if self.stop_crawl is not None:
            self.stop_crawl("storage_error")

    def close_spider(self) -> None:
        if self.batch is None:
            return
        try:
            self.batch.commit()
            if self.owns_run:
                finish_run(self.db, self.run_id, self.stats.get_stats())
        except (sqlite3.OperationalError, OSError) as exc:
            self._storage_failed(exc)
        finally:
            self.batch.release()
            self.batch = self.db = None


def store_item(db: Any, item: Any, run_id: int | None,
               capture_id: int | None = None) -> tuple[str, str]:
    """Save one item, all of it or nothing; returns (table, outcome).

    ``capture_id`` names a capture row that already exists (``reparse``): the row is
    then linked to it and the capture itself is left untouched.
    """
    data = as_mapping(item)
    if isinstance(item, Capture):
        store.save_capture(db, data, run_id)
        return "captures", "saved"
    data["parser_version"] = PARSER_VERSION
    if isinstance(item, Digest):
        return "digests", store.save_digest(db, data, run_id, capture_id=capture_id)[1]
    if isinstance(item, Article):
        return "articles", store.save_article(db, data, run_id, capture_id=capture_id)[1]
    raise TypeError(f"cannot store {type(item).__name__}")


def outcome_keys(item: Any, table: str, outcome: str) -> list[str]:
    """The stats keys one stored item counts under."""
    keys = [f"archive/{table}/{outcome}"]
    capture = item if isinstance(item, Capture) else item.capture
    if capture is not None and capture.error_kind:
        keys.append(f"archive/errors/{capture.error_kind}")
    return keys


def as_mapping(value: Any) -> Any:
    """A dataclass as nested dicts and lists, values shared, not copied.

    ``dataclasses.asdict`` deep-copies every leaf value; our items are frozen and hold
    only str/int/None and tuples of frozen items, so sharing is safe, and asdict was the
    store pipeline's largest cost outside SQLite in a crawl profile.
    """
    cls = type(value)
    if cls in _PLAIN:
        return value
    names = _FIELD_NAMES.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(value) or isinstance(value, type):
            return [as_mapping(v) for v in value] if isinstance(value, list | tuple) else value
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(value))
    return {name: as_mapping(getattr(value, name)) for name in names}


_PLAIN = frozenset({str, int, float, bool, bytes, type(None)})
"""Leaf types: returned as they are, at once (most values of an item are strings)."""
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
"""Field names of each dataclass met, in order (``dataclasses.fields`` is slow per call)."""


def run_status(stats: dict[str, Any]) -> str:
    """'finished', Scrapy's reason for stopping early, or 'failed' when nothing was readable.

    A crawl in which every fetch failed (no network, every source blocking us) is not a
    success, even though Scrapy itself finished cleanly.
    """
    reason = str(stats.get("finish_reason", "finished"))
    if reason != "finished":
        return reason
    # a backfill reads the archive's listings (stored in WARC only), or had nothing to do
    read = readable_fetches(stats) + stats.get("backfill/cdx_read", 0)
    return "finished" if read > 0 or stats.get("backfill/up_to_date") else "failed"


def readable_fetches(stats: dict[str, Any]) -> int:
    """Fetches this crawl stored without an error (pages, listings)."""
    stored = sum(v for k, v in stats.items()
                 if k.startswith(("archive/captures/", "archive/digests/", "archive/articles/")))
    return int(stored) - error_count(stats)


def error_count(stats: dict[str, Any]) -> int:
    """Fetches this crawl recorded with an error, of any kind."""
    return int(sum(v for k, v in stats.items() if k.startswith("archive/errors/")))


def finish_run(db: Any, run_id: int, stats: dict[str, Any]) -> str:
    """Close a runs row from Scrapy's stats of the crawl(s) that made it; returns its status."""
    status = run_status(stats)
    store.save_run_end(db, run_id, finished_at=utc_now(), status=status,
                       requests=int(stats.get("downloader/request_count", 0)),
                       errors=error_count(stats), stats=stats)
    return status
