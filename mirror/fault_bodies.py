"""The bytes of the fault modes in ``faults``: broken transports, bombs, hostile pages.

Bombs are generated when first asked for (never committed) and kept in memory. Their
decompressed size is ``BOMB_BYTES`` (64 MiB by default: four times our DOWNLOAD_MAXSIZE;
set ``NEWSARCHIVE_BOMB_BYTES`` for bigger ones), each under 1 MiB on the wire.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HTML = "text/html; charset=utf-8"
BOMB_BYTES = int(os.environ.get("NEWSARCHIVE_BOMB_BYTES", 64 * 1024 * 1024))
_BOMBS: dict[str, bytes] = {}
_BOMB_LOCK = threading.Lock()
_META_CHARSET = re.compile(rb"<meta[^>]*charset=[^>]*>", re.I)
_CHUNK = 1 << 20


@dataclass(slots=True)
class Raw:
    """A response the server writes as is: status line, headers, then ``write(wfile)``."""

    status: int
    headers: tuple[tuple[str, str], ...]
    write: Callable[[Any], None]


def _headers(ctype: str, **extra: str) -> tuple[tuple[str, str], ...]:
    return (("Content-Type", ctype), *((k.replace("_", "-"), v) for k, v in extra.items()))


def _writer(*pieces: bytes) -> Callable[[Any], None]:
    def write(wfile: Any) -> None:
        for piece in pieces:
            wfile.write(piece)

    return write


def drip(body: bytes) -> Raw:
    """The page at one byte a second (catalogue 3): only a whole-download timeout ends it."""
    data = body or b"x" * 100

    def write(wfile: Any) -> None:
        for i in range(len(data)):
            wfile.write(data[i:i + 1])
            wfile.flush()
            time.sleep(1.0)

    return Raw(200, _headers(HTML, Content_Length=str(len(data))), write)


def cut(body: bytes) -> Raw:
    """Content-Length 10000, then the connection closes after 5000 bytes (catalogue 4)."""
    data = (body * (10000 // max(1, len(body)) + 1))[:5000]
    return Raw(200, _headers(HTML, Content_Length="10000"), _writer(data))


def bad_gzip(body: bytes) -> Raw:
    """A gzip body cut before its end and CRC (catalogue 5)."""
    packed = gzip.compress(body or b"<html></html>", mtime=0)
    data = packed[: max(10, len(packed) * 2 // 3)]
    headers = _headers(HTML, Content_Encoding="gzip", Content_Length=str(len(data)))
    return Raw(200, headers, _writer(data))


def oversize(chunked: bool) -> Raw:
    """64 MiB of page, declared or chunked without a length (catalogue 6)."""
    size = 64 * 1024 * 1024
    block = b"<p>" + b"x" * (_CHUNK - 7) + b"</p>\n"

    def write(wfile: Any) -> None:
        for _ in range(size // _CHUNK):
            wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
        if chunked:
            wfile.write(b"0\r\n\r\n")

    extra = {"Transfer_Encoding": "chunked"} if chunked else {"Content_Length": str(size)}
    return Raw(200, _headers(HTML, **extra), write)


def _compress_zeros(encoding: str) -> bytes:
    zeros = bytes(_CHUNK)
    if encoding in ("gzip", "deflate"):
        packer = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
        return b"".join(packer.compress(zeros) for _ in range(BOMB_BYTES // _CHUNK)) + (
            packer.flush())
    if encoding == "br":
        import brotli

        return brotli.compress(bytes(BOMB_BYTES), quality=5)
    if encoding == "zstd":
        import zstandard

        return zstandard.ZstdCompressor(level=3).compress(bytes(BOMB_BYTES))
    if encoding == "gzip, deflate":  # applied in order: gzip first, then deflate
        return zlib.compress(_compress_zeros("gzip"), 9)
    raise ValueError(f"no bomb for {encoding!r}")


def bomb(encoding: str) -> Raw:
    """Zeros that expand ``BOMB_BYTES``-fold-ish, sent with ``Content-Encoding`` (case 7)."""
    with _BOMB_LOCK:
        if encoding not in _BOMBS:
            _BOMBS[encoding] = _compress_zeros(encoding)
        data = _BOMBS[encoding]
    headers = _headers(HTML, Content_Encoding=encoding, Content_Length=str(len(data)))
    return Raw(200, headers, _writer(data))


def drop_meta_charset(body: bytes) -> bytes:
    """The page without its ``<meta charset>`` declarations."""
    return _META_CHARSET.sub(b"", body)


def recode(body: bytes, codec: str, *, header: bool | str, meta: bool) -> tuple[str, bytes]:
    """The page in ``codec`` (unencodable characters as &#N; references), labelled as asked.

    ``header``: True names ``codec`` in Content-Type, a string names that charset
    instead (a conflict), False names none. ``meta``: declare ``codec`` in the page.
    """
    text = drop_meta_charset(body).decode("utf-8")
    label = "gb2312" if codec == "gb18030" and header == "gb2312" else codec
    if meta:
        text = text.replace("<head>", f'<head><meta charset="{label}">', 1)
    ctype = "text/html"
    if header:
        ctype += f"; charset={codec if header is True else header}"
    return ctype, text.encode(codec, errors="xmlcharrefreplace")


def mojibake(body: bytes) -> tuple[str, bytes]:
    """UTF-8 read as Latin-1 and saved again as UTF-8: Chinese turned into 'Ã¦Â...'."""
    return HTML, body.decode("latin-1").encode("utf-8")


def malformed(body: bytes) -> tuple[str, bytes]:
    """Unclosed tags, a second title in the body, a NUL byte, ``</html>`` mid-page."""
    text = body.decode("utf-8").replace("</p>", "", 3)
    junk = "<title>second title</title><div><span><b>unclosed\x00<!-- broken comment -- >"
    return HTML, text.replace("<body", f"{junk}</html><body", 1).encode("utf-8")


def truncated_html(body: bytes) -> tuple[str, bytes]:
    """A complete response whose HTML stops mid-page, with no ``</body>`` (catalogue 26)."""
    text = body.decode("utf-8")
    return HTML, text[: len(text) * 3 // 5].encode("utf-8")


def soft_404() -> bytes:
    """A 200 that says 页面不存在 (catalogue 24)."""
    from .render_8btc import not_found_page

    return not_found_page().encode("utf-8")


def script_shell() -> bytes:
    """An app shell: an empty mount point and the state in a script (catalogue 25)."""
    state = json.dumps({"article": {"title": "比特币突破新高", "content": "<p>正文</p>"}},
                       ensure_ascii=False)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>巴比特</title></head>'
            f'<body><div id="app"></div><script>window.__INITIAL_STATE__={state}</script>'
            f"</body></html>").encode()


def giant_page() -> bytes:
    """12 MB of one text node, under DOWNLOAD_MAXSIZE (catalogue 27)."""
    return (b'<html><head><meta charset="utf-8"><title>\xe5\xb7\xa8</title></head><body><p>'
            + b"a" * (12 * 1000 * 1000) + b"</p></body></html>")


def deep_page() -> bytes:
    """100 000 nested divs (catalogue 27)."""
    return (b'<html><head><meta charset="utf-8"><title>deep</title></head><body>'
            + b"<div>" * 100_000 + b"\xe6\xb7\xb1" + b"</div>" * 100_000 + b"</body></html>")


HOSTILE = "\x1b[31mred\x1b[0m\r\nforged log line\u2028next\u202eevil\u200b\x07 "
"""Control characters, an ANSI escape, CR LF, U+2028, an RTL override, a zero-width space."""


def hostile(body: bytes, long: bool) -> bytes:
    """The real page with hostile characters (or a 1 MB run) in its title and headline."""
    text = body.decode("utf-8")
    extra = "长" * 350_000 if long else HOSTILE  # 350k CJK characters: about 1 MB of UTF-8
    text = re.sub(r"(<h1[^>]*>)", lambda m: m.group(1) + extra, text, count=1)
    return text.replace("<title>", "<title>" + extra, 1).encode("utf-8")


def meta_refresh(url: str) -> bytes:
    """A page that refreshes to itself at once (a meta-refresh loop, catalogue 8)."""
    return (f'<html><head><meta http-equiv="refresh" content="0; url={url}"></head>'
            f"<body>wait</body></html>").encode()
