"""Is this response a block rather than a page? (reference/sites.md §4)

A source that blocks us must be reported as *blocked*, not as "nothing new":
HTTP 403, 429 and 567 (EdgeOne), Aliyun WAF's ``acw_sc__v2`` cookie challenge (a
small script page with HTTP 200), and an empty Vue/Nuxt shell (the markup of the app
without the content a server-rendered page carries). Pure: no Scrapy, no network.
"""

from __future__ import annotations

import re

BLOCK_STATUSES = frozenset({403, 429, 567})
_CHALLENGE = re.compile(rb"acw_sc__v2|aliyun_waf|_ydclearance", re.I)
_SHELL = re.compile(rb'<div id="(?:app|__nuxt)"[^>]*>\s*</div>', re.I)
_SCRIPTS = re.compile(rb"<(script|style)\b.*?</\1>", re.I | re.S)
_TAGS = re.compile(rb"<[^>]+>")
SHELL_TEXT_LIMIT = 200
"""A page with an empty app root and less visible text than this is a shell."""


def block_reason(status: int, body: bytes, content_type: str | None = None) -> str | None:
    """Why this response is a block ('HTTP 403', 'acw_sc__v2 challenge', ...), or None."""
    if status in BLOCK_STATUSES:
        return f"HTTP {status}"
    if status != 200 or (content_type and "html" not in content_type):
        return None
    head = body[:65536]
    if _CHALLENGE.search(head) and len(_visible_text(head)) < SHELL_TEXT_LIMIT:
        return "WAF challenge page (acw_sc__v2)"
    if _SHELL.search(head) and len(_visible_text(head)) < SHELL_TEXT_LIMIT:
        return "empty Vue shell"
    return None


def _visible_text(body: bytes) -> bytes:
    return b"".join(_TAGS.sub(b"", _SCRIPTS.sub(b"", body)).split())
