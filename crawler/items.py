"""The dataclasses that travel from spiders through pipelines to the archive.

Every item is frozen: a pipeline that changes a value returns a new item with
``dataclasses.replace``. Fields keep what the page wrote (``*_raw``) beside what
could be resolved from it. Times are ISO 8601 UTC strings ending in ``Z``;
calendar dates are ``YYYY-MM-DD``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Capture:
    """One fetch as the crawler saw it, successful or not."""

    url: str
    """The URL requested, on the real host (never the mirror's address)."""
    final_url: str
    """The URL of the response after redirects."""
    status: int | None
    """HTTP status; None when no response arrived (network error, refused request)."""
    fetched_at: str
    """When the response arrived, ISO 8601 UTC ending in Z."""
    content_type: str | None = None
    """The Content-Type header without parameters, lowercased."""
    body_sha256: str | None = None
    """sha256 of the body as received, lowercase hex; None without a body."""
    body_length: int | None = None
    """Length of the body in bytes; None without a body."""
    site: str | None = None
    """The site the URL belongs to: '8btc' or 'foresight'."""
    page_kind: str | None = None
    """What the body turned out to be: digest, article, listing, not_found..."""
    error_kind: str | None = None
    """Why the page could not be read, as a short key (http_error, network, parse_error...)."""
    error: str | None = None
    """The reason in one line; None when the page was read."""
    etag: str | None = None
    """The ETag header, kept for conditional re-checks; not stored with the capture."""
    last_modified: str | None = None
    """The Last-Modified header, likewise."""
    warc_file: str | None = None
    """The WARC file holding this fetch's record, relative to the archive's WARC folder."""
    warc_offset: int | None = None
    """Byte offset of the record (one gzip member) in that file."""
    warc_length: int | None = None
    """Length of the record in bytes."""
    warc_digest: str | None = None
    """WARC-Payload-Digest of the body as received (``sha1:BASE32``)."""
    warc_type: str | None = None
    """The record's type: response, revisit (payload archived before), resource, metadata."""
    via: str = "live"
    """Where the capture came from: live (crawled), wayback, commoncrawl or import. For an
    archive's capture ``fetched_at`` is the archive's capture time, not when we read it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupeKeys:
    """What the dedupe pipeline computed for one text (see archive.signature)."""

    text_sha256: str
    """sha256 of the normalised text, lowercase hex."""
    body: str = ""
    """The folded content units, compact, one per line."""
    figures: tuple[str, ...] = ()
    """The figures with units the text states, values normalised (archive.facts)."""
    names: tuple[str, ...] = ()
    """The named things the text is about (archive.facts)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestItem:
    """One news item of a digest's 热点资讯 section."""

    position: int
    """1-based order of the item in the digest."""
    headline: str
    """The bold headline, whitespace collapsed."""
    text: str
    """The item's paragraphs joined by newlines."""
    event_date_raw: str | None = None
    """The date its lead states, as written ('3 月 7 日'); None when the lead has none."""
    event_date: str | None = None
    """That date as YYYY-MM-DD, the year taken from the digest's own date."""
    event_date_precision: str | None = None
    """day (or month): how much of the date the lead said."""
    event_date_source: str | None = None
    """Where the date was read: 'text' (the item's lead)."""
    event_date_reason: str | None = None
    """Why event_date is null though the lead has a date (2 月 30 日, no digest date)."""
    attribution: str | None = None
    """The outlet the lead credits ('据新浪科技报道' -> '新浪科技'); None when none."""
    dedupe: DedupeKeys | None = None
    """Set by the dedupe pipeline; None until then."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    """One entry of a digest's 荐读 (recommended reads) section."""

    position: int
    """1-based order of the recommendation in the digest."""
    title: str
    """The title without its 《》 brackets."""
    blurb: str | None
    """The paragraphs between title and link, joined by newlines; None when absent."""
    url: str | None
    """The link as the page gives it (href or plain-text URL)."""
    canonical_url: str | None = None
    """The link in the canonical form of its site (see crawler.sites.canonical_url)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    """A daily digest page: 摘要, 热点资讯 items and 荐读 recommendations."""

    url: str
    """The page URL as fetched (real host)."""
    canonical_url: str
    """The page URL in its site's canonical form: the digest's identity."""
    site: str
    """The site hosting this copy: '8btc' or 'foresight'."""
    title: str
    """The page's headline."""
    published_raw: str | None
    """The publication date as the page wrote it."""
    published_at: str | None
    """The publication instant, ISO 8601 UTC ending in Z; a YYYY-MM-DD date when the page
    gave only a day (昨天, 3天前)."""
    published_precision: str | None = None
    """second, minute, hour, day or month: how much of published_at the page said."""
    published_source: str | None = None
    """Where the date was read: json-ld, meta, byline, text, url, api or htmldate."""
    published_reason: str | None = None
    """Why published_at is null though the page showed a date (unreadable, in the future)."""
    summary: str | None
    """The 摘要 text without its label."""
    items: tuple[DigestItem, ...] = ()
    """The news items in page order."""
    recommendations: tuple[Recommendation, ...] = ()
    """The recommended reads in page order."""
    capture: Capture | None = None
    """The fetch this digest was read from; set by the spider."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """A single article page."""

    url: str
    """The page URL as fetched (real host)."""
    canonical_url: str
    """The page URL in its site's canonical form: the article's identity."""
    site: str
    """'8btc' or 'foresight'."""
    site_id: str | None
    """The site's numeric article id, from the URL."""
    title: str
    """The article's headline, without the site's title suffix."""
    author: str | None
    """The byline author."""
    published_raw: str | None
    """The publication date as the page wrote it."""
    published_at: str | None
    """The publication instant, ISO 8601 UTC ending in Z; a YYYY-MM-DD date when the page
    gave only a day (昨天, 3天前)."""
    published_precision: str | None = None
    """second, minute, hour, day or month: how much of published_at the page said."""
    published_source: str | None = None
    """Where the date was read: json-ld, meta, byline, text, url, api or htmldate."""
    published_reason: str | None = None
    """Why published_at is null though the page showed a date (unreadable, in the future)."""
    summary: str | None
    """The page's own summary (description metadata)."""
    text: str
    """Body paragraphs joined by newlines, boilerplate removed."""
    tags: tuple[str, ...] = ()
    """Tags in page order, without the label."""
    images: tuple[str, ...] = ()
    """Absolute URLs of the body's images in page order."""
    title_source: str | None = None
    """Which extractor gave the title: site (the site's headline rule), h1, og:title,
    json-ld, line (a line of the page that the <title> holds) or title (<title> less the
    site suffix)."""
    text_source: str | None = None
    """Which extractor gave the text: site (the site's body rule) or generic (the densest
    prose, crawler.parsers.generic_body)."""
    author_source: str | None = None
    """Which extractor gave the author: site (the byline rule), meta or json-ld."""
    capture: Capture | None = None
    """The fetch this article was read from; set by the spider."""
    dedupe: DedupeKeys | None = None
    """Set by the dedupe pipeline; None until then."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ListingEntry:
    """One row of a site's listing API: a pointer to a page worth fetching."""

    site: str
    """'8btc' or 'foresight'."""
    site_id: str
    """The site's id of the listed page."""
    url: str
    """The detail page to fetch."""
    title: str | None = None
    """The title the listing gives."""
    published_at: str | None = None
    """The listing's publication instant, ISO 8601 UTC ending in Z."""
