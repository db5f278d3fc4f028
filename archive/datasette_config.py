"""Datasette metadata for the archive: descriptions, units, sources, facets, search, queries.

Built from archive.describe (the same text as the export dataset cards). The search of
``digest_items``, ``articles`` and the ``news_items`` view runs on the Chinese FTS5 index
in raw mode; the plugin (archive.datasette_plugin) turns what the user typed into the
index's search form first. No Datasette import here: this is plain data.
"""

from __future__ import annotations

from typing import Any

from archive.describe import TABLES, describe_column

_COLUMNS = {
    "news_items": ("id", "source", "digest_date", "digest_published_at", "position",
                   "event_date", "attribution", "headline", "text", "digest_title",
                   "digest_url", "digest_id"),
    "items_per_day": ("day", "source", "news_items", "digests", "articles"),
    "digests": ("id", "site", "title", "published_at", "published_raw", "summary",
                "canonical_url"),
    "digest_items": ("id", "digest_id", "position", "headline", "event_date", "attribution",
                     "text"),
    "articles": ("id", "site", "title", "author", "published_at", "summary", "text", "tags",
                 "canonical_url"),
    "recommendations": ("id", "digest_id", "position", "title", "blurb", "canonical_url"),
    "stories": ("id", "headline", "appearances", "sources", "first_published_at",
                "first_site", "first_kind", "first_row_id", "first_url", "last_published_at"),
    "story_appearances": ("story_id", "story_headline", "appearances", "sources",
                          "published_at", "site", "kind", "url", "headline", "rank"),
    "articles_with_story": ("id", "site", "published_at", "title", "author", "canonical_url",
                            "story_id", "story_headline", "story_appearances",
                            "story_sources", "story_first_published_at",
                            "story_first_site", "story_first_url", "first_reporter"),
}
_TABLE_EXTRAS: dict[str, dict[str, Any]] = {
    "news_items": {"facets": ["source", "attribution", "digest_date"],
                   "fts_table": "digest_items_fts", "fts_pk": "id",
                   "sort_desc": "digest_published_at"},
    "digest_items": {"facets": ["attribution"], "fts_table": "digest_items_fts"},
    "articles": {"facets": ["site", "author", {"array": "tags"}],
                 "fts_table": "articles_fts", "sort_desc": "published_at"},
    "digests": {"facets": ["site"], "sort_desc": "published_at"},
    "items_per_day": {"facets": ["source"], "sort_desc": "day"},
    "stories": {"facets": ["first_site", "sources", "first_kind"], "sort_desc": "appearances"},
    "story_appearances": {"facets": ["site", "kind"], "sort": "story_id"},
    "articles_with_story": {"facets": ["site", "story_first_site", "first_reporter"],
                            "fts_table": "articles_fts", "fts_pk": "id",
                            "sort_desc": "story_appearances"},
}
QUERIES = {
    "search": {
        "title": "Search news items and articles (Chinese, Traditional or Simplified)",
        "sql": "SELECT 'news item' AS kind, i.id, d.site AS source, d.published_at, "
               "i.headline AS title FROM digest_items_fts f "
               "JOIN digest_items i ON i.id = f.rowid JOIN digests d ON d.id = i.digest_id "
               "WHERE digest_items_fts MATCH search_match(:q) "
               "UNION ALL SELECT 'article', a.id, a.site, a.published_at, a.title "
               "FROM articles_fts f JOIN articles a ON a.id = f.rowid "
               "WHERE articles_fts MATCH search_match(:q) ORDER BY published_at DESC",
    },
    "top_attributions": {
        "title": "Outlets the digests credit most",
        "sql": "SELECT attribution, count(*) AS items FROM digest_items "
               "WHERE attribution IS NOT NULL GROUP BY attribution ORDER BY items DESC LIMIT 50",
    },
    "largest_stories": {
        "title": "Stories told most often, with where they first appeared",
        "sql": "SELECT id, headline, appearances, sources, first_site, first_published_at, "
               "first_url FROM stories WHERE appearances > 1 "
               "ORDER BY appearances DESC, sources DESC, last_published_at DESC LIMIT 100",
    },
    "items_per_month": {
        "title": "News items per month and source",
        "sql": "SELECT substr(day, 1, 7) AS month, source, sum(news_items) AS news_items, "
               "sum(articles) AS articles FROM items_per_day GROUP BY month, source "
               "ORDER BY month DESC, source",
    },
}


def build_metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the archive opened under the name ``database``."""
    tables = {}
    for table, columns in _COLUMNS.items():
        tables[table] = {"description": TABLES[table],
                         "columns": {c: describe_column(c, table) for c in columns},
                         **_TABLE_EXTRAS.get(table, {})}
        if "fts_table" in tables[table]:
            tables[table]["searchmode"] = "raw"
    return {
        "title": "newsarchive: Chinese crypto and AI news",
        "description": "Foresight News digests and 8btc articles archived by newsarchive. "
                       "Times ending in _at are ISO 8601 UTC; *_date and day are Beijing "
                       "calendar days. Search accepts Chinese words of any length.",
        "source": "Foresight News (foresightnews.pro) and 8btc (www.8btc.com)",
        "source_url": "https://foresightnews.pro/",
        "databases": {database: {"tables": tables, "queries": QUERIES}},
    }
