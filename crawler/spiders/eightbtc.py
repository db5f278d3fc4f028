"""8btc (巴比特): articles through the news list API, then each article page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.parsers import ParseError, parse_8btc_listing
from crawler.sites import eightbtc_list_url
from crawler.spiders.base import ArchiveSpider


class EightbtcSpider(ArchiveSpider):
    """Walks 8btc's article listing, newest first, to its end."""

    name = "8btc"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for request in self.frontier_requests():
            yield request
        size = self.page_size()
        yield scrapy.Request(eightbtc_list_url(1, size), callback=self.parse_listing,
                             errback=self.record_failure, cb_kwargs={"page": 1})

    def parse_listing(self, response: Response, page: int) -> Iterator[Any]:
        """One page of the listing: the articles on it, then the next page."""
        try:
            entries = parse_8btc_listing(response.body, response.url)
        except ParseError as exc:
            entries = exc
        size = self.page_size()
        next_url = eightbtc_list_url(page + 1, size) if self.within_page_limit(page) else None
        yield from self.listing_result(response, entries, next_url)
