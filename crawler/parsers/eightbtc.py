"""8btc.com: article page rules (reference/sites.md §1) and the listing API (§2).

Matched on class tokens only: the Vue build's ``data-v-*`` attributes change with each build.
"""

from __future__ import annotations

import logging
from datetime import tzinfo
from typing import Any

from lxml import etree

from crawler.items import ListingEntry
from crawler.parsers.dates import DateReading, first_reading, from_unix, read_date
from crawler.parsers.document import Page
from crawler.parsers.errors import BadPayload
from crawler.parsers.payload import load_json
from crawler.parsers.rules import (
    PageRules,
    first_text,
    has_class,
    node_text,
    not_found_message,
    richest,
)
from crawler.parsers.text import collapse
from crawler.sites import eightbtc_article_url

log = logging.getLogger(__name__)

_TAG_LABELS = frozenset({"标签", "标签：", "标签:", "標籤", "標籤：", "標籤:"})
_HEADER_CLASSES = ("header__main", "main__header")


def _module_items(module: etree._Element) -> list[str]:
    """Texts of the tag module's links, else of its leaf elements, else of its text lines."""
    for items in (
        [node_text(a) for a in module.iter("a")],
        [node_text(el) for el in module.iter(etree.Element) if len(el) == 0 and el is not module],
        [collapse(line) for line in "".join(module.itertext()).splitlines()],
    ):
        items = [i for i in items if i]
        if items:
            return items
    return []


def _is_label(text: str) -> bool:
    return text in _TAG_LABELS or text.endswith(("：", ":"))


class EightBtcRules(PageRules):
    name = "8btc"

    def headline(self, page: Page) -> str | None:
        """The h1 of the article header (div.header__main / div.main__header)."""
        headers = page.by_class(*_HEADER_CLASSES)
        return first_text(h1 for header in headers for h1 in header.iter("h1"))

    def _info(self, page: Page) -> list[etree._Element]:
        return page.by_class("header__info") or page.by_class("header__info-item")

    def byline_author(self, page: Page) -> str | None:
        """The last ``/author/`` link of the header info."""
        links = [a for info in self._info(page) for a in info.iter("a")
                 if "/author/" in (a.get("href") or "")]
        for link in reversed(links):
            text = node_text(link)
            if text:
                return text
        return None

    def byline_time(self, page: Page, tz: tzinfo) -> DateReading | None:
        """The last ``<time>`` of the header info, else the first date in its text, else a
        relative time there (``3小时前``) with no value yet."""
        infos = self._info(page)
        times = reversed([t for info in infos for t in info.iter("time")])
        shown = first_reading((node_text(t) for t in times), tz=tz)
        if shown and shown.value:
            return shown
        return first_reading((node_text(i) for i in infos), tz=tz) or shown

    def header_times(self, page: Page) -> list[etree._Element]:
        containers = page.by_class(*_HEADER_CLASSES, "header__info")
        found = {id(t): t for c in containers for t in c.iter("time") if t.get("datetime")}
        return list(found.values())

    def body(self, page: Page) -> etree._Element | None:
        """``div.bbt-html``, its ``div.ne-render-content`` when present."""
        body = richest(el for el in page.by_class("bbt-html") if el.tag == "div")
        if body is None:
            return None
        render = richest(d for d in body.iter("div") if has_class(d, "ne-render-content"))
        return render if render is not None else body

    def tags(self, page: Page) -> list[str] | None:
        """The tag module's items without its label line."""
        modules = page.by_class("tag-module")
        if not modules:
            return None
        tags: list[str] = []
        for module in modules:
            tags.extend(t for t in _module_items(module) if not _is_label(t))
        return tags

    def not_found(self, page: Page, title_tag: str | None) -> str | None:
        """8btc's 404: no article header (and no article body), and the page says 404 /
        页面不存在 (in its <title>, a heading or a short line)."""
        if self.headline(page) or self.body(page) is not None:
            return None
        message, _ = not_found_message(page, title_tag)
        return f"8btc not-found page (no article header): {message}" if message else None


RULES = EightBtcRules()


def _rows(data: Any) -> list[Any] | None:
    if isinstance(data, dict):
        inner = data.get("data")
        if isinstance(inner, dict) and "list" in inner:
            return inner["list"] if inner["list"] is not None else []
        if "list" in data:
            return data["list"] if data["list"] is not None else []
    return None


def _entry(row: dict[str, Any]) -> ListingEntry:
    published = from_unix(row.get("post_date"))
    if published is None:
        published = read_date(row.get("post_date_format"), source="api").value
    return ListingEntry(
        site="8btc",
        site_id=str(row["id"]),
        url=eightbtc_article_url(row["id"]),
        title=collapse(row.get("title")) or None if isinstance(row.get("title"), str) else None,
        published_at=published,
    )


def parse_8btc_listing(body: bytes | str, url: str) -> list[ListingEntry]:
    """``webapi.8btc.com/bbt_api/news/list`` answers: ``{"data": {"list": [...]}}``, or a
    top-level ``list`` (the blockmeta host)."""
    data = load_json(body, url)
    rows = _rows(data)
    if rows is None:
        raise BadPayload("no data.list nor list in the 8btc listing answer", url=url)
    if not isinstance(rows, list):
        raise BadPayload(f"8btc listing list is {type(rows).__name__}, not a list", url=url)
    entries = []
    for row in rows:
        if isinstance(row, dict) and row.get("id") not in (None, ""):
            entries.append(_entry(row))
        else:
            log.warning("8btc listing %s: row without an id skipped: %.80s", url, row)
    return entries
