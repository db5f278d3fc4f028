"""WARC files beside the archive: write HTTP exchanges (reading them back: archive.warc_read).

The evidence behind every row. Records are written with warcio, one gzip member
each, so a record can be read from its (file, offset, length) alone. Files
rotate by size and by run. A payload already archived is written as a
``revisit`` record that refers to the first capture of it, not stored again.
This module knows warcio and the file system, nothing of Scrapy or the crawler.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.warc_read import (  # noqa: F401 (the reading half, re-exported)
    RecordReader,
    StoredRecord,
    WarcError,
    normalize_warc_date,
    parse_record_bytes,
    read_record,
)

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
SOFTWARE = "newsarchive"
# Headers that describe the transfer, not the payload we keep: the body is stored
# de-chunked, so a Transfer-Encoding header would make readers de-chunk it again.
_TRANSFER_HEADERS = {b"transfer-encoding"}


@dataclass(frozen=True, slots=True)
class RecordRef:
    """Where one record is: its file (relative to the WARC folder), offset and length."""

    file: str
    offset: int
    length: int
    digest: str | None
    """The payload digest (``sha1:BASE32``, as in WARC-Payload-Digest); None without payload."""
    type: str
    """The record type: response, revisit, resource or metadata."""
    date: str
    """The WARC-Date, ISO 8601 UTC ending in Z."""

    def as_columns(self) -> dict[str, Any]:
        """The ``warc_*`` columns of a captures row."""
        return {"warc_file": self.file, "warc_offset": self.offset,
                "warc_length": self.length, "warc_digest": self.digest,
                "warc_type": self.type}


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP exchange as received: the raw payload, before any content decoding."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: str
    request_headers: list[tuple[str, str]] | None = None
    method: str = "GET"
    protocol: str = "HTTP/1.1"
    truncated: str | None = None
    """WARC-Truncated reason (length, time, disconnect, unspecified) when the body was cut."""


def warc_dir_for(db_path: str | os.PathLike[str]) -> Path:
    """The WARC folder of an archive: ``data/archive.db`` -> ``data/archive-warc``."""
    path = Path(db_path)
    return path.with_name(path.stem + "-warc")


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of a body: ``sha1:`` and base32, as warcio writes it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


class WarcStore:
    """Appends records to rotating ``.warc.gz`` files of one run under one folder.

    ``seen(digest)`` tells whether a payload was archived before, returning the
    (url, date) of that first capture; the store also remembers what it wrote
    itself. Every record is flushed before its reference is returned, so a row
    never points at bytes that are not on disk.
    """

    def __init__(self, folder: str | os.PathLike[str], prefix: str,
                 max_bytes: int = DEFAULT_MAX_BYTES, seen: Any = None):
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.seen = seen
        self.written: dict[str, tuple[str, str]] = {}
        self.sequence = 0
        self.handle: io.BufferedWriter | None = None
        self.name = ""
        self.writer: WARCWriter | None = None

    def write_exchange(self, exchange: Exchange) -> RecordRef:
        """A response record (or a revisit of an archived payload) with its request."""
        digest = payload_digest(exchange.body)
        first = self.written.get(digest) or (self.seen(digest) if self.seen else None)
        http_headers = StatusAndHeaders(_status_line(exchange.status),
                                        _kept_headers(exchange.headers),
                                        protocol=exchange.protocol)
        extra = {"WARC-Date": exchange.date}
        if exchange.truncated:
            extra["WARC-Truncated"] = exchange.truncated
        writer = self._writer()
        if first and not exchange.truncated:
            record = writer.create_revisit_record(
                exchange.url, digest, first[0], first[1], http_headers=http_headers,
                warc_headers_dict=extra)
        else:
            record = writer.create_warc_record(
                exchange.url, "response", payload=io.BytesIO(exchange.body),
                length=len(exchange.body), http_headers=http_headers, warc_headers_dict=extra)
        ref = self._append(record)
        if exchange.request_headers is not None:
            self._append(self._request_record(exchange, record))
        if ref.type == "response" and not exchange.truncated:
            self.written[digest] = (exchange.url, exchange.date)
        return ref

    def write_resource(self, url: str, body: bytes, content_type: str, date: str,
                       source: str | None = None) -> RecordRef:
        """A resource record: a page saved outside HTTP (a file a browser saved)."""
        extra = {"WARC-Date": date}
        if source:
            extra["WARC-Source-URI"] = source
        record = self._writer().create_warc_record(
            url, "resource", payload=io.BytesIO(body), length=len(body),
            warc_content_type=content_type, warc_headers_dict=extra)
        return self._append(record)

    def write_error(self, url: str, date: str, kind: str, message: str) -> RecordRef:
        """A metadata record for a fetch that got no response: what went wrong."""
        body = json.dumps({"error_kind": kind, "error": message}, ensure_ascii=False).encode()
        record = self._writer().create_warc_record(
            url, "metadata", payload=io.BytesIO(body), length=len(body),
            warc_content_type="application/json", warc_headers_dict={"WARC-Date": date})
        return self._append(record)

    def write_imported(self, rec_type: str, url: str, date: str, http_headers: Any,
                       raw: bytes, content_type: str) -> RecordRef:
        """A record read from another tool's archive, written anew as one gzip member:
        its HTTP headers and raw payload as recorded, its digests computed afresh (so
        ``check`` verifies what is stored, whatever the source's tool hashed)."""
        if rec_type == "resource":
            http_headers = None
        record = self._writer().create_warc_record(
            url, rec_type, payload=io.BytesIO(raw), length=len(raw),
            http_headers=http_headers,
            warc_content_type="" if http_headers is not None else content_type or "text/html",
            warc_headers_dict={"WARC-Date": date})
        return self._append(record)

    def close(self) -> None:
        """Flush and close the current file to disk."""
        if self.handle is not None:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            self.handle = None
            self.writer = None

    def _request_record(self, exchange: Exchange, response: Any) -> Any:
        path = exchange.url.split("/", 3)[3] if exchange.url.count("/") >= 3 else ""
        headers = StatusAndHeaders(f"{exchange.method} /{path} {exchange.protocol}",
                                   exchange.request_headers, is_http_request=True)
        concurrent = response.rec_headers.get_header("WARC-Record-ID")
        return self._writer().create_warc_record(
            exchange.url, "request", http_headers=headers,
            warc_headers_dict={"WARC-Date": exchange.date, "WARC-Concurrent-To": concurrent})

    def _writer(self) -> WARCWriter:
        if self.handle is not None and self.handle.tell() >= self.max_bytes:
            self.close()
        if self.handle is None:
            self._open_next()
        assert self.writer is not None
        return self.writer

    def _open_next(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            self.sequence += 1
            self.name = f"{self.prefix}-{self.sequence:05d}.warc.gz"
            try:
                self.handle = open(self.folder / self.name, "xb")  # noqa: SIM115 (kept open)
                break
            except FileExistsError:
                continue
        self.writer = WARCWriter(self.handle, gzip=True, warc_version="1.1")
        info = self.writer.create_warcinfo_record(self.name, {
            "software": SOFTWARE, "format": "WARC File Format 1.1",
            "isPartOf": self.prefix})
        self._append(info)

    def _append(self, record: Any) -> RecordRef:
        assert self.handle is not None and self.writer is not None
        offset = self.handle.tell()
        self.writer.write_record(record)
        self.handle.flush()
        headers = record.rec_headers
        return RecordRef(self.name, offset, self.handle.tell() - offset,
                         headers.get_header("WARC-Payload-Digest"), record.rec_type,
                         headers.get_header("WARC-Date"))


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _kept_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for name, value in headers:
        if name.lower().encode() in _TRANSFER_HEADERS:
            out.append((f"X-Archive-Orig-{name}", value))
        else:
            out.append((name, value))
    return out
