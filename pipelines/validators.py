"""Keeps the ETag / Last-Modified of archived pages for the next run's conditional re-checks."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.cronstate import save_validators
from crawler.items import Article, Digest
from pipelines.batch import WriteBatch

logger = logging.getLogger(__name__)


class ValidatorsPipeline:
    """Saves the validators a page's response offered, after the page itself is stored."""

    def __init__(self, db_path: str):
        self.db_path = db_path
        self.batch: WriteBatch | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatorsPipeline:
        path = crawler.settings.get("ARCHIVE_DB")
        if not path:
            raise NotConfigured("ARCHIVE_DB is empty")
        return cls(path)

    def open_spider(self) -> None:
        # The store pipeline's connection and batch: a connection of its own would wait
        # for the write lock that batch holds.
        self.batch = WriteBatch.acquire(self.db_path)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Digest | Article) and item.capture is not None:
            capture = item.capture
            if (capture.etag or capture.last_modified) and self.batch is not None:
                try:
                    with self.batch.page() as db:
                        save_validators(db, [(item.canonical_url, capture.etag,
                                             capture.last_modified)], datetime.now(UTC))
                except (sqlite3.Error, OSError):
                    # The archive cannot be written: the batch told the store pipeline,
                    # which stops the crawl; a lost validator only costs a full re-check.
                    logger.debug("validator of %s not saved", item.canonical_url)
        return item

    def close_spider(self) -> None:
        if self.batch is not None:
            self.batch.release()
            self.batch = None
