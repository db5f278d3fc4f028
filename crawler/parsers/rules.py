"""Per-site page rules: where a site puts its headline, byline, body, tags and 404 message.

:class:`PageRules` is the generic reading (standard places only); the site modules
(:mod:`eightbtc`, :mod:`foresight`) override what their markup documents. A rule that
finds nothing returns None and the field falls back to standard metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import tzinfo

from lxml import etree

from crawler.parsers.dates import DateReading
from crawler.parsers.document import Page
from crawler.parsers.text import Line, collapse, extract_lines

NOT_FOUND = re.compile(
    r"(?<![\d.])404(?![\d.])|页面不存在|頁面不存在|页面未找到|页面找不到|找不到页面|找不到该页面"
    r"|文章不存在|内容不存在|not found",
    re.I,
)
"""A not-found message (searched in ``<title>``, headings and short lines)."""
_NOT_FOUND_HINTS = ("404", "不存在", "未找到", "找不到", "not found")
"""Substrings one of which any NOT_FOUND match contains (a quick scan before the regex)."""
_SHORT_LINE = 20
"""A not-found message is the <title>, an h1-h3, or a line this short (not a sentence that
happens to mention 404)."""
_PROSE_LINE = 60
"""A page with a line this long (not itself a not-found message) has content of its own."""


def node_text(el: etree._Element | None) -> str:
    """All text under an element, whitespace-collapsed."""
    return collapse("".join(el.itertext())) if el is not None else ""


def has_text(el: etree._Element) -> bool:
    return any(not t.isspace() for t in el.itertext() if t)


def richest(elements: Iterable[etree._Element]) -> etree._Element | None:
    """The element with the most text (the first on a tie); None when none has text."""
    elements = list(elements)
    if len(elements) == 1:
        return elements[0] if has_text(elements[0]) else None
    best, best_len = None, 0
    for el in elements:
        size = len(node_text(el))
        if size > best_len:
            best, best_len = el, size
    return best


def first_text(elements: Iterable[etree._Element]) -> str | None:
    """The collapsed text of the first element that has some."""
    for el in elements:
        text = node_text(el)
        if text:
            return text
    return None


def has_class(el: etree._Element, name: str) -> bool:
    return name in (el.get("class") or "").split()


_HEADER_ANCESTORS = ("article", "header", "main")
_BODY = etree.XPath("//body")


class PageRules:
    """The generic reading of a page (any host): only standard places."""

    name: str | None = None
    """The site key ('8btc', 'foresight'); None for other hosts."""

    def headline(self, page: Page) -> str | None:
        """The site's own headline element."""
        return None

    def byline_author(self, page: Page) -> str | None:
        return None

    def byline_time(self, page: Page, tz: tzinfo) -> DateReading | None:
        """The byline's visible time, read in ``tz``; a reading without a value but
        ``needs_anchor`` when it is relative (``3小时前``) and needs the capture time."""
        return None

    def header_times(self, page: Page) -> list[etree._Element]:
        """``<time datetime>`` in article/header/main, or itemprop datePublished elements."""
        return [el for el in page.dated_elements()
                if el.get("itemprop") == "datePublished"
                or next(el.iterancestors(*_HEADER_ANCESTORS), None) is not None]

    def body(self, page: Page) -> etree._Element | None:
        """The site's body container."""
        return None

    def tags(self, page: Page) -> list[str] | None:
        """The site's visible tag list; None when the page has no tag module."""
        return None

    def not_found(self, page: Page, title_tag: str | None) -> str | None:
        """A reason when this is the site's not-found page (checked before anything else)."""
        return None


_CHROME_TAGS = frozenset({"nav", "footer", "header", "aside"})
_CHROME_CLASS = re.compile(r"footer|header|(?:^|[-_ ])nav|menu|sidebar", re.I)


def _is_chrome(el: etree._Element) -> bool:
    """Site chrome around the content: nav/footer/header/aside, by tag or by class name."""
    return el.tag in _CHROME_TAGS or bool(_CHROME_CLASS.search(el.get("class") or ""))


def page_lines(page: Page) -> list[Line]:
    """Non-empty lines of the ``<body>`` outside the site chrome (for not-found checks)."""
    bodies = _BODY(page.root)
    lines = extract_lines(bodies[0] if bodies else page.root, skip=_is_chrome)
    return [ln for ln in lines if ln.text]


def not_found_message(page: Page, title_tag: str | None,
                      use_title: bool = True) -> tuple[str | None, list[Line]]:
    """The page's not-found message (from an h1-h3 or a short line of the body, else its
    <title> when ``use_title``) and the page's lines (empty when a quick scan of the body
    shows no message can be there)."""
    title_says = bool(use_title and title_tag and NOT_FOUND.search(title_tag))
    bodies = _BODY(page.root)
    text = " ".join((bodies[0] if bodies else page.root).itertext()).lower()
    if not any(hint in text for hint in _NOT_FOUND_HINTS):
        return (title_tag if title_says else None), (page_lines(page) if title_says else [])
    lines = page_lines(page)
    for line in lines:
        short = 1 <= line.heading <= 3 or len(line.text) <= _SHORT_LINE
        if short and NOT_FOUND.search(line.text):
            return line.text, lines
    return (title_tag if title_says else None), lines


def only_not_found(page: Page, title_tag: str | None, has_body_text: bool) -> str | None:
    """The message when a page's only content is a not-found message: one in a heading or a
    short line (or in the <title>, for a page without body text), and no prose line."""
    message, lines = not_found_message(page, title_tag, use_title=not has_body_text)
    if message is None:
        return None
    for line in lines:
        if len(line.text) >= _PROSE_LINE and not NOT_FOUND.search(line.text):
            return None
    return message
