"""The headline of a page without site rules, and which element gave it.

The ``<title>`` is the page's own statement of its headline, with the site's name around
it (``...-新华网``, ``..._新浪财经_新浪网``, ``明日股市预测--...``). A visible headline is taken
when the ``<title>`` holds it: among og:title, the JSON-LD headline, the h1s and the short
lines of the body, the longest that the ``<title>`` contains (a logo ``<h1>`` such as 新闻中心
is not in it). Without such a match, og:title / JSON-LD, else the ``<title>`` less the site
suffix learnt from its pattern: separator-led trailing parts that are shorter than what
precedes them or read as a site name, removed one at a time (``_公园_新浪新闻``), else the first h1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from crawler.parsers.document import Page
from crawler.parsers.meta import PageMeta
from crawler.parsers.rules import node_text
from crawler.parsers.text import extract_lines

_SEPARATOR = re.compile(r"\s*(?:_+|\|+|｜|--+|—+|–|\s-\s|-(?=[^\d\s-]))\s*")
"""What sites put between headline and site name; a hyphen only before a non-digit
(``1-10月`` is no separator)."""
_MAX_SUFFIX = 25
_SITE_WORDS = re.compile(r"网|報|报|新闻|新聞|频道|頻道|官网|门户|传媒|中心|^[\x00-\x7f]+$")
"""A trailing part that reads as a site's name even when it is longer than the headline
(``标题 - Example``, ``新闻动态--中国地理学会官网``)."""
_MIN_SHARE = 0.3
"""A match must be this share of the stripped ``<title>`` (not a nav label inside it)."""
_MAX_LINE = 200
_BODY = etree.XPath("//body")


def strip_site_suffix(title: str) -> str:
    """``title`` without its trailing site parts (``..._财经_腾讯网`` -> ``...``)."""
    while True:
        last = None
        for m in _SEPARATOR.finditer(title):
            last = m
        if last is None or last.start() == 0:
            return title
        head, tail = title[:last.start()].strip(), title[last.end():].strip()
        if tail and (len(tail) > _MAX_SUFFIX
                     or (len(head) < len(tail) and not _SITE_WORDS.search(tail))):
            return title
        title = head


def _candidates(page: Page, meta: PageMeta) -> Iterator[tuple[str, str]]:
    """(text, source) of every element that may carry the headline, in preference order."""
    for text, source in ((meta.prop("og:title"), "og:title"),
                         (meta.ld_text("headline"), "json-ld")):
        if text:
            yield text, source
    for h1 in page.h1s():
        yield node_text(h1), "h1"
    bodies = _BODY(page.root)
    for line in extract_lines(bodies[0] if bodies else None):
        if 0 < len(line.text) <= _MAX_LINE:
            yield line.text, "line"


def generic_title(page: Page, meta: PageMeta) -> tuple[str | None, str | None]:
    """(headline, source): source is og:title, json-ld, h1, line or title."""
    tag = meta.title_tag
    if tag:
        stripped = strip_site_suffix(tag)
        floor = max(2, _MIN_SHARE * len(stripped))
        best: tuple[str, str] | None = None
        for text, source in _candidates(page, meta):
            if len(text) >= floor and text in tag and (best is None or len(text) > len(best[0])):
                best = (text, source)
        if best is not None:
            text, source = best
            return (stripped, "title") if text == tag else (text, source)
    for text, source in ((meta.prop("og:title"), "og:title"),
                         (meta.ld_text("headline"), "json-ld")):
        if text:
            return text, source
    if tag:
        return strip_site_suffix(tag), "title"
    h1 = next((node_text(h) for h in page.h1s() if node_text(h)), None)
    return (h1, "h1") if h1 else (None, None)
