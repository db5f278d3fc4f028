"""Fetch and archive a given list of page URLs (``-a urls=URL,URL`` or ``-a file=PATH``).

For re-fetching pages by hand and for fault tests: each URL is fetched as it is (no
canonical form, so a query such as the mirror's ``_fault`` switch survives) and read like
any detail page; nothing is followed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy

from crawler.spiders.base import ArchiveSpider


class UrlsSpider(ArchiveSpider):
    """Archives exactly the URLs it is given."""

    name = "urls"

    def __init__(self, urls: str = "", file: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        listed = [u.strip() for u in urls.split(",")]
        if file:
            listed += Path(file).read_text(encoding="utf-8").split()
        self.urls = [u for u in listed if u]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse_page, errback=self.record_failure,
                                 dont_filter=True)

    def follow_links(self, digest: Any) -> Iterator[scrapy.Request]:
        """Nothing is followed."""
        return iter(())
