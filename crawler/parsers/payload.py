"""Decoding API answers: JSON bodies and Foresight's base64-of-zlib strings.

Every failure is a :class:`BadPayload` carrying the reason in one line.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from typing import Any

from crawler.parsers.errors import BadPayload

_SPACES = re.compile(r"\s+")


def load_json(body: bytes | str, url: str) -> Any:
    """A JSON body (bytes as UTF-8, a BOM allowed) or BadPayload."""
    if isinstance(body, bytes | bytearray):
        try:
            body = bytes(body).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            reason = f"body is not UTF-8: {exc.reason} at byte {exc.start}"
            raise BadPayload(reason, url=url) from exc
    if not isinstance(body, str):
        raise BadPayload(f"body is {type(body).__name__}, not bytes or str", url=url)
    if not body.strip():
        raise BadPayload("empty body", url=url)
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise BadPayload(f"body is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         url=url) from exc


def _b64decode(text: str, url: str) -> bytes:
    compact = _SPACES.sub("", text).rstrip("=")
    padded = compact + "=" * (-len(compact) % 4)
    altchars = b"-_" if ("-" in compact or "_" in compact) else None
    try:
        return base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadPayload(f"data is not base64: {exc}", url=url) from exc


def _inflate(raw: bytes, url: str) -> bytes:
    """zlib (or gzip) stream, else raw deflate."""
    for wbits in (47, -15):  # 47 = 32 + 15: zlib or gzip header, detected
        try:
            inflater = zlib.decompressobj(wbits)
            data = inflater.decompress(raw) + inflater.flush()
        except zlib.error:
            continue
        if inflater.eof:
            return data
    raise BadPayload(f"data is not a complete zlib stream ({len(raw)} bytes after base64)", url=url)


def decode_b64_zlib_json(text: str, url: str) -> Any:
    """base64 (padding optional) -> zlib inflate -> UTF-8 -> JSON, or BadPayload."""
    if not text.strip():
        raise BadPayload("data is an empty string", url=url)
    inflated = _inflate(_b64decode(text, url), url)
    try:
        decoded = inflated.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPayload(f"inflated data is not UTF-8: {exc.reason}", url=url) from exc
    try:
        return json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise BadPayload(f"inflated data is not JSON: {exc.msg}", url=url) from exc
