"""The crawl's item chain without a crawl: WARC records in, archive rows out.

``reparse`` and ``import`` store pages exactly as a crawl would: a record becomes
a Scrapy response (so the body is decoded the way Scrapy decoded it), the
spiders' own ``read_page`` reads it, and the item goes through the same
normalise, dedupe and store steps as in ITEM_PIPELINES (health and validators
count crawl traffic, which an offline run has none of). ``reparse`` skips the
response itself: ``OfflineChain.read_record`` hands the same body, URL and
Content-Type charset to ``read_body``, the part of ``read_page`` after the response.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.http.response.html import HtmlResponse
from scrapy.http.response.text import TextResponse
from w3lib.encoding import http_content_type_encoding

from archive.warc import StoredRecord
from crawler.items import Article, Capture, Digest
from crawler.sites import is_listing_url
from crawler.spiders.base import capture_from_response, read_body, read_page
from pipelines.dedupe import DedupePipeline
from pipelines.normalize import NormalizePipeline
from pipelines.store import outcome_keys, store_item

# Headers that describe the bytes on the wire, which a decoded payload no longer has.
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
_TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml",
               "application/xhtml")


def response_from_record(record: StoredRecord, url: str | None = None,
                         meta: dict[str, Any] | None = None) -> Response:
    """A Scrapy response carrying the record's decoded payload and its HTTP headers.

    With ``meta`` (import: the capture's time and record travel in it) the response has
    a request, as in a crawl; without, none is built, and only the body's type is kept
    (all that reading it needs)."""
    headers = _record_headers(record, every=meta is not None)
    target = url or record.url
    request = Request(target, meta=dict(meta)) if meta is not None else None
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    cls = _response_class(content_type)
    return cls(url=target, status=record.status or 200, headers=headers,
               body=record.payload, request=request)


def _record_headers(record: StoredRecord, every: bool) -> list[tuple[str, str]]:
    """The headers a response made of the record carries: all but the wire's, or
    (``every`` False) its Content-Type only."""
    if record.type == "resource":
        return [("Content-Type", record.warc_headers.get("Content-Type", "text/html"))]
    if every:
        return [(k, v) for k, v in record.http_headers if k.lower() not in _WIRE_HEADERS]
    return [(k, v) for k, v in record.http_headers if k.lower() == "content-type"]


def _response_class(content_type: str) -> type[Response]:
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml") or not kind:
        return HtmlResponse
    if kind.startswith(_TEXT_TYPES):
        return TextResponse
    return Response


def is_page(capture: Capture, response: Response) -> bool:
    """Whether a fetch is a page the parsers read (HTML, 2xx) rather than an API answer."""
    return isinstance(response, HtmlResponse) and 200 <= (capture.status or 0) < 300


def capture_of(response: Response) -> Capture:
    """The Capture a crawl would have made of this response (time and record from meta)."""
    return capture_from_response(response)


class OfflineChain:
    """normalise -> dedupe -> store, counting outcomes under the crawl's stats keys."""

    def __init__(self, db: Any, run_id: int | None):
        self.db = db
        self.run_id = run_id
        self.normalize = NormalizePipeline()
        self.dedupe = DedupePipeline()
        self.stats: Counter[str] = Counter()

    def process(self, item: Digest | Article | Capture, capture_id: int | None = None,
                prepared: bool = False) -> tuple[str, str]:
        """Normalise (unless ``prepared`` already) and store one item; (table, outcome)."""
        if not prepared:
            item = self.prepare(item)
        table, outcome = store_item(self.db, item, self.run_id, capture_id=capture_id)
        self.stats.update(outcome_keys(item, table, outcome))
        return table, outcome

    def prepare(self, item: Any) -> Any:
        """The item as the pipelines before the store step leave it (ITEM_PIPELINES order)."""
        return self.dedupe.process_item(self.normalize.process_item(item))

    def read(self, response: Response, capture: Capture | None = None) -> Any:
        """The item a crawl stores for this response: a page's record, or a bare capture."""
        capture = capture or capture_of(response)
        if is_page(capture, response):
            return read_page(capture, response)
        return _not_a_page(capture)

    def read_record(self, record: StoredRecord, capture: Capture, url: str | None = None) -> Any:
        """``read(response_from_record(record, url), capture)`` without making the response
        (a Scrapy response and its headers per page were a tenth of what ``reparse`` adds
        to parsing): the same body, URL and Content-Type go to the spiders' reading."""
        types = [v for _, v in _record_headers(record, every=False)]
        html = _response_class(types[0] if types else "") is HtmlResponse
        if html and 200 <= (capture.status or 0) < 300:
            charset = http_content_type_encoding(types[-1]) if types else None
            return read_body(capture, record.payload, url or record.url, charset)
        return _not_a_page(capture)


def _not_a_page(capture: Capture) -> Capture:
    """A fetch that is no page: a listing's, or a bare capture."""
    if is_listing_url(capture.url):
        return dataclasses.replace(capture, page_kind="listing")
    return capture
