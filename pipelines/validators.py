"""Keeps the ETag / Last-Modified of archived pages for the next run's conditional re-checks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.cronstate import save_validators
from archive.db import open_db
from crawler.items import Article, Digest


class ValidatorsPipeline:
    """Saves the validators a page's response offered, after the page itself is stored."""

    def __init__(self, db_path: str):
        self.db_path = db_path
        self.db = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatorsPipeline:
        path = crawler.settings.get("ARCHIVE_DB")
        if not path:
            raise NotConfigured("ARCHIVE_DB is empty")
        return cls(path)

    def open_spider(self) -> None:
        self.db = open_db(self.db_path)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Digest | Article) and item.capture is not None:
            capture = item.capture
            if capture.etag or capture.last_modified:
                save_validators(self.db, [(item.canonical_url, capture.etag,
                                           capture.last_modified)], datetime.now(UTC))
        return item

    def close_spider(self) -> None:
        if self.db is not None:
            self.db.close()
