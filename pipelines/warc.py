"""Downloader middleware that writes every exchange the crawler has to WARC files.

It sits next to the downloader (priority 800, above HttpCompression at 590 and
Redirect at 600), so it sees each response as received: compressed bodies still
compressed, redirects and 5xx answers before they are followed or retried. A
fetch that gets no response is written as a metadata record with its reason.
The record's reference travels in ``request.meta["warc"]``; the spider copies it
into the Capture, and the store pipeline into the captures row. A payload the
archive already holds becomes a revisit record (looked up in ``captures`` by
payload digest, and in what this process wrote).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from typing import Any, ClassVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from archive.warc import DEFAULT_MAX_BYTES, Exchange, RecordRef, WarcStore, warc_dir_for
from crawler.clock import utc_now

logger = logging.getLogger(__name__)
META_KEY = "warc"


class WarcCaptureMiddleware:
    """Writes request/response (or error) records; puts the record's reference in meta."""

    # One store per run and folder, shared by the spiders of the run, so that a payload
    # two spiders both fetch is written once.
    _stores: ClassVar[dict[tuple[str, str], WarcStore]] = {}

    def __init__(self, store: WarcStore, key: tuple[str, str]):
        self.store = store
        self.key = key

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        db_path = settings.get("ARCHIVE_DB")
        if not settings.getbool("WARC_ENABLED", True) or not (db_path or settings.get("WARC_DIR")):
            raise NotConfigured("WARC_ENABLED is off, or neither ARCHIVE_DB nor WARC_DIR is set")
        folder = settings.get("WARC_DIR") or str(warc_dir_for(db_path))
        run = settings.get("ARCHIVE_RUN_ID")
        label = f"run{int(run):06d}" if run else f"{utc_now().replace(':', '')}-{os.getpid()}"
        if settings.get("WARC_LABEL"):  # a distributed worker: its own files in a shared folder
            label = f"{label}-{settings.get('WARC_LABEL')}"
        key = (folder, label)
        store = cls._stores.get(key)
        if store is None:
            store = WarcStore(folder, f"newsarchive-{label}",
                              max_bytes=settings.getint("WARC_MAX_BYTES", DEFAULT_MAX_BYTES),
                              seen=ArchivedPayloads(db_path) if db_path else None)
            cls._stores[key] = store
        middleware = cls(store, key)
        crawler.signals.connect(middleware.close, signal=_spider_closed())
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("archive_kind") == "record":  # a Common Crawl record: kept as such
            from pipelines.commoncrawl_record import unwrap

            response, ref = unwrap(self.store, request, response)
            if ref is not None:
                request.meta[META_KEY] = capture_fields(ref)
                return response
        ref = self.store.write_exchange(to_exchange(request, response))
        request.meta[META_KEY] = capture_fields(ref)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        message = f"{type(exception).__name__}: {exception}".splitlines()[0][:500]
        request.meta[META_KEY] = capture_fields(self.store.write_error(
            request.url, utc_now(), type(exception).__name__, message))

    def close(self) -> None:
        """Flush the shared file to disk; the last spider of the run closes it."""
        store = self._stores.get(self.key)
        if store is not None:
            store.close()


def _spider_closed() -> object:
    from scrapy import signals

    return signals.spider_closed


def to_exchange(request: Request, response: Response) -> Exchange:
    """The exchange as received, from Scrapy's request and response."""
    truncated = "disconnect" if "dataloss" in (response.flags or []) else None
    return Exchange(
        url=response.url, status=response.status, headers=_pairs(response.headers),
        body=response.body, date=utc_now(), request_headers=_request_headers(request),
        method=request.method, protocol=response.protocol or "HTTP/1.1",
        truncated=truncated)


def _request_headers(request: Request) -> list[tuple[str, str]]:
    host = request.url.split("/")[2] if request.url.count("/") >= 2 else ""
    return [("Host", host), *_pairs(request.headers)]


def _pairs(headers: Any) -> list[tuple[str, str]]:
    out = []
    for name, values in headers.items():
        for value in values:
            out.append((name.decode("latin-1"), value.decode("latin-1")))
    return out


class ArchivedPayloads:
    """``seen(digest)``: the first archived capture of a payload, from the captures table."""

    def __init__(self, db_path: str):
        self.db_path = db_path
        self.conn: sqlite3.Connection | None = None

    def __call__(self, digest: str) -> tuple[str, str] | None:
        if not os.path.exists(self.db_path):
            return None
        if self.conn is None:
            self.conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True,
                                        check_same_thread=False)
        try:
            row = self.conn.execute(
                "SELECT final_url, fetched_at FROM captures WHERE warc_digest = ? "
                "AND warc_type = 'response' ORDER BY id LIMIT 1", (digest,)).fetchone()
        except sqlite3.OperationalError:  # an archive from before WARC columns existed
            return None
        return (row[0], row[1]) if row else None


def capture_fields(ref: RecordRef) -> dict[str, Any]:
    """What the spider copies into the Capture: the record's time and ``warc_*`` fields."""
    return {"fetched_at": ref.date, **ref.as_columns()}
