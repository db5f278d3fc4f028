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
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.clock import utc_now
from crawler.items import Article, Capture, Digest, ListingEntry
from crawler.parsers import ParseError, parse_page
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
    )


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
        return dataclasses.replace(capture, error_kind=kind, error=f"HTTP {response.status}")
    site = site_for_url(request.url)
    fields = {"fetched_at": utc_now(), **_warc_fields(request.meta)}
    return Capture(
        url=(request.meta.get("redirect_urls") or [request.url])[0], final_url=request.url,
        status=None, site=site.name if site else None, **fields,
        error_kind=_failure_kind(failure),
        error=f"{failure.type.__name__}: {failure.getErrorMessage()}".splitlines()[0][:500],
    )


def _failure_kind(failure: Failure) -> str:
    name = failure.type.__name__
    if name == "IgnoreRequest" and "robots" in failure.getErrorMessage().lower():
        return "robots_disallowed"
    return {"IgnoreRequest": "ignored", "NotMirrored": "not_mirrored",
            "TimeoutError": "timeout", "DownloadTimeoutError": "timeout"}.get(name, "network")


class ArchiveSpider(scrapy.Spider):
    """Base of the site spiders: listing APIs lead to pages, digests lead to articles."""

    allowed_domains = ["8btc.com", "foresightnews.pro"]
    custom_settings: dict[str, Any] = {}

    def page_request(self, url: str) -> scrapy.Request:
        """A request for a detail page, in canonical form so aliases are fetched once."""
        return scrapy.Request(canonical_url(url), callback=self.parse_page,
                              errback=self.record_failure)

    def parse_page(self, response: Response) -> Iterator[Any]:
        """A detail page: a Digest (and requests for its linked articles) or an Article."""
        item = read_page(capture_from_response(response), response)
        yield item
        if isinstance(item, Digest):
            yield from self.follow_links(item)

    def follow_links(self, digest: Digest) -> Iterator[scrapy.Request]:
        """Every site article a digest recommends (8btc's 荐读 links, Foresight posts)."""
        for rec in digest.recommendations:
            if rec.url and article_id(rec.url) is not None:
                yield self.page_request(rec.url)

    def listing_result(self, response: Response, entries: list[ListingEntry] | ParseError,
                       next_url: str | None) -> Iterator[Any]:
        """Shared tail of listing callbacks: record the page, follow entries and the next page."""
        capture = dataclasses.replace(capture_from_response(response), page_kind="listing")
        if isinstance(entries, ParseError):
            yield _failed(capture, entries)
            return
        yield capture
        for entry in entries:
            yield self.page_request(entry.url)
        if entries and next_url:
            yield response.request.replace(url=next_url, cb_kwargs=self.next_kwargs(response))

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
        """Errback: whatever could not be fetched is recorded with its reason."""
        capture = capture_from_failure(failure)
        logger.warning("could not fetch %s: %s", capture.url, capture.error)
        yield capture


def read_page(capture: Capture, response: Response) -> Digest | Article | Capture:
    """The record a detail page holds, carrying its capture; or the capture with the reason.

    Shared by the spiders, ``reparse`` and ``import``, so a page stored from a WARC
    record is read exactly as the crawl read it (Scrapy's decoding included).
    """
    text = response.text if isinstance(response, TextResponse) else response.body
    try:
        record = parse_page(text, response.url)
    except ParseError as exc:
        return _failed(capture, exc)
    kind = "digest" if isinstance(record, Digest) else "article"
    return dataclasses.replace(record, capture=dataclasses.replace(capture, page_kind=kind))


def _failed(capture: Capture, exc: ParseError) -> Capture:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    logger.warning("could not read %s: %s (%s)", capture.url, reason, exc.kind)
    kind = "not_found" if exc.kind == "not_found" else capture.page_kind
    return dataclasses.replace(capture, page_kind=kind, error_kind=exc.kind, error=reason)

