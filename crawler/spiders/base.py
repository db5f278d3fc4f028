"""What both spiders share: turning a response into a Capture, reading pages, recording failures.

A callback builds the Capture, hands text and URL to a parser, and yields the
parsed record with its capture attached. No Response leaves the spider. Every
fetch yields exactly one item: a Digest, an Article, or a bare Capture (a
listing page, or a page that could not be read, with the reason). A parse
failure never stops the crawl.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.encoding import http_content_type_encoding

from crawler.blocks import block_reason
from crawler.budget import BudgetExhausted
from crawler.clock import utc_now
from crawler.items import Article, Capture, Digest, ListingEntry
from crawler.netfail import network_kind
from crawler.parsers import ParseError, parse_page
from crawler.parsers.document import check_complete, claims_chinese, decode_bytes_as
from crawler.plan import CrawlPlan
from crawler.sites import article_id, canonical_url, site_for_url

logger = logging.getLogger(__name__)


def capture_from_response(response: Response) -> Capture:
    """What we keep of any response: where it came from, when, what, its digest, its record."""
    meta = response.request.meta if response.request is not None else {}
    redirects = meta.get("redirect_urls") or [response.url]
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    body = response.body
    site = site_for_url(redirects[0])
    fields = {"fetched_at": utc_now(), **_warc_fields(meta)}
    return Capture(
        url=redirects[0], final_url=response.url, status=response.status,
        content_type=content_type.split(";")[0].strip().lower() or None,
        body_sha256=hashlib.sha256(body).hexdigest(), body_length=len(body),
        site=site.name if site else None, **fields,
        etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"),
    )


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _warc_fields(meta: dict[str, Any]) -> dict[str, Any]:
    """The WARC record the capture middleware (pipelines.warc) wrote for this fetch:
    ``fetched_at`` and the ``warc_*`` fields, a plain dict in ``meta["warc"]``."""
    return dict(meta.get("warc") or {})


def capture_from_failure(failure: Failure) -> Capture:
    """A fetch that gave no usable response: the reason, and the response when there was one."""
    response = failure.value.response if failure.check(HttpError) else None
    request = failure.request
    if response is not None:
        capture = capture_from_response(response)
        kind = "not_found" if response.status in (404, 410) else "http_error"
        if block_reason(response.status, response.body):
            kind = "blocked"
        return dataclasses.replace(capture, error_kind=kind, error=f"HTTP {response.status}")
    site = site_for_url(request.url)
    fields = {"fetched_at": utc_now(), **_warc_fields(request.meta)}
    return Capture(
        url=(request.meta.get("redirect_urls") or [request.url])[0], final_url=request.url,
        status=None, site=site.name if site else None, **fields,
        error_kind=_failure_kind(failure),
        error=f"{failure.type.__name__}: {failure.getErrorMessage()}".splitlines()[0][:500],
    )


def header_charset(response: Response) -> str | None:
    """The charset the Content-Type header names, if any (a hint: the body's own wins)."""
    return http_content_type_encoding(response.headers.get(b"Content-Type", b"").decode("latin-1"))


_IGNORED_BECAUSE = (("robots", "robots_disallowed"), ("redirections", "redirect_loop"),
                    ("max size", "too_large"), ("maxsize", "too_large"),
                    ("larger than download max", "too_large"))


def _failure_kind(failure: Failure) -> str:
    name = failure.type.__name__
    kind = getattr(failure.value, "kind", None)
    if isinstance(kind, str):  # crawler.safety's refusals carry their own
        return kind
    message = failure.getErrorMessage().lower()
    if name == "IgnoreRequest":
        for words, kind in _IGNORED_BECAUSE:
            if words in message:
                return kind
    known = {"IgnoreRequest": "ignored", "NotMirrored": "not_mirrored",
             "ResponseDataLossError": "data_loss", "DownloadCancelledError": "too_large",
             "DecompressionError": "bad_compression"}.get(name)
    return known or network_kind(failure.type, message)


class ArchiveSpider(scrapy.Spider):
    """Base of the site spiders: listing APIs lead to pages, digests lead to articles."""

    allowed_domains = ["8btc.com", "foresightnews.pro"]
    custom_settings: dict[str, Any] = {}
    plan: CrawlPlan | None = None
    """What to fetch (``crawler.plan``); None fetches everything (a plain ``scrapy crawl``)."""
    blocked = 0

    def frontier_requests(self) -> Iterator[scrapy.Request]:
        """Recommended links of this site that earlier runs left unfetched."""
        for url in self.plan.pending if self.plan else ():
            site = site_for_url(url)
            if site is not None and site.name == self.name:
                request = self.page_request(url)
                if request is not None:
                    yield request

    def page_request(self, url: str, published_at: str | None = None) -> scrapy.Request | None:
        """A request for a detail page in canonical form (aliases are fetched once), or
        None when the plan says the archive has it; a re-check carries its validators."""
        url = canonical_url(url)
        if self.plan is None:
            return scrapy.Request(url, callback=self.parse_page, errback=self.record_failure)
        if not self.plan.wants(url, published_at):
            return None
        headers = self.plan.validators(url)
        meta = {"handle_httpstatus_list": [304]} if url in self.plan.recheck else {}
        return scrapy.Request(url, callback=self.parse_page, errback=self.record_failure,
                              headers=headers, meta=meta)

    def parse_page(self, response: Response) -> Iterator[Any]:
        """A detail page: a Digest (and requests for its linked articles) or an Article."""
        capture = capture_from_response(response)
        if response.status == 304:
            yield dataclasses.replace(capture, page_kind="not_modified")
            return
        if self.is_blocked(capture, response):
            yield self.blocked_capture(capture, response)
            self.count_block()
            return
        item = read_page(capture, response)
        yield item
        if isinstance(item, Digest):
            yield from self.follow_links(item)

    def follow_links(self, digest: Digest) -> Iterator[scrapy.Request]:
        """Every site article a digest recommends (8btc's 荐读 links, Foresight posts)."""
        for rec in digest.recommendations:
            if rec.url and article_id(rec.url) is not None:
                request = self.page_request(rec.url)
                if request is not None:
                    yield request

    def listing_result(self, response: Response, entries: list[ListingEntry] | ParseError,
                       next_url: str | None, listing: str | None = None) -> Iterator[Any]:
        """Shared tail of listing callbacks: record the page, follow entries and the next page."""
        capture = dataclasses.replace(capture_from_response(response), page_kind="listing")
        if self.is_blocked(capture, response):
            yield self.blocked_capture(capture, response)
            self.count_block()
            return
        if isinstance(entries, ParseError):
            yield _failed(capture, entries)
            return
        yield capture
        for entry in entries:
            request = self.page_request(entry.url, entry.published_at)
            if request is not None:
                yield request
        go_on = bool(entries) if self.plan is None else self.plan.walk_on(
            listing or self.name, self.name, entries)
        if go_on and next_url:
            yield response.request.replace(url=next_url, cb_kwargs=self.next_kwargs(response))

    def is_blocked(self, capture: Capture, response: Response) -> bool:
        """True when the response is a block page rather than content."""
        return block_reason(response.status, response.body, capture.content_type) is not None

    def blocked_capture(self, capture: Capture, response: Response) -> Capture:
        """The capture of a block page, with what gave it away."""
        reason = block_reason(response.status, response.body, capture.content_type)
        logger.warning("blocked at %s: %s", capture.url, reason)
        return dataclasses.replace(capture, error_kind="blocked", error=reason)

    def count_block(self) -> None:
        """Stop asking a source that keeps blocking us (BLOCKED_STOP_AFTER, 0 never stops)."""
        self.blocked += 1
        limit = self.settings.getint("BLOCKED_STOP_AFTER", 5)
        if limit and self.blocked >= limit:
            raise CloseSpider("blocked")

    def next_kwargs(self, response: Response) -> dict[str, Any]:
        """cb_kwargs for the next listing page."""
        kwargs = dict(response.request.cb_kwargs)
        kwargs["page"] = kwargs.get("page", 1) + 1
        return kwargs

    def page_size(self) -> int:
        """Rows asked of a listing API per page (LISTING_PAGE_SIZE, 20 when unset)."""
        return max(1, self.settings.getint("LISTING_PAGE_SIZE", 20))

    def within_page_limit(self, page: int) -> bool:
        """False once LISTING_MAX_PAGES pages were walked (0 means no limit)."""
        limit = self.settings.getint("LISTING_MAX_PAGES")
        return limit <= 0 or page < limit

    def record_failure(self, failure: Failure) -> Iterator[Capture]:
        """Errback: whatever could not be fetched is recorded with its reason.

        A request the run's budget turned away was never sent: it is not recorded,
        the next run asks for it again."""
        if failure.check(BudgetExhausted):
            return
        capture = capture_from_failure(failure)
        logger.warning("could not fetch %s: %s", capture.url, capture.error)
        yield capture
        if capture.error_kind == "blocked":
            self.count_block()


def read_page(capture: Capture, response: Response) -> Digest | Article | Capture:
    """The record a detail page holds, carrying its capture; or the capture with the reason.

    Shared by the spiders, ``reparse`` and ``import``, so a page stored from a WARC
    record is read exactly as the crawl read it (decoding included).
    """
    return read_body(capture, response.body, response.url, header_charset(response))


def read_body(capture: Capture, body: bytes, url: str,
              charset: str | None) -> Digest | Article | Capture:
    """``read_page`` of a body without its response (``reparse`` has a WARC record's
    payload): ``charset`` is what the Content-Type header names, a hint the body's own
    declaration overrides."""
    try:
        chinese = site_for_url(url) is not None or claims_chinese(body, charset)
        text = decode_bytes_as(body, charset, chinese=chinese)[0]
        record = parse_page(text, url)
        check_complete(text)
    except ParseError as exc:
        return _failed(capture, exc)
    kind = "digest" if isinstance(record, Digest) else "article"
    return dataclasses.replace(record, capture=dataclasses.replace(capture, page_kind=kind))


def _failed(capture: Capture, exc: ParseError) -> Capture:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    logger.warning("could not read %s: %s (%s)", capture.url, reason, exc.kind)
    kind = "not_found" if exc.kind == "not_found" else capture.page_kind
    return dataclasses.replace(capture, page_kind=kind, error_kind=exc.kind, error=reason)

