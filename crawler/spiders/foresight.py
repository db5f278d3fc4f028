"""Foresight News: column posts through the listing API, then each post's detail page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.parsers import ParseError, parse_foresight_listing
from crawler.sites import FORESIGHT_DEFAULT_COLUMNS, foresight_column_url
from crawler.spiders.base import ArchiveSpider


class ForesightSpider(ArchiveSpider):
    """Walks every configured column (FORESIGHT_COLUMNS), newest first, to its end."""

    name = "foresight"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.frontier_requests():
            yield request
        size = self.page_size()
        columns = self.settings.getlist("FORESIGHT_COLUMNS", list(FORESIGHT_DEFAULT_COLUMNS))
        for column in columns:
            yield scrapy.Request(
                foresight_column_url(int(column), 1, size), callback=self.parse_listing,
                errback=self.record_failure, cb_kwargs={"column": int(column), "page": 1})

    def parse_listing(self, response: Response, column: int, page: int) -> Iterator[Any]:
        """One page of a column: the posts on it, then the next page."""
        try:
            entries = parse_foresight_listing(response.body, response.url)
        except ParseError as exc:
            entries = exc
        size = self.page_size()
        more = self.within_page_limit(page)
        next_url = foresight_column_url(column, page + 1, size) if more else None
        yield from self.listing_result(response, entries, next_url, f"foresight:{column}")
