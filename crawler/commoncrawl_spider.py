"""Backfill from Common Crawl: the collections, each one's index, one record at a time.

One spider per source (``newsarchive backfill --from commoncrawl``). It reads the
collection list (``collinfo.json``, cached for a day in a file beside the archive), walks
the index of every collection whose crawl overlaps the window (or those named) page by
page until the index says "page invalid" (400), and fetches each listed record with a
Range request. The WARC capture middleware checks the record (``pipelines.commoncrawl_record``:
the import's gate, and its Target-URI against the URL asked for) and keeps it; the spider
reads the page it records as the crawl reads a page, with ``via = "commoncrawl"`` and the
record's date as ``fetched_at``. A digest's linked pages are looked up in the collections
nearest its capture (a 404 "No Captures" moves to the next one).

Shares the Wayback spider's bookkeeping (plan pages, duplicate rows, failures, links).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from scrapy.utils.defer import deferred_to_future
from twisted.internet.defer import Deferred

from crawler.archive_limiter import KIND
from crawler.blocks import block_reason
from crawler.commoncrawl import (
    COLLINFO_URL,
    UNKNOWN_COLLECTION,
    CcRow,
    Collection,
    anchor,
    choose,
    end_of_results,
    index_query,
    lookup_order,
    parse_collinfo,
    parse_index,
    parse_resume,
    range_header,
    record_url,
    resume_key,
    row_charset,
)
from crawler.items import Capture, Digest
from crawler.sites import article_id, canonical_url, site_for_url
from crawler.spiders.base import capture_from_response, header_charset, read_body
from crawler.wayback_spider import WaybackSpider

logger = logging.getLogger(__name__)
VIA = "commoncrawl"
CACHE_SECONDS = 24 * 3600
"""How long a cached collection list is used (a new crawl is published about monthly)."""
END = (400, 404)


class CommonCrawlSpider(WaybackSpider):
    """Captures of one source from Common Crawl (``plan``: a BackfillPlan)."""

    name = "commoncrawl"
    allowed_domains = ["8btc.com", "foresightnews.pro", "commoncrawl.org"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.all: list[Collection] = []
        self.walked: list[Collection] = []

    waiting: ClassVar[dict[str, list[Deferred]]] = {}
    """Spiders of the run waiting for the collection list another one is fetching."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        cached = self.cached_collinfo()
        key = self.plan.cache or ""
        if cached is None and key in self.waiting:  # another source's spider asks for it
            waiter: Deferred = Deferred()
            self.waiting[key].append(waiter)
            cached = await deferred_to_future(waiter)
            if cached is None:
                return
        if cached is None:
            self.waiting[key] = []
            yield scrapy.Request(COLLINFO_URL, callback=self.parse_collinfo,
                                 errback=self.collinfo_failed, meta={KIND: "index"},
                                 dont_filter=True)
            return
        for request in self.begin(cached):
            yield request

    def share(self, collections: list[Collection] | None) -> None:
        """Hand the collection list (None: none came) to the spiders waiting for it."""
        for waiter in self.waiting.pop(self.plan.cache or "", []):
            waiter.callback(collections)

    def collinfo_failed(self, failure: Any) -> None:
        self.share(None)
        self.cdx_failed(failure)

    def cached_collinfo(self) -> list[Collection] | None:
        path = self.plan.cache
        if not path or not os.path.exists(path) or \
                time.time() - os.path.getmtime(path) > CACHE_SECONDS:
            return None
        try:
            with open(path, "rb") as handle:
                return parse_collinfo(handle.read())
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def parse_collinfo(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            collections = parse_collinfo(response.body) if response.status == 200 else None
        except (ValueError, KeyError, TypeError):
            collections = None
        self.share(collections)
        if collections is None:
            self.crawler.stats.inc_value("backfill/collinfo_unreadable")
            return
        if self.plan.cache:
            tmp = f"{self.plan.cache}.{os.getpid()}.tmp"
            with open(tmp, "wb") as handle:
                handle.write(response.body)
            os.replace(tmp, self.plan.cache)
        yield from self.begin(collections)

    def begin(self, collections: list[Collection]) -> Iterator[scrapy.Request]:
        """The pending lookups, then the walk from where the last run stopped."""
        self.all = collections
        self.walked = choose(collections, self.plan.since, self.plan.until,
                             self.plan.collections)
        unknown = set(self.plan.collections) - {c.id for c in collections}
        for name in sorted(unknown):  # the command names them in its error line
            self.crawler.stats.set_value(f"{UNKNOWN_COLLECTION}{name}", 1)
        for url in self.plan.pending:
            request = self.lookup(url, anchor(self.plan.link_dates.get(url)), -1)
            if request is not None:
                yield request
        if self.plan.walk and self.walked:
            yield self.listing(*parse_resume(self.plan.resume_key, self.walked))
        elif not self.plan.pending:
            self.crawler.stats.set_value("backfill/up_to_date", 1)

    def listing(self, index: int, page: int) -> scrapy.Request:  # type: ignore[override]
        """One page of a collection's index listing of the source."""
        url = index_query(self.walked[index], self.plan.prefix, prefix=True,
                          since=self.plan.since, until=self.plan.until, page=page,
                          page_size=self.settings.getint("CC_INDEX_PAGE_SIZE", 0))
        return scrapy.Request(url, callback=self.parse_listing, errback=self.cdx_failed,
                              meta={KIND: "index", "handle_httpstatus_list": list(END)},
                              cb_kwargs={"index": index, "number": page}, dont_filter=True)

    def parse_listing(self, response: Response, index: int,  # type: ignore[override]
                      number: int) -> Iterator[Any]:
        """Every new capture on the page, then the next page (or collection)."""
        ended = end_of_results(response.status, response.body)
        rows = [] if ended else self.index_rows(response, self.walked[index].id)
        if rows is None:
            return
        page = self.plan.open_page()
        for row in rows:
            if self.first_listing(row.key) and row.status.isdigit() and \
                    (row.url, iso14(row.timestamp)) not in self.plan.done:
                self.plan.add(page)
                yield self.record(row, page)
        following = (index + 1, 0) if ended else (index, number + 1)
        more = following[0] < len(self.walked)
        self.plan.close_page(page, resume_key(self.walked[following[0]].id, following[1])
                             if more else None)
        if more:
            yield self.listing(*following)

    def index_rows(self, response: Response, collection: str) -> list[CcRow] | None:
        """The rows of an index answer; None when it is unusable."""
        if response.status != 200:
            self.crawler.stats.inc_value(f"backfill/cdx_status/{response.status}")
            return None
        try:
            rows = parse_index(response.body, collection)
        except (ValueError, KeyError, TypeError) as exc:
            logger.warning("unreadable index answer from %s: %s", response.url, exc)
            self.crawler.stats.inc_value("backfill/cdx_unreadable")
            return None
        self.crawler.stats.inc_value("backfill/cdx_read")
        return rows

    def record(self, row: CcRow, page: int) -> scrapy.Request:
        """The row's record: a Range request for its bytes in the collection's WARC file."""
        return scrapy.Request(
            record_url(row), headers={"Range": range_header(row)},
            callback=self.parse_capture, errback=self.capture_failed,
            meta={KIND: "record", "cc_url": row.url, "dont_redirect": True,
                  "handle_httpstatus_all": True},
            cb_kwargs={"row": row, "page": page}, dont_filter=True)

    def lookup(self, url: str, after: str | None, page: int,  # type: ignore[override]
               order: list[Collection] | None = None) -> scrapy.Request | None:
        """The index lookup of a linked page not archived yet, in the nearest collection."""
        if order is None:
            url = canonical_url(url)
            if url in self.plan.known or url in self.looked_up:
                return None
            self.looked_up.add(url)
            self.plan.add(page)
            order = lookup_order(self.all, after,
                                 self.settings.getint("CC_LOOKUP_COLLECTIONS", 6))
        if not order:
            self.crawler.stats.inc_value("backfill/not_in_archive")
            self.plan.finish(page)
            return None
        return scrapy.Request(
            index_query(order[0], url, prefix=False), callback=self.parse_lookup,
            errback=self.cdx_failed, meta={KIND: "index", "handle_httpstatus_list": list(END)},
            cb_kwargs={"url": url, "after": after, "page": page, "order": order},
            dont_filter=True)

    def parse_lookup(self, response: Response, url: str, after: str | None,  # type: ignore[override]
                     page: int, order: list[Collection]) -> Iterator[Any]:
        found = [] if end_of_results(response.status, response.body) else \
            self.index_rows(response, order[0].id)
        if found is None:
            return
        readable = sorted((r for r in found if r.status == "200"), key=lambda r: r.timestamp)
        later = [r for r in readable if after is None or r.timestamp >= after]
        row = (later or readable[-1:] or [None])[0]
        if row is None:
            request = self.lookup(url, after, page, order[1:])
            if request is not None:
                yield request
        elif (row.url, iso14(row.timestamp)) in self.plan.done:
            self.plan.finish(page)
        else:
            self.seen.add(row.key)
            yield self.record(row, page)

    def parse_capture(self, response: Response, row: CcRow,  # type: ignore[override]
                      page: int) -> Iterator[Any]:
        """A record as the crawl would read the page; what is not the page recorded as such."""
        capture = self.archived_capture(capture_from_response(response), row)
        refused = response.meta.get("cc_refused")
        if response.status in (429, 500, 502, 503, 504) or (
                refused and 400 <= response.status < 600):  # the archive's trouble
            yield dataclasses.replace(capture, error_kind="http_error",
                                      error=f"HTTP {response.status} from the archive")
            return
        if refused:
            kind = "wrong_record" if refused.reason == "wrong_target" else "refused"
            yield dataclasses.replace(capture, page_kind=kind,
                                      error_kind=f"archived_{refused.reason}",
                                      error=refused.detail)
        else:
            yield from self.read_record(response, row, capture, page)
        self.plan.finish(page)

    def read_record(self, response: Response, row: CcRow, capture: Capture,
                    page: int) -> Iterator[Any]:
        reason = block_reason(response.status, response.body, capture.content_type)
        if reason:
            yield dataclasses.replace(capture, page_kind="blocked", error_kind="archived_block",
                                      error=f"the archive captured a block: {reason}")
        elif 300 <= response.status < 400:
            yield dataclasses.replace(capture, page_kind="redirect")
        elif response.status >= 400:
            yield dataclasses.replace(capture, page_kind="error_page",
                                      error_kind="archived_error",
                                      error=f"the archive captured HTTP {response.status}")
        else:
            charset = row_charset(header_charset(response), row)
            item = read_body(capture, response.body, row.url, charset)
            yield item
            if isinstance(item, Digest):
                yield from self.follow_links(item, row, page)

    def follow_links(self, digest: Digest, row: CcRow, page: int) -> Iterator[Any]:
        """The digest's linked articles, looked up from its publication on (a crawl captures
        a page after it was published; a digest may be captured years after it was)."""
        since = min(anchor(digest.published_at, row.timestamp) or row.timestamp, row.timestamp)
        for rec in digest.recommendations:
            if rec.url and article_id(rec.url) is not None:
                request = self.lookup(rec.url, since, page)
                if request is not None:
                    yield request

    def archived_capture(self, capture: Capture, row: CcRow) -> Capture:  # type: ignore[override]
        """The capture under the URL asked for and the archive's capture time (the index's
        timestamp: the record's WARC-Date), from Common Crawl."""
        site = site_for_url(row.url)
        return dataclasses.replace(capture, url=row.url, site=site.name if site else None,
                                   fetched_at=iso14(row.timestamp), via=VIA)


def iso14(timestamp: str) -> str:
    """A 14-digit index timestamp as ISO UTC ``...Z``."""
    t = timestamp.ljust(14, "0")
    return f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"

