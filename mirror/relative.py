"""Relative bylines (``3小时前``, ``昨天 10:20``, ``N天前``), written at answer time.

The real 8btc shows how long ago a piece was published (sites.md §1, §5). Some 8btc
article pages of the mirror do the same in their byline's ``<time>``: the renderer writes
a placeholder carrying the publication time, and the mirror replaces it when it answers,
from the time of the request (``Mirror.clock``). Rendered pages stay cacheable and the
text is exactly what a reader at that moment would see.

Which pages: 2024-era 8btc articles whose only date is the visible byline time
(``time_mode == "visible"``), about one in three, chosen with their own generator so no
other page's choices move. The truth of such a page is what its text allows: the mirror's
pages are all published before 2025-07, more than two days before any request, so the
text is ``N天前`` and the value a Beijing calendar date (``YYYY-MM-DD``).
"""

from __future__ import annotations

import re
from datetime import datetime

from . import textgen
from .entry import UTC8, Entry

SHARE = 0.35
"""About this share of eligible pages shows a relative byline."""
_PLACEHOLDER = re.compile(rb"\{\{relative:(\d+)\}\}")


def shows_relative(seed: int, entry: Entry, layout: str, time_mode: str) -> bool:
    """Does this page's byline say how long ago it was published?"""
    if entry.real or entry.kind != "article" or layout != "8btc-2024" or time_mode != "visible":
        return False
    return textgen.rng_for(seed, "relative", entry.key).random() < SHARE


def placeholder(ts: int) -> str:
    """What the renderer writes in place of the byline time."""
    return f"{{{{relative:{ts}}}}}"


def relative_text(ts: int, now: float) -> str:
    """How 8btc writes the time since ``ts`` as seen at ``now`` (both unix seconds)."""
    seconds = int(now) - ts
    if seconds < 60:
        return "刚刚"
    if seconds < 3600:
        return f"{seconds // 60}分钟前"
    if seconds < 86400:
        return f"{seconds // 3600}小时前"
    then = datetime.fromtimestamp(ts, UTC8)
    days = (datetime.fromtimestamp(now, UTC8).date() - then.date()).days
    return f"昨天 {then:%H:%M}" if days == 1 else f"{days}天前"


def fill(body: bytes, now: float) -> bytes:
    """A rendered page with every placeholder replaced by its text at ``now``."""
    if b"{{relative:" not in body:
        return body
    return _PLACEHOLDER.sub(lambda m: relative_text(int(m.group(1)), now).encode(), body)
