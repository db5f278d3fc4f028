"""The baseline of the crawl figure: bare Scrapy spiders that follow the same links, store nothing.

What a user would write by hand: decode each listing API page (with our listing decoders:
JSON, and Foresight's base64-of-zlib, the same work any client must do), request every entry
and the next page, and on every detail page request the 8btc article links it carries (a digest's
recommendations). No parsing of the pages beyond that, no items, no pipelines. Requests are
the same canonical URLs our spiders ask for, so both crawls fetch the same pages.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.items import ListingEntry
from crawler.parsers import parse_8btc_listing, parse_foresight_listing
from crawler.sites import (
    FORESIGHT_DEFAULT_COLUMNS,
    canonical_url,
    eightbtc_list_url,
    foresight_column_url,
)

_ARTICLE_LINK = re.compile(r"(?:https?:)?//(?:www\.|m\.)?8btc\.com/article/\d+")
PAGE_SIZE = 20


class _Bare(scrapy.Spider):
    allowed_domains = ["8btc.com", "foresightnews.pro"]

    def page(self, response: Response) -> Iterator[scrapy.Request]:
        for link in set(_ARTICLE_LINK.findall(response.text)):
            yield scrapy.Request(canonical_url(link), callback=self.page)

    def follow_entries(self, entries: list[ListingEntry]) -> Iterator[scrapy.Request]:
        for entry in entries:
            yield scrapy.Request(canonical_url(entry.url), callback=self.page)


class BareForesight(_Bare):
    """Foresight's columns through the listing API, then each post."""

    name = "bare-foresight"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for column in FORESIGHT_DEFAULT_COLUMNS:
            yield scrapy.Request(foresight_column_url(column, 1, PAGE_SIZE),
                                 callback=self.listing, cb_kwargs={"column": column, "page": 1})

    def listing(self, response: Response, column: int, page: int) -> Iterator[Any]:
        entries = parse_foresight_listing(response.body, response.url)
        yield from self.follow_entries(entries)
        if entries:
            yield scrapy.Request(foresight_column_url(column, page + 1, PAGE_SIZE),
                                 callback=self.listing,
                                 cb_kwargs={"column": column, "page": page + 1})


class BareEightbtc(_Bare):
    """8btc's article listing API, then each article."""

    name = "bare-8btc"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(eightbtc_list_url(1, PAGE_SIZE), callback=self.listing,
                             cb_kwargs={"page": 1})

    def listing(self, response: Response, page: int) -> Iterator[Any]:
        entries = parse_8btc_listing(response.body, response.url)
        yield from self.follow_entries(entries)
        if entries:
            yield scrapy.Request(eightbtc_list_url(page + 1, PAGE_SIZE), callback=self.listing,
                                 cb_kwargs={"page": page + 1})

