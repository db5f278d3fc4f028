"""WARC files beside the archive: write HTTP exchanges, read one record back, verify it.

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
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
SOFTWARE = "newsarchive"
# Headers that describe the transfer, not the payload we keep: the body is stored
# de-chunked, so a Transfer-Encoding header would make readers de-chunk it again.
_TRANSFER_HEADERS = {b"transfer-encoding"}


class WarcError(Exception):
    """A WARC record that cannot be read or does not match what the archive says."""


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

    def copy_member(self, raw: bytes, ref_type: str, url: str, date: str,
                    digest: str | None) -> RecordRef:
        """Append an already-encoded gzip member (a record copied verbatim from elsewhere)."""
        self._writer()
        assert self.handle is not None
        offset = self.handle.tell()
        self.handle.write(raw)
        self.handle.flush()
        return RecordRef(self.name, offset, len(raw), digest, ref_type, date)

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


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record read back: its WARC headers, HTTP status and headers, decoded payload."""

    type: str
    url: str
    date: str
    status: int | None
    http_headers: list[tuple[str, str]]
    payload: bytes
    """The body with transfer and content encodings removed (what a parser reads)."""
    raw_digest_ok: bool
    """True when the raw payload matches the record's WARC-Payload-Digest."""
    warc_headers: dict[str, str]


def read_record(folder: str | os.PathLike[str], file: str, offset: int,
                length: int | None = None, verify: bool = True) -> StoredRecord:
    """The record at ``offset`` in ``folder/file``; WarcError when it is missing or broken.

    ``verify=False`` skips recomputing the payload digest (``raw_digest_ok`` is then
    True): ``reparse`` reads, ``check`` verifies.
    """
    with RecordReader(folder) as reader:
        return reader.read(file, offset, length, verify)


class RecordReader:
    """Reads records of one WARC folder, keeping its files open between reads (a
    re-parse reads thousands of records from a handful of files)."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = Path(folder)
        self.handles: dict[str, Any] = {}

    def read(self, file: str, offset: int, length: int | None = None,
             verify: bool = True) -> StoredRecord:
        """Like ``read_record``."""
        try:
            handle = self.handles.get(file)
            if handle is None:
                handle = self.handles[file] = open(self.folder / file, "rb")  # noqa: SIM115
            handle.seek(offset)
            data = handle.read(length) if length else handle.read()
        except OSError as exc:
            raise WarcError(f"{file}: {exc.strerror or exc}") from None
        if length and len(data) < length:
            raise WarcError(f"{file}: record at {offset} is cut "
                            f"({len(data)} of {length} bytes)")
        return parse_record_bytes(data, f"{file}@{offset}", verify)

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        self.handles.clear()

    def __enter__(self) -> RecordReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_record_bytes(data: bytes, where: str, verify: bool = True) -> StoredRecord:
    """The first record in ``data`` (one gzip member or plain WARC)."""
    fast = _fast_record(data, verify)
    if fast is not None:
        return fast
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data))))
        return _stored(record, verify)
    except StopIteration:
        raise WarcError(f"{where}: no WARC record there") from None
    except Exception as exc:  # warcio raises many types for a damaged member
        raise WarcError(f"{where}: unreadable record ({type(exc).__name__}: {exc})") from None


def _stored(record: Any, verify: bool = True) -> StoredRecord:
    raw = record.raw_stream.read()
    claimed = record.rec_headers.get_header("WARC-Payload-Digest")
    ok = (not verify or claimed is None or record.rec_type == "revisit"
          or _digest_matches(claimed, raw))
    payload = _decoded(record, raw)
    http = record.http_headers
    status = int(http.get_statuscode()) if http is not None and record.rec_type in (
        "response", "revisit") else None
    return StoredRecord(
        type=record.rec_type, url=record.rec_headers.get_header("WARC-Target-URI") or "",
        date=normalize_warc_date(record.rec_headers.get_header("WARC-Date") or ""),
        status=status, http_headers=list(http.headers) if http is not None else [],
        payload=payload, raw_digest_ok=ok, warc_headers=dict(record.rec_headers.headers))


def _fast_record(data: bytes, verify: bool) -> StoredRecord | None:
    """The common case read without warcio's stream machinery (3x faster per record):
    one gzip member holding one WARC record whose HTTP message is not chunked. Anything
    else returns None and goes through warcio."""
    if data[:2] != b"\x1f\x8b":
        return None
    try:
        raw = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data)
        head, _, rest = raw.partition(b"\r\n\r\n")
        warc = _header_lines(head, b"WARC/1.")
        block = rest[:int(warc["Content-Length"])]
        kind = warc["WARC-Type"]
    except (zlib.error, ValueError, KeyError):
        return None
    status, http_headers, payload = None, [], block
    if kind in ("response", "revisit") and warc.get("Content-Type", "").startswith(
            "application/http"):
        http_head, _, payload = block.partition(b"\r\n\r\n")
        lines = http_head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            return None
        status = int(parts[1])
        http_headers = [tuple(x.strip() for x in line.split(":", 1))
                        for line in lines[1:] if ":" in line]
        if any(k.lower() == "transfer-encoding" for k, _ in http_headers):
            return None
    claimed = warc.get("WARC-Payload-Digest")
    ok = not verify or claimed is None or kind == "revisit" or _digest_matches(claimed, payload)
    encoding = next((v.lower() for k, v in http_headers if k.lower() == "content-encoding"), "")
    return StoredRecord(
        type=kind, url=warc.get("WARC-Target-URI", ""),
        date=normalize_warc_date(warc.get("WARC-Date", "")), status=status,
        http_headers=http_headers, payload=_decode_payload(payload, encoding),
        raw_digest_ok=ok, warc_headers=warc)


def _header_lines(head: bytes, first: bytes) -> dict[str, str]:
    lines = head.split(b"\r\n")
    if not lines[0].startswith(first):
        raise ValueError("not a WARC record")
    pairs = (line.decode("utf-8").split(":", 1) for line in lines[1:] if b":" in line)
    return {k.strip(): v.strip() for k, v in pairs}


def _decode_payload(payload: bytes, encoding: str) -> bytes:
    try:
        if encoding == "gzip":
            return zlib.decompress(payload, 16 + zlib.MAX_WBITS)
        if encoding == "deflate":
            return zlib.decompress(payload)
        if encoding == "br":
            import brotli

            return brotli.decompress(payload)
    except Exception:  # a payload its headers misdescribe is kept as received
        return payload
    return payload


def _decoded(record: Any, raw: bytes) -> bytes:
    """The payload with chunking and Content-Encoding undone, as warcio's content_stream does."""
    from warcio.bufferedreaders import ChunkedDataReader, DecompressingBufferedReader

    http = record.http_headers
    if http is None or record.rec_type not in ("response", "revisit"):
        return raw
    encoding = (http.get_header("Content-Encoding") or "").lower() or None
    chunked = (http.get_header("Transfer-Encoding") or "").lower() == "chunked"
    reader_cls = ChunkedDataReader if chunked else DecompressingBufferedReader
    if not chunked and encoding not in ("gzip", "deflate", "br"):
        return raw
    if not chunked and encoding == "gzip":  # the common case, without a reader per record
        try:
            return zlib.decompress(raw, 16 + zlib.MAX_WBITS)
        except zlib.error:
            return raw
    try:
        return reader_cls(io.BytesIO(raw), decomp_type=encoding).read()
    except Exception:  # a payload its headers misdescribe is kept as received
        return raw


def _digest_matches(claimed: str, raw: bytes) -> bool:
    algorithm, _, value = claimed.partition(":")
    if algorithm.lower() != "sha1":
        return True  # a digest we do not compute is not evidence of damage
    digest = hashlib.sha1(raw).digest()
    return value.upper() in (base64.b32encode(digest).decode(), digest.hex().upper())


def normalize_warc_date(value: str) -> str:
    """A WARC-Date (with or without fractions) as ISO 8601 UTC ending in Z, to the second."""
    if not value:
        return value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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
