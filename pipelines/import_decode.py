"""The crawl's gate for one imported record: what a crawl would have refused, refused here.

``gate`` takes a warcio record and returns either an ``Accepted`` record (its URL, date,
status, headers, raw and decoded payload) or a ``Refused`` one with a reason key and a
detail. It unwraps wget's ``<...>`` Target-URI, skips records that are no web fetch
(``dns:``, ``urn:``), parses the WARC-Date tolerantly, applies the request policy
(``crawler.safety.check_public_url``), reads the body with the crawl's
``DOWNLOAD_MAXSIZE`` as a hard cap (decoding chunked and compressed bodies piece by
piece, so a decompression bomb stops at the cap without being inflated), refuses a
record cut short of its Content-Length and one whose payload digest is wrong.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crawler.safety import UnsafeUrl, check_public_url
from crawler.settings import DOWNLOAD_MAXSIZE, DOWNLOAD_WARNSIZE

PAGE_TYPES = ("response", "resource")
NOT_WEB = ("dns", "urn", "whois", "filedesc", "metadata", "warcinfo")
"""URI schemes of records that are no web fetch: skipped and counted, not refused."""
_READ = 64 * 1024
_YEARS = range(1991, 2200)

REASONS = {
    "bad_date": "an unreadable WARC-Date",
    "unsafe_url": "a URL the crawl would refuse",
    "too_large": f"a body over {DOWNLOAD_MAXSIZE // 2**20} MiB (DOWNLOAD_MAXSIZE)",
    "truncated": "a body cut short of its Content-Length",
    "bad_digest": "a payload not matching its WARC-Payload-Digest",
    "no_http": "no readable HTTP status line",
    "unreadable": "an unreadable body",
}
"""What each refusal reason means, for the error line."""


@dataclass(frozen=True, slots=True)
class Refused:
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: str


@dataclass(frozen=True, slots=True)
class Accepted:
    type: str
    url: str
    date: str
    status: int | None
    http_headers: Any
    """warcio StatusAndHeaders of the HTTP response (None for a resource)."""
    raw: bytes
    """The payload as recorded (chunked and compressed as it was sent)."""
    payload: bytes
    """The payload decoded: what a parser reads."""
    content_type: str
    large: bool = False
    """Over DOWNLOAD_WARNSIZE (kept, counted)."""


def target_uri(record: Any) -> str:
    """The record's Target-URI, unwrapped from wget's ``<...>`` and stripped."""
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    if uri.startswith("<") and uri.endswith(">"):
        uri = uri[1:-1].strip()
    return uri


def gate(record: Any) -> Accepted | Refused | Skipped:
    """The record judged as the crawl would judge the fetch it stands for."""
    kind = record.rec_type
    if kind not in PAGE_TYPES:
        return Skipped(f"{kind} record")
    url = target_uri(record)
    if url.split(":", 1)[0].lower() in NOT_WEB:
        return Skipped("non-http record")
    try:
        check_public_url(url)
    except UnsafeUrl as exc:
        return Refused("unsafe_url", str(exc))
    date = parse_warc_date(record.rec_headers.get_header("WARC-Date") or "")
    if date is None:
        return Refused("bad_date", repr((record.rec_headers.get_header("WARC-Date") or "")[:40]))
    status = None
    if kind == "response":
        status = _status(record.http_headers)
        if status is None:
            return Refused("no_http", url[:100])
    return _read_body(record, kind, url, date, status)


def _read_body(record: Any, kind: str, url: str, date: str,
               status: int | None) -> Accepted | Refused:
    raw = read_capped(record.raw_stream, DOWNLOAD_MAXSIZE + 1)
    if len(raw) > DOWNLOAD_MAXSIZE:
        return Refused("too_large", f"{url[:100]}: raw body over {DOWNLOAD_MAXSIZE} bytes")
    http = record.http_headers if kind == "response" else None
    if _cut(record, raw, http):
        return Refused("truncated", url[:100])
    try:
        payload = decode_body(raw, http)
    except BodyTooLarge:
        return Refused("too_large", f"{url[:100]}: decoded body over {DOWNLOAD_MAXSIZE} bytes")
    if not digest_ok(record.rec_headers.get_header("WARC-Payload-Digest"), raw, http):
        return Refused("bad_digest", url[:100])
    content_type = (http.get_header("Content-Type") if http is not None else
                    record.rec_headers.get_header("Content-Type")) or ""
    return Accepted(kind, url, date, status, http, raw, payload, content_type,
                    large=len(payload) > DOWNLOAD_WARNSIZE)


def read_capped(stream: Any, cap: int) -> bytes:
    """Up to ``cap`` bytes of a stream (a read may return less than asked: loop)."""
    parts, size = [], 0
    while size < cap:
        block = stream.read(min(_READ, cap - size))
        if not block:
            break
        parts.append(block)
        size += len(block)
    return b"".join(parts)


def _cut(record: Any, raw: bytes, http: Any) -> bool:
    """Whether the body is cut: marked WARC-Truncated, or shorter than the record's
    Content-Length and than the HTTP Content-Length (when that says the body is whole,
    only the archive's count was off, as in ARC files written with a wrong length)."""
    if record.rec_headers.get_header("WARC-Truncated"):
        return True
    if getattr(record.raw_stream, "limit", 0) <= 0:
        return False
    declared = (http.get_header("Content-Length") or "").strip() if http is not None else ""
    return not (declared.isdigit() and len(raw) >= int(declared))


def _status(http: Any) -> int | None:
    if http is None:
        return None
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return None
    return status if 100 <= status <= 599 else None


def parse_warc_date(value: str) -> str | None:
    """A WARC-Date (W3C-DTF, any precision, or ARC's 14 digits) as ISO UTC ending in Z;
    None when it is no date or outside the web's years."""
    text = value.strip()
    try:
        if text.isdigit() and len(text) in (12, 14):
            moment = datetime.strptime(text.ljust(14, "0"), "%Y%m%d%H%M%S")
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if moment.year not in _YEARS:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class BodyTooLarge(Exception):
    """A body that decodes to more than DOWNLOAD_MAXSIZE bytes."""


def decode_body(raw: bytes, http: Any, cap: int = DOWNLOAD_MAXSIZE) -> bytes:
    """The payload with chunking and Content-Encoding undone, never more than ``cap``
    bytes inflated (BodyTooLarge); a payload its headers misdescribe is kept as received."""
    if http is None:
        return raw
    body = _dechunked(raw) if _header(http, "Transfer-Encoding") == "chunked" else raw
    encoding = _header(http, "Content-Encoding")
    try:
        if encoding in ("gzip", "x-gzip", "deflate"):
            return _inflate(body, encoding, cap)
        if encoding == "br":
            return _unbrotli(body, cap)
    except BodyTooLarge:
        raise
    except Exception:  # noqa: BLE001 (any codec failure: the body as received)
        return body
    return body


def _header(http: Any, name: str) -> str:
    return (http.get_header(name) or "").strip().lower()


def _dechunked(raw: bytes) -> bytes:
    from warcio.bufferedreaders import ChunkedDataReader

    try:
        return ChunkedDataReader(io.BytesIO(raw)).read()
    except Exception:  # noqa: BLE001 (broken chunking: the body as received)
        return raw


def _inflate(body: bytes, encoding: str, cap: int) -> bytes:
    if encoding != "deflate":
        return _inflate_with(zlib.decompressobj(16 + zlib.MAX_WBITS), body, cap)
    try:  # "deflate" is a zlib stream, or (often) a raw deflate one
        return _inflate_with(zlib.decompressobj(32 + zlib.MAX_WBITS), body, cap)
    except zlib.error:
        return _inflate_with(zlib.decompressobj(-zlib.MAX_WBITS), body, cap)


def _inflate_with(inflater: Any, body: bytes, cap: int) -> bytes:
    parts, size, pending = [], 0, body
    while pending:
        chunk = inflater.decompress(pending, _READ)
        pending = inflater.unconsumed_tail
        size += len(chunk)
        if size > cap:
            raise BodyTooLarge
        parts.append(chunk)
        if inflater.eof:
            break
    return b"".join(parts)


def _unbrotli(body: bytes, cap: int) -> bytes:
    import brotli

    decompressor, parts = brotli.Decompressor(), []

    def take(data: bytes) -> bytes:
        parts.append(decompressor.process(data, output_buffer_limit=_READ))
        if sum(map(len, parts)) > cap:
            raise BodyTooLarge
        return parts[-1]

    for start in range(0, len(body), _READ):
        take(body[start:start + _READ])
        while not decompressor.can_accept_more_data():
            take(b"")
    while not decompressor.is_finished() and take(b""):
        pass
    return b"".join(parts)


def digest_ok(claimed: str | None, raw: bytes, http: Any) -> bool:
    """Whether the payload matches its WARC-Payload-Digest, as recorded or de-chunked
    (tools differ); an algorithm hashlib does not know is no evidence of damage."""
    if not claimed:
        return True
    algorithm, _, value = claimed.strip().partition(":")
    try:
        hasher = hashlib.new(algorithm.lower().replace("-", ""))
    except ValueError:
        return True
    candidates = [raw]
    if http is not None and _header(http, "Transfer-Encoding") == "chunked":
        candidates.append(_dechunked(raw))
    wanted = _digest_bytes(value.strip())
    for body in candidates:
        digest = hasher.copy()
        digest.update(body)
        if digest.digest() == wanted:
            return True
    return False


def _digest_bytes(value: str) -> bytes | None:
    for decode in (lambda v: base64.b32decode(v.upper()), bytes.fromhex,
                   lambda v: base64.b64decode(v, validate=True)):
        try:
            return decode(value)
        except (binascii.Error, ValueError):
            continue
    return None
