"""The visible byline date of a page without site rules (:class:`GenericRules`).

Other sites print the publication time under the headline (``2019-09-07 13:43:45 来源:``,
``发布日期：2016-11-22``, ``2019年09月11日 富达传媒``). The byline is the first short line
after the headline's line that reads to a date with its year (a relative ``3小时前`` is kept
without a value, for the capture time to resolve); else the first short line anywhere that
a label names (发布时间, 发布日期, 发表于, 时间：...). Lines of comments and related links
come after the article, so the first date after the headline is the page's own.
"""

from __future__ import annotations

import re
from datetime import tzinfo

from lxml import etree

from crawler.parsers.dates import DateReading, read_date
from crawler.parsers.document import Page
from crawler.parsers.generic_title import generic_title
from crawler.parsers.meta import read_meta
from crawler.parsers.rules import PageRules
from crawler.parsers.text import extract_lines

_WINDOW = 12
"""Lines after the headline's that may hold its byline."""
_BYLINE_MAX = 100
"""A longer line is prose: a date in it is an event, not the publication."""
_LABEL = re.compile(r"发布时间|发布日期|發佈時間|發佈日期|发表于|發表於|更新时间|时间\s*[:：]"
                    r"|日期\s*[:：]|時間\s*[:：]")
_BODY = etree.XPath("//body")


def _lines(page: Page) -> list[str]:
    bodies = _BODY(page.root)
    return [ln.text for ln in extract_lines(bodies[0] if bodies else None) if ln.text]


def _headline_index(lines: list[str], title: str | None) -> int | None:
    if not title:
        return None
    return next((i for i, text in enumerate(lines) if title in text), None)


def _read(text: str, tz: tzinfo) -> DateReading | None:
    if len(text) > _BYLINE_MAX:
        return None
    reading = read_date(text, tz=tz, source="byline")
    if reading.value and reading.precision != "month":
        return reading
    return reading if reading.needs_anchor else None


def byline_reading(lines: list[str], title: str | None, tz: tzinfo) -> DateReading | None:
    """The byline date of ``lines`` (a page's lines) below the headline ``title``."""
    start = _headline_index(lines, title)
    waiting = None
    if start is not None:
        for text in lines[start + 1:start + 1 + _WINDOW]:
            reading = _read(text, tz)
            if reading and reading.value:
                return reading
            waiting = waiting or reading
    for text in lines:
        if _LABEL.search(text):
            reading = _read(text, tz)
            if reading and reading.value:
                return reading
    return waiting


_HTMLDATE_SETTINGS = {"original_date": True, "extensive_search": True,
                      "outputformat": "%Y-%m-%d %H:%M:%S", "max_date": "2999-12-31"}
"""htmldate as trafilatura calls it, the time kept; a fixed latest date instead of its
default (today), so the reading stays a pure function of the page (a future value is the
normalise step's to refuse)."""
_MIDNIGHT = " 00:00:00"


def htmldate_reading(html: str | bytes, url: str, tz: tzinfo) -> DateReading | None:
    """The publication date htmldate finds (markup, scripts, URL, text); None without one.

    Its wall time is read in ``tz``; ``00:00:00`` means it found only the day."""
    from htmldate import find_date

    data = html.encode("utf-8") if isinstance(html, str) else html  # never a URL to fetch
    try:
        found = find_date(data, url=url, **_HTMLDATE_SETTINGS)
    except (ValueError, TypeError):
        return None
    if not found:
        return None
    day_only = found.endswith(_MIDNIGHT)
    reading = read_date(found.removesuffix(_MIDNIGHT), tz=tz, source="htmldate")
    if reading.value is None or (day_only and reading.precision != "day"):
        return None
    return reading


class GenericRules(PageRules):
    """The reading of a host without site rules: standard places, then the visible byline."""

    def byline_time(self, page: Page, tz: tzinfo) -> DateReading | None:
        title, _source = generic_title(page, read_meta(page.root))
        return byline_reading(_lines(page), title, tz)
