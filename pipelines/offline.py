"""The crawl's item chain without a crawl: WARC records in, archive rows out.

``reparse`` and ``import`` store pages exactly as a crawl would: a record becomes
a Scrapy response (so the body is decoded the way Scrapy decoded it), the
spiders' own ``read_page`` reads it, and the item goes through the same
normalise, dedupe and store steps as in ITEM_PIPELINES (health and validators
count crawl traffic, which an offline run has none of).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.http.response.html import HtmlResponse
from scrapy.http.response.text import TextResponse

from archive.warc import StoredRecord
from crawler.items import Article, Capture, Digest
from crawler.sites import is_listing_url
from crawler.spiders.base import capture_from_response, read_page
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
    a request, as in a crawl; without, none is built (reparse makes its capture from
    the captures row, and a Request per page is a measurable share of its time)."""
    if record.type == "resource":
        headers = [("Content-Type", record.warc_headers.get("Content-Type", "text/html"))]
    elif meta is None:  # only the body's type matters to reading it (and it is cheaper)
        headers = [(k, v) for k, v in record.http_headers if k.lower() == "content-type"]
    else:
        headers = [(k, v) for k, v in record.http_headers if k.lower() not in _WIRE_HEADERS]
    target = url or record.url
    request = Request(target, meta=dict(meta)) if meta is not None else None
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    cls = _response_class(content_type)
    return cls(url=target, status=record.status or 200, headers=headers,
               body=record.payload, request=request)


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
        if is_listing_url(capture.url):
            return dataclasses.replace(capture, page_kind="listing")
        return capture
