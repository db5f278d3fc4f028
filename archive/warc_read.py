"""Reading WARC records back: one record from its (file, offset, length), decoded.

Our own records (one gzip member, an unchunked HTTP message) are read directly, three
times faster than through warcio's stream machinery; anything else (records imported
from other tools) goes through warcio. ``archive.warc`` writes what this module reads.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

MAX_READ = 1024 * 1024 * 1024
"""The most bytes one record read takes, whatever a row says (bodies stop at 16 MB)."""


class WarcError(Exception):
    """A WARC record that cannot be read or does not match what the archive says."""


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
                handle = self.handles[file] = open(self._inside(file), "rb")  # noqa: SIM115
            handle.seek(offset)
            data = handle.read(min(length, MAX_READ) if length else MAX_READ)
        except OSError as exc:
            raise WarcError(f"{file}: {exc.strerror or exc}") from None
        if length and len(data) < length:
            raise WarcError(f"{file}: record at {offset} is cut "
                            f"({len(data)} of {length} bytes)")
        return parse_record_bytes(data, f"{file}@{offset}", verify)

    def _inside(self, file: str) -> Path:
        """``folder/file`` when ``file`` names a regular file of the folder itself (a row
        saying ``../../dev/zero`` or ``/etc/hostname`` is refused, links included)."""
        path = self.folder / file
        plain = bool(file) and "/" not in file and "\\" not in file and file not in (".", "..")
        outside = not plain or path.resolve().parent != self.folder.resolve()
        if outside or (path.exists() and not path.is_file()):
            raise WarcError(f"{str(file)[:80]!r} is not a file of the WARC folder")
        return path

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
    if not data.startswith((b"\x1f\x8b", b"WARC/")):  # warcio may resync past junk
        raise WarcError(f"{where}: no WARC record there (neither a gzip member nor WARC/ "
                        "starts at that offset)")
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
        warc = _header_lines(head, "WARC/1.")
        block = rest[:int(warc["Content-Length"])]
        kind = warc["WARC-Type"]
    except (zlib.error, ValueError, KeyError):
        return None
    status, http_headers, payload, encoding = None, [], block, ""
    if kind in ("response", "revisit") and warc.get("Content-Type", "").startswith(
            "application/http"):
        message = _http_message(block)
        if message is None:
            return None
        status, http_headers, payload, encoding = message
    claimed = warc.get("WARC-Payload-Digest")
    ok = not verify or claimed is None or kind == "revisit" or _digest_matches(claimed, payload)
    return StoredRecord(
        type=kind, url=warc.get("WARC-Target-URI", ""),
        date=_warc_date(warc.get("WARC-Date", "")), status=status,
        http_headers=http_headers, payload=_decode_payload(payload, encoding),
        raw_digest_ok=ok, warc_headers=warc)


def _http_message(block: bytes) -> tuple[int, list[tuple[str, str]], bytes, str] | None:
    """(status, headers, raw payload, content encoding) of an unchunked HTTP response;
    None for anything the fast path leaves to warcio."""
    http_head, _, payload = block.partition(b"\r\n\r\n")
    lines = http_head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None
    headers = _name_value_pairs(lines[1:])
    encoding = None
    for name, value in headers:
        lowered = name.lower()
        if lowered == "transfer-encoding":
            return None
        if lowered == "content-encoding" and encoding is None:
            encoding = value.lower()
    return int(parts[1]), headers, payload, encoding or ""


def _header_lines(head: bytes, first: str) -> dict[str, str]:
    lines = head.decode("utf-8").split("\r\n")
    if not lines[0].startswith(first):
        raise ValueError("not a WARC record")
    return dict(_name_value_pairs(lines[1:]))


def _name_value_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """``Name: value`` lines as stripped pairs (a line without a colon is skipped); one
    loop rather than a generator per line, which was a tenth of reading a record."""
    pairs = []
    for line in lines:
        name, colon, value = line.partition(":")
        if colon:
            pairs.append((name.strip(), value.strip()))
    return pairs


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


@functools.lru_cache(maxsize=1024)
def _warc_date(value: str) -> str:
    """normalize_warc_date, remembered: the records of a crawl share their seconds."""
    return normalize_warc_date(value)


def normalize_warc_date(value: str) -> str:
    """A WARC-Date (with or without fractions) as ISO 8601 UTC ending in Z, to the second."""
    if not value:
        return value
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
