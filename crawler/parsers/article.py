"""The common and article fields of docs/extraction.md, each with its fallback chain.

Every function takes the parsed document, its :class:`PageMeta` and the site's
:class:`PageRules`; site rules come first, standard metadata after.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import tzinfo

from lxml import etree

from crawler.parsers.dates import DateReading, read_date
from crawler.parsers.document import Page
from crawler.parsers.generic_body import find_generic_body
from crawler.parsers.links import absolute
from crawler.parsers.meta import PageMeta
from crawler.parsers.rules import PageRules, first_text
from crawler.parsers.text import collapse
from crawler.sites import BEIJING, Site

_MAIN_TAGS = ("article", "main")
_CHROME_TAGS = ("nav", "footer", "aside", "header")
_PUBDATE_NAMES = ("pubdate", "publishdate", "publish_date", "publication_date")
_NOT_IMAGE_SRC = ("data:", "javascript:", "about:")


def strip_suffix(title: str, suffixes: tuple[str, ...]) -> str:
    """A ``<title>`` without the site's suffix (the longest that matches)."""
    for suffix in sorted(suffixes, key=len, reverse=True):
        cut = collapse(suffix)
        if cut and title.endswith(cut) and len(title) > len(cut):
            return title[: -len(cut)].strip()
    return title


def find_title(page: Page, meta: PageMeta, headline: str | None, site: Site | None
               ) -> tuple[str | None, str | None]:
    """(title, source) on a site with rules: site headline (``headline``), main h1,
    og:title, JSON-LD headline, <title> minus the site suffix.

    The main h1 is one inside article/main, else one outside nav/footer/aside/header (a
    header h1 is often the site logo); any h1 is the last resort before <title>.
    """
    if headline:
        return headline, "site"
    h1s = page.h1s()
    h1 = (first_text(h for h in h1s if _inside(h, _MAIN_TAGS) or _in_role_main(h))
          or first_text(h for h in h1s if not _inside(h, _CHROME_TAGS)))
    for title, source in ((h1, "h1"), (meta.prop("og:title"), "og:title"),
                          (meta.ld_text("headline"), "json-ld"), (first_text(h1s), "h1")):
        if title:
            return title, source
    if meta.title_tag:
        stripped = strip_suffix(meta.title_tag, site.title_suffixes if site else ())
        return (stripped, "title") if stripped else (None, None)
    return None, None


def _inside(el: etree._Element, tags: tuple[str, ...]) -> bool:
    return next(el.iterancestors(*tags), None) is not None


def _in_role_main(el: etree._Element) -> bool:
    return any(a.get("role") == "main" for a in el.iterancestors())


def find_published(page: Page, meta: PageMeta, rules: PageRules,
                   tz: tzinfo = BEIJING) -> DateReading:
    """The first readable of: JSON-LD datePublished, article:published_time, header
    <time datetime>, the byline's visible time, meta pubdate/publishdate/itemprop; else a
    relative byline without a value (``needs_anchor``), for the normalise step to read
    against the capture time; else a reading saying no date was found."""
    early = ((meta.ld_text("datePublished"), "json-ld"),
             (meta.prop("article:published_time"), "meta"))
    for raw, source in itertools.chain(early, ((v, "byline") for v in
                                               _header_time_values(page, rules))):
        reading = _whole(raw, tz, source)
        if reading:
            return reading
    byline = rules.byline_time(page, tz)
    if byline and byline.value:
        return byline
    late = [meta.name(key) for key in _PUBDATE_NAMES]
    late += meta.by_itemprop.get("datepublished") or []
    for raw in late:
        reading = _whole(raw, tz, "meta")
        if reading:
            return reading
    return byline or DateReading(None, None, None, None, "no publication date on the page")


def _whole(raw: str | None, tz: tzinfo, source: str) -> DateReading | None:
    """A metadata value read in ``tz``, with its collapsed text as raw; None if unreadable."""
    if not raw:
        return None
    reading = read_date(raw, tz=tz, source=source)
    if reading.value is None:
        return None
    return DateReading(collapse(raw), reading.value, reading.precision, source)


def _header_time_values(page: Page, rules: PageRules) -> Iterator[str | None]:
    """The datetime (or content) values of the header's time elements, looked up lazily."""
    for el in rules.header_times(page):
        yield el.get("datetime") or el.get("content")


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://", "//", "www."))


def find_author(page: Page, meta: PageMeta, rules: PageRules) -> tuple[str | None, str | None]:
    """(author, source): byline author (site), meta author, article:author (not a URL; meta),
    JSON-LD author.name (json-ld); (None, None)."""
    author = rules.byline_author(page)
    if author:
        return author, "site"
    author = meta.name("author")
    if author:
        return author, "meta"
    for value in meta.props("article:author"):
        if not _is_url(value):
            return value, "meta"
    author = meta.ld_author()
    return (author, "json-ld") if author else (None, None)


def find_summary(meta: PageMeta) -> str | None:
    """meta description, og:description, JSON-LD description."""
    return meta.name("description") or meta.prop("og:description") or meta.ld_text("description")


def find_tags(page: Page, meta: PageMeta, rules: PageRules) -> tuple[str, ...]:
    """Site tag module, article:tag, meta keywords, JSON-LD keywords; collapsed, deduplicated."""
    raw = rules.tags(page) or meta.props("article:tag")
    if not raw and meta.name("keywords"):
        raw = [part for value in meta.by_name["keywords"] for part in _split_keywords(value)]
    if not raw:
        raw = meta.ld_keywords()
    return tuple(dict.fromkeys(t for t in (collapse(r) for r in raw) if t))


def _split_keywords(value: str) -> list[str]:
    return value.replace("，", ",").split(",")


def find_body(page: Page, rules: PageRules) -> tuple[etree._Element | None, bool]:
    """(body, found by the site's own rule): the site container, else the generic container
    (crawler.parsers.generic_body: where the page's prose is densest)."""
    found = rules.body(page)
    if found is not None:
        return found, True
    return find_generic_body(page), False


_CHROME = frozenset({"header", "nav", "footer", "aside", "form"})


def is_chrome(el: etree._Element) -> bool:
    """Page furniture inside a generic body (<article>'s header, a share bar): not text."""
    return el.tag in _CHROME


def find_images(body: etree._Element | None, base: str) -> tuple[str, ...]:
    """Every img of the body: src, else data-src/data-original (when src is absent or data:),
    made absolute against ``base`` (the page's URL or <base>); page order, no duplicates."""
    if body is None:
        return ()
    found: list[str] = []
    for img in body.iter("img"):
        src = (img.get("src") or "").strip()
        if not src or src.lower().startswith("data:"):
            src = (img.get("data-src") or img.get("data-original") or "").strip()
        if src.startswith(("https://", "http://")):
            found.append(src)
        elif src and not src.lower().startswith(_NOT_IMAGE_SRC):
            found.append(absolute(base, src))
    return tuple(dict.fromkeys(found))
