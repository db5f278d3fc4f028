"""What the archive's tables, views and columns mean, in one place.

The dataset card of an export and the Datasette metadata of `newsarchive serve` are both
written from these descriptions, so they cannot disagree. Units are stated in the text.
"""

from __future__ import annotations

TIMES = "ISO 8601 UTC ending in Z"
DATE_BJ = "YYYY-MM-DD, calendar day in Beijing time (UTC+8)"

TABLES: dict[str, str] = {
    "news_items": "Each news item of a digest with its digest's source, date and title "
                  "(view over digest_items and digests).",
    "items_per_day": "News items, digests and articles per Beijing calendar day and source "
                     "(view).",
    "digests": "Daily digest pages (Foresight News / 8btc 每日必读), one row per page.",
    "digest_items": "The news items (热点资讯) of a digest, in page order.",
    "articles": "Article pages (8btc, Foresight News), one row per canonical URL.",
    "recommendations": "The recommended reads (荐读) of a digest.",
}

COLUMNS: dict[str, str] = {
    "id": "Row id in its table (digest_items.id for news_items).",
    "source": "The site the page comes from: foresight (foresightnews.pro) or 8btc.",
    "site": "The site the page comes from: foresight (foresightnews.pro) or 8btc.",
    "digest_date": f"The digest's publication day, {DATE_BJ}.",
    "digest_published_at": f"When the digest was published, {TIMES}.",
    "published_at": f"When the page was published, {TIMES}.",
    "published_raw": "The publication time exactly as the page showed it.",
    "position": "1-based position within the digest.",
    "event_date": "The date the item's lead states (3 月 7 日消息), YYYY-MM-DD; null if none.",
    "event_date_raw": "That date as the page wrote it.",
    "attribution": "The outlet the item credits (据新浪科技报道 -> 新浪科技); null if none.",
    "headline": "The news item's headline.",
    "text": "Body text; paragraphs joined by newlines.",
    "digest_title": "Title of the digest the item belongs to.",
    "digest_url": "Canonical URL of that digest.",
    "digest_id": "digests.id of the digest the row belongs to.",
    "title": "Title as the page shows it (recommendations: without 《》).",
    "summary": "The page's summary (a digest's 摘要).",
    "author": "Author as the page names them.",
    "canonical_url": "The page's identity: its canonical URL.",
    "url": "The URL as requested or as written on the page.",
    "site_id": "The site's own id of the article.",
    "tags": "Tags the page lists (JSON array of strings; a list in Parquet).",
    "images": "Image URLs in the body (JSON array of strings; a list in Parquet).",
    "blurb": "The recommendation's one-line description.",
    "capture_id": "captures.id of the fetch the row was last read from.",
    "first_seen_at": f"When a crawl first saw the page, {TIMES}.",
    "last_seen_at": f"When a crawl last saw the page, {TIMES}.",
    "content_sha256": "sha256 (hex) of the page's extracted content; equal means unchanged.",
    "day": f"Calendar day, {DATE_BJ}.",
    "news_items": "Number of digest news items that day (count).",
    "digests": "Number of digests that day (count).",
    "articles": "Number of articles that day (count).",
}


def describe_column(name: str) -> str:
    """A column's meaning; an undocumented column says so rather than guessing."""
    return COLUMNS.get(name, "(not documented)")
