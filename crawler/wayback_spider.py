"""Backfill from the Wayback Machine: list a source's captures (CDX), fetch each one raw.

One spider per source (``newsarchive backfill --from wayback``), named after it so run
health reads as for a crawl; it lives outside ``crawler.spiders`` because it needs a plan
(``scrapy crawl`` cannot give one). It walks the CDX listing of the source's detail pages in the
plan's window page by page (resume keys), fetches every capture it lists through the
``id_`` playback, and reads it as the crawl reads a page: the same middlewares (the
archive limiter among them), WARC writer, parsers, dedupe and store. A capture is
recorded with ``via = "wayback"``, its original URL and the archive's capture time as
``fetched_at``, so relative dates on it are read against the time it was captured.

The archives' pitfalls are recorded as such, never as pages: a playback that is another
capture than the row's (``archived_moved``), "not archived" (``archived_missing``), a
captured WAF page or Vue shell (``archived_block``), a captured error (``archived_error``);
a captured redirect is kept as a ``redirect`` capture. Duplicate rows are fetched once,
revisit rows (status ``-``) like any capture. A digest's linked articles are looked up
(CDX, exact URL) and the capture nearest after the digest's is fetched.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.archive_limiter import KIND
from crawler.backfill_plan import BackfillPlan
from crawler.blocks import block_reason
from crawler.items import Capture, Digest
from crawler.sites import article_id, canonical_url, site_for_url
from crawler.spiders.base import (
    ArchiveSpider,
    _header,
    capture_from_failure,
    capture_from_response,
    header_charset,
    read_body,
)
from crawler.wayback import (
    CdxRow,
    cdx_query,
    is_playback,
    iso,
    memento_problem,
    nearest_row,
    parse_cdx,
    playback_url,
)

logger = logging.getLogger(__name__)
VIA = "wayback"


class WaybackSpider(ArchiveSpider):
    """Captures of one source from the Wayback Machine (``plan``: a BackfillPlan)."""

    name = "wayback"
    allowed_domains = ["8btc.com", "foresightnews.pro", "archive.org"]
    archive_limits = True
    """Turns on crawler.archive_limiter for this spider's crawler."""
    plan: BackfillPlan  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.seen: set[tuple[str, str]] = set()
        self.looked_up: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.plan.pending:
            request = self.lookup(url, None, -1)
            if request is not None:
                yield request
        if self.plan.walk:
            yield self.listing(self.plan.resume_key)
        elif not self.plan.pending:  # the window was walked to its end before
            self.crawler.stats.set_value("backfill/up_to_date", 1)

    def listing(self, key: str | None) -> scrapy.Request:
        """One page of the source's CDX listing, from ``key`` on."""
        url = cdx_query(self.plan.prefix, prefix=True, since=self.plan.since,
                        until=self.plan.until, resume_key=key,
                        limit=self.settings.getint("WAYBACK_CDX_PAGE_ROWS", 500))
        return scrapy.Request(url, callback=self.parse_listing, errback=self.cdx_failed,
                              meta={KIND: "cdx"}, dont_filter=True)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """Every new capture on the page, then the next page."""
        rows, next_key = self.cdx_rows(response)
        if rows is None:
            return
        page = self.plan.open_page()
        for row in rows:
            if not self.first_listing(row.key) or \
                    (row.original, iso(row.timestamp)) in self.plan.done:
                continue
            self.plan.add(page)
            yield self.playback(row, page)
        self.plan.close_page(page, next_key)
        if next_key:
            yield self.listing(next_key)

    def first_listing(self, key: tuple[str, str]) -> bool:
        """False for a duplicate row (the same capture listed twice), counted."""
        if key in self.seen:
            self.crawler.stats.inc_value("backfill/duplicate_rows")
            return False
        self.seen.add(key)
        return True

    def cdx_rows(self, response: Response) -> tuple[list[CdxRow] | None, str | None]:
        """The rows and resume key of a CDX answer; (None, None) when it is unusable."""
        if response.status != 200:
            self.crawler.stats.inc_value(f"backfill/cdx_status/{response.status}")
            return None, None
        try:
            rows, key = parse_cdx(response.body)
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            logger.warning("unreadable CDX answer from %s: %s", response.url, exc)
            self.crawler.stats.inc_value("backfill/cdx_unreadable")
            return None, None
        self.crawler.stats.inc_value("backfill/cdx_read")
        return rows, key

    def playback(self, row: CdxRow, page: int) -> scrapy.Request:
        """The raw capture of a row; redirects are looked at, never followed."""
        return scrapy.Request(
            playback_url(row), callback=self.parse_capture, errback=self.capture_failed,
            meta={KIND: "playback", "dont_redirect": True, "handle_httpstatus_all": True},
            cb_kwargs={"row": row, "page": page}, dont_filter=True)

    def lookup(self, url: str, after: str | None, page: int) -> scrapy.Request | None:
        """The CDX lookup of a linked page not archived yet (once per run)."""
        url = canonical_url(url)
        if url in self.plan.known or url in self.looked_up:
            return None
        self.looked_up.add(url)
        self.plan.add(page)
        return scrapy.Request(cdx_query(url, prefix=False, limit=1000),
                              callback=self.parse_lookup, errback=self.cdx_failed,
                              meta={KIND: "cdx"}, cb_kwargs={"after": after, "page": page},
                              dont_filter=True)

    def parse_lookup(self, response: Response, after: str | None, page: int) -> Iterator[Any]:
        rows, _ = self.cdx_rows(response)
        row = nearest_row(rows or [], after)
        if row is None:
            self.crawler.stats.inc_value("backfill/not_in_archive")
        elif (row.original, iso(row.timestamp)) not in self.plan.done:
            self.seen.add(row.key)
            yield self.playback(row, page)
            return
        if rows is not None:  # answered: the lookup is done
            self.plan.finish(page)

    def parse_capture(self, response: Response, row: CdxRow, page: int) -> Iterator[Any]:
        """A capture as the crawl would read the page; the pitfalls recorded as such."""
        capture = self.archived_capture(capture_from_response(response), row)
        if response.status in (429, 500, 502, 503, 504):  # the archive's trouble, not the page's
            yield dataclasses.replace(capture, error_kind="http_error",
                                      error=f"HTTP {response.status} from the archive")
            return
        problem = self.pitfall(response, row, capture)
        if problem is not None:
            yield dataclasses.replace(capture, page_kind=problem[0], error_kind=problem[1],
                                      error=problem[2])
        elif 300 <= response.status < 400:
            yield dataclasses.replace(capture, page_kind="redirect")
        else:
            item = read_body(capture, response.body, row.original, header_charset(response))
            yield item
            if isinstance(item, Digest):
                yield from self.follow_archived_links(item, row, page)
        self.plan.finish(page)

    def pitfall(self, response: Response, row: CdxRow,
                capture: Capture) -> tuple[str, str, str] | None:
        """(page kind, error kind, reason) when the playback is not the row's page."""
        location = response.headers.get(b"Location", b"").decode("latin-1")
        if 300 <= response.status < 400 and is_playback(location):
            return "archive_redirect", "archived_moved", f"playback moved to {location}"
        if response.status == 404 and not row.statuscode.startswith("4"):
            return "not_archived", "archived_missing", "the archive has not archived it"
        moved = memento_problem(row, _header(response, b"Memento-Datetime"),
                                _header(response, b"Link"))
        if moved:
            return "archive_redirect", "archived_moved", moved
        reason = block_reason(response.status, response.body, capture.content_type)
        if reason:
            return "blocked", "archived_block", f"the archive captured a block: {reason}"
        if response.status >= 400:
            return "error_page", "archived_error", f"the archive captured HTTP {response.status}"
        return None

    def archived_capture(self, capture: Capture, row: CdxRow) -> Capture:
        """The capture under its original URL and time, from the archive."""
        site = site_for_url(row.original)
        return dataclasses.replace(capture, url=row.original, fetched_at=iso(row.timestamp),
                                   site=site.name if site else None, via=VIA)

    def follow_archived_links(self, digest: Digest, row: CdxRow, page: int) -> Iterator[Any]:
        for rec in digest.recommendations:
            if rec.url and article_id(rec.url) is not None:
                request = self.lookup(rec.url, row.timestamp, page)
                if request is not None:
                    yield request

    def cdx_failed(self, failure: Failure) -> None:
        """A CDX request that got no answer: its page stays undone for the next run."""
        self.crawler.stats.inc_value("backfill/cdx_failed")
        logger.warning("CDX request failed: %s", failure.getErrorMessage())

    def capture_failed(self, failure: Failure) -> Iterator[Capture]:
        """A playback that got no answer: recorded, and fetched again by the next run."""
        if "Budget" in failure.type.__name__:
            return
        row = failure.request.cb_kwargs["row"]
        yield self.archived_capture(capture_from_failure(failure), row)
