"""Pure parsers: page text (or API bytes) plus URL to the dataclasses of crawler.items.

Contract: docs/extraction.md. No network, no clock, no Scrapy: every function here is a
pure function of its arguments.

- :func:`parse_page` -- an HTML page (8btc, Foresight or any other host) to a
  :class:`~crawler.items.Digest` or an :class:`~crawler.items.Article`, decided by content.
- :func:`parse_foresight_listing`, :func:`parse_8btc_listing` -- listing API answers.
- :func:`to_output` -- the JSON object of docs/extraction.md for a parsed record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from crawler.items import Article, Digest
from crawler.parsers import eightbtc, foresight
from crawler.parsers.article import (
    find_author,
    find_body,
    find_images,
    find_published,
    find_summary,
    find_tags,
    find_title,
    is_chrome,
)
from crawler.parsers.dates import DateReading, beijing_date, published_fields
from crawler.parsers.digest import is_digest, read_digest
from crawler.parsers.document import Page, parse_html
from crawler.parsers.eightbtc import parse_8btc_listing
from crawler.parsers.errors import (
    BadPayload,
    FieldTooLong,
    MissingField,
    PageNotFound,
    ParseError,
    WrongKind,
)
from crawler.parsers.foresight import parse_foresight_listing
from crawler.parsers.generic_body import chrome_itself
from crawler.parsers.generic_date import GenericRules, htmldate_reading
from crawler.parsers.generic_title import generic_title
from crawler.parsers.links import absolute, base_url
from crawler.parsers.meta import PageMeta, read_meta
from crawler.parsers.rules import PageRules, only_not_found
from crawler.parsers.text import Line, content_lines, extract_lines
from crawler.sites import (
    EIGHTBTC,
    FORESIGHT,
    article_id,
    canonical_url,
    site_for_url,
    site_zone,
)

__all__ = [
    "BadPayload",
    "FieldTooLong",
    "MissingField",
    "PageNotFound",
    "ParseError",
    "WrongKind",
    "parse_8btc_listing",
    "parse_foresight_listing",
    "parse_page",
    "to_output",
]

_GENERIC = GenericRules()
_RULES = {EIGHTBTC.name: eightbtc.RULES, FORESIGHT.name: foresight.RULES}
_SHORT_TEXT = 200
"""Body text shorter than this is checked for being only a not-found message."""
MAX_LINE_FIELD = 1000
"""Characters a title, headline or author may have. Real ones have under 100; a page with a
1 MB headline (catalogue 29) is refused with FieldTooLong rather than stored."""


def _site_name(url: str) -> str:
    site = site_for_url(url)
    return site.name if site else (urlsplit(url).hostname or "").lower()


def parse_page(html: str | bytes, url: str) -> Digest | Article:
    """Read one HTML page: a Digest when its body has the digest markers, else an Article.

    Raises PageNotFound (the site's not-found page), MissingField (no title, no body text,
    an empty digest), WrongKind (not an HTML page).
    """
    page = parse_html(html)
    site = site_for_url(url)
    rules = _RULES.get(site.name, _GENERIC) if site else _GENERIC
    meta = read_meta(page.root)
    reason = rules.not_found(page, meta.title_tag)
    if reason:
        raise PageNotFound(reason, url=url)
    body, by_site_rule = find_body(page, rules)
    lines = extract_lines(body, skip=None if by_site_rule else _generic_skip(body))
    texts = content_lines(lines)
    headline = rules.headline(page)
    if rules is _GENERIC:
        title, title_source = generic_title(page, meta)
    else:
        title, title_source = find_title(page, meta, headline, site)
    if texts and texts[0] == title:
        texts = texts[1:]  # a generic body that repeats its own headline
    if (not title or len("".join(texts)) < _SHORT_TEXT) and not headline:
        message = only_not_found(page, meta.title_tag, has_body_text=bool(texts))
        if message:
            raise PageNotFound(f"not-found page: {message}", url=url)
    if not title:
        raise MissingField("no title: no headline element, h1, og:title, JSON-LD or <title>",
                           url=url)
    when = _published(html, page, meta, rules, url)
    if is_digest(lines):
        return _bounded(_digest(page, meta, when, url, title, lines))
    if not texts:
        what = "no body container" if body is None else "body container holds no text"
        raise MissingField(f"no body text: {what}", url=url)
    sources = {"title_source": title_source, "text_source": "site" if by_site_rule else "generic"}
    return _bounded(_article(page, meta, rules, url, title, when, body, texts, sources))


def _published(html: str | bytes, page: Page, meta: PageMeta, rules: PageRules,
               url: str) -> DateReading:
    """The page's publication reading; on a host without site rules, htmldate's when ours
    has no value (bench/generic.py: 0.98 of the development pages right, against 0.91 for
    ours alone and 0.97 for htmldate alone)."""
    when = find_published(page, meta, rules, site_zone(url))
    if when.value is None and rules is _GENERIC:
        return htmldate_reading(html, url, site_zone(url)) or when
    return when


def _generic_skip(body: etree._Element | None) -> Callable[[etree._Element], bool]:
    """What a generic body's text leaves out: chrome by tag (is_chrome) or by class/id name,
    and hidden elements, inside the body (never the body itself)."""
    return lambda el: el is not body and (is_chrome(el) or chrome_itself(el))


def _bounded(record: Digest | Article) -> Digest | Article:
    """``record`` if its one-line fields are within MAX_LINE_FIELD; else FieldTooLong."""
    fields = [("title", record.title)]
    if isinstance(record, Article):
        fields.append(("author", record.author))
    else:
        fields += [(f"item {n} headline", i.headline) for n, i in enumerate(record.items, 1)]
        fields += [(f"recommendation {n} title", r.title)
                   for n, r in enumerate(record.recommendations, 1)]
    for name, value in fields:
        if value and len(value) > MAX_LINE_FIELD:
            raise FieldTooLong(f"{name} has {len(value)} characters (limit {MAX_LINE_FIELD})",
                               url=record.url)
    return record


def _article(page: Page, meta: PageMeta, rules: PageRules, url: str, title: str,
             when: DateReading, body: etree._Element | None, texts: list[str],
             sources: dict[str, str | None]) -> Article:
    author, author_source = find_author(page, meta, rules)
    return Article(
        url=url,
        canonical_url=canonical_url(url),
        site=_site_name(url),
        site_id=article_id(url),
        title=title,
        author=author,
        **published_fields(when),
        summary=find_summary(meta),
        text="\n".join(texts),
        tags=find_tags(page, meta, rules),
        images=find_images(body, base_url(page.root, url)),
        author_source=author_source,
        **sources,
    )


def _digest(page: Page, meta: PageMeta, when: DateReading, url: str, title: str,
            lines: list[Line]) -> Digest:
    base = base_url(page.root, url)
    reading = read_digest(lines, beijing_date(when.value), lambda link: absolute(base, link))
    if not reading.items and not reading.recommendations:
        raise MissingField("digest without items or recommendations", url=url)
    return Digest(
        url=url,
        canonical_url=canonical_url(url),
        site=_site_name(url),
        title=title,
        **published_fields(when),
        summary=reading.summary or None,
        items=tuple(reading.items),
        recommendations=tuple(reading.recommendations),
    )


def to_output(record: Digest | Article) -> dict[str, Any]:
    """The JSON object of docs/extraction.md, keys in the documented order."""
    if isinstance(record, Digest):
        return {
            "kind": "digest",
            "url": record.url,
            "title": record.title,
            "published_at": record.published_at,
            "summary": record.summary or None,
            "items": [
                {"headline": i.headline, "event_date": i.event_date, "text": i.text,
                 "attribution": i.attribution}
                for i in record.items
            ],
            "recommendations": [
                {"title": r.title, "url": r.url, "blurb": r.blurb or None}
                for r in record.recommendations
            ],
        }
    if isinstance(record, Article):
        return {
            "kind": "article",
            "url": record.url,
            "canonical_url": record.canonical_url,
            "title": record.title,
            "author": record.author or None,
            "published_at": record.published_at,
            "summary": record.summary or None,
            "text": record.text,
            "tags": list(record.tags),
            "images": list(record.images),
        }
    raise TypeError(f"to_output takes a Digest or an Article, not {type(record).__name__}")
