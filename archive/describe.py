"""What the archive's tables, views and columns mean, in one place.

The dataset card of an export and the Datasette metadata of `newsarchive serve` are both
written from these descriptions, so they cannot disagree. Units are stated in the text.
"""

from __future__ import annotations

from datetime import timedelta, timezone

BEIJING = timezone(timedelta(hours=8))
"""The sites' own zone: a calendar day in the archive is a Beijing day."""

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
    "stories": "News stories: clusters of near-duplicate articles and news items, one row "
               "per story, with its first reporter.",
    "story_appearances": "Every appearance of every story, first reporter first (view over "
                         "stories and story_members).",
    "articles_with_story": "Each article beside the story it belongs to (view over articles "
                           "and stories); story columns are null when not clustered.",
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
    "story_id": "stories.id of the story (near-duplicate cluster) the row belongs to.",
    "story_headline": "The story's headline: its first reporter's.",
    "story_appearances": "How many articles and news items tell the story (count).",
    "story_sources": "How many distinct sites tell the story (count).",
    "story_first_published_at": f"When the story first appeared, {TIMES}.",
    "story_first_site": "The site that reported the story first.",
    "story_first_url": "URL of the story's first appearance.",
    "first_reporter": "1 if this article is its story's first appearance, else 0.",
    "first_published_at": f"When the story first appeared, {TIMES}.",
    "last_published_at": f"When the story last appeared, {TIMES}.",
    "first_site": "The site that reported the story first.",
    "first_url": "URL of the story's first appearance (a news item is DIGEST_URL#item-N).",
    "first_kind": "What the first appearance is: article or digest_item.",
    "first_row_id": "Row id of the first appearance in articles or digest_items.",
    "appearances": "How many articles and news items tell the story (count).",
    "sources": "How many distinct sites tell the story (count).",
    "kind": "What the appearance is: article or digest_item.",
    "rank": "Order of appearance within the story, 1 = first reporter.",
}

# Where a column means something else in one table than elsewhere.
TABLE_COLUMNS: dict[tuple[str, str], str] = {
    ("stories", "headline"): "The story's headline: its first reporter's.",
    ("story_appearances", "headline"): "The appearance's own headline or title.",
    ("story_appearances", "published_at"): f"When the appearance was published, {TIMES}.",
    ("story_appearances", "url"): "URL of the appearance (a news item is DIGEST_URL#item-N).",
}


def describe_column(name: str, table: str | None = None) -> str:
    """A column's meaning (in ``table`` when it differs there); an undocumented column
    says so rather than guessing."""
    return TABLE_COLUMNS.get((table or "", name)) or COLUMNS.get(name, "(not documented)")


# The declared type of every exported column: the export formats (archive.export_writers)
# and the dataset card take their types from here. SQLite views lose the declared types of
# computed columns, so they are named, not read from the database.
INTEGERS = frozenset({"id", "position", "news_items", "digests", "articles", "appearances",
                      "sources", "story_appearances", "story_sources", "first_reporter",
                      "first_row_id", "rank", "version", "status", "body_length",
                      "seen_count"})
DATES = frozenset({"digest_date", "event_date", "day"})
LISTS = frozenset({"tags", "images"})
TYPES = ("integer", "date", "timestamp", "list", "text")
"""integer; date: a Beijing calendar day (YYYY-MM-DD; a month-precision value is its first
day); timestamp: an instant in UTC (a day- or month-precision value is its first instant in
Beijing time, the *_precision column says which); list: of strings; text."""


def column_type(name: str) -> str:
    """The declared type of a column (one of TYPES)."""
    if name in INTEGERS or (name.endswith("_id") and name != "site_id"):
        return "integer"
    if name in DATES:
        return "date"
    if name.endswith("_at"):
        return "timestamp"
    return "list" if name in LISTS else "text"
