"""foresightnews.pro: detail page rules (reference/sites.md §3) and the column listing API.

Detail-page selectors are unverified on real pages (sites.md §3): ``.topic`` title,
``.topic-time`` time, ``.detail-body`` / ``.article-content`` / ``.news_body_content`` body.
Anything they miss falls back to standard metadata.
"""

from __future__ import annotations

import logging
from datetime import tzinfo
from typing import Any

from lxml import etree

from crawler.items import ListingEntry
from crawler.parsers.dates import DateReading, first_reading, from_unix
from crawler.parsers.document import Page
from crawler.parsers.errors import BadPayload
from crawler.parsers.payload import decode_b64_zlib_json, load_json
from crawler.parsers.rules import PageRules, first_text, richest
from crawler.parsers.text import collapse
from crawler.sites import foresight_detail_url

log = logging.getLogger(__name__)

_BODY_CLASSES = ("detail-body", "article-content", "news_body_content")
_MAX_NESTING = 3


class ForesightRules(PageRules):
    name = "foresight"

    def headline(self, page: Page) -> str | None:
        """The detail title ``.topic``."""
        return first_text(page.by_class("topic"))

    def byline_time(self, page: Page, tz: tzinfo) -> DateReading | None:
        """The first date written in ``.topic-time``, else a relative time there."""
        return first_reading(("".join(el.itertext()) for el in page.by_class("topic-time")),
                             tz=tz)

    def header_times(self, page: Page) -> list[etree._Element]:
        times = [t for el in page.by_class("topic-time") for t in el.iter("time")
                 if t.get("datetime")]
        return times or super().header_times(page)

    def body(self, page: Page) -> etree._Element | None:
        """The first selector tier that matches text; its richest match."""
        for name in _BODY_CLASSES:
            body = richest(page.by_class(name))
            if body is not None:
                return body
        return None


RULES = ForesightRules()


def _posts(data: Any, url: str, depth: int = 0) -> list[Any]:
    """The list of posts in ``data``: a base64-zlib string, a list, or an object with ``list``."""
    if depth > _MAX_NESTING:
        raise BadPayload("data nested too deeply", url=url)
    if isinstance(data, str):
        return _posts(decode_b64_zlib_json(data, url), url, depth + 1)
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and "list" in data:
        inner = data["list"]
        return [] if inner is None else _posts(inner, url, depth + 1)
    raise BadPayload(f"no list of posts in data ({type(data).__name__})", url=url)


def _entry(post: dict[str, Any]) -> ListingEntry:
    title = post.get("title")
    return ListingEntry(
        site="foresight",
        site_id=str(post["id"]),
        url=foresight_detail_url(post["id"]),
        title=(collapse(title) or None) if isinstance(title, str) else None,
        published_at=from_unix(post.get("published_at")),
    )


def parse_foresight_listing(body: bytes | str, url: str) -> list[ListingEntry]:
    """``/v1/articles`` envelope ``{"code": 1, "msg": .., "data": X}`` to listing entries."""
    envelope = load_json(body, url)
    if not isinstance(envelope, dict):
        raise BadPayload(f"envelope is a JSON {type(envelope).__name__}, not an object", url=url)
    code = envelope.get("code")
    if code != 1 and code != "1":
        raise BadPayload(f"API code {code!r}: {collapse(str(envelope.get('msg')))[:120]}", url=url)
    if "data" not in envelope or envelope["data"] is None:
        raise BadPayload("envelope without data", url=url)
    entries = []
    for post in _posts(envelope["data"], url):
        if isinstance(post, dict) and post.get("id") not in (None, ""):
            entries.append(_entry(post))
        else:
            log.warning("foresight listing %s: post without an id skipped: %.80s", url, post)
    return entries
