"""Chinese full-text search: the FTS5 index over news items and articles, and queries on it.

Two FTS5 tables hold the *index form* (archive.searchform) of the searchable columns,
one row per source row with the same rowid, so Datasette can search each table:

- ``digest_items_fts(headline, text)``, rowid = digest_items.id
- ``articles_fts(title, summary, text)``, rowid = articles.id

The store layer calls :func:`index_digest` / :func:`index_article` after each write
(the search form needs OpenCC, which SQL triggers cannot call); triggers created by
migration m006_search drop a source row's index row when it is deleted, whoever deletes
it. :func:`rebuild` recomputes the whole index (``newsarchive reindex``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlite_utils

from archive.searchform import to_display, to_index_form, to_match_query

FTS_COLUMNS = {
    "digest_items": ("headline", "text"),
    "articles": ("title", "summary", "text"),
}
TOKENIZE = "unicode61 remove_diacritics 2"
# bm25 weights per column: a hit in a headline or title counts more than one in a body.
_WEIGHTS = {"digest_items": "5.0, 1.0", "articles": "5.0, 2.0, 1.0"}
SOURCES = ("foresight", "8btc")


def create_index(db: sqlite_utils.Database) -> None:
    """The FTS5 tables and the delete triggers (called by migration m006_search)."""
    for table, columns in FTS_COLUMNS.items():
        db.execute(f"CREATE VIRTUAL TABLE [{table}_fts] USING fts5("
                   f"{', '.join(columns)}, tokenize='{TOKENIZE}')")
        db.execute(f"CREATE TRIGGER [{table}_fts_delete] AFTER DELETE ON [{table}] BEGIN "
                   f"DELETE FROM [{table}_fts] WHERE rowid = old.id; END")


def _index_rows(db: sqlite_utils.Database, table: str, where: str, params: list[Any]) -> int:
    columns = FTS_COLUMNS[table]
    rows = db.execute(f"SELECT id, {', '.join(columns)} FROM [{table}] WHERE {where}", params)
    fts = f"[{table}_fts]"
    marks = ", ".join("?" for _ in columns)
    count = 0
    for row in rows.fetchall():
        db.execute(f"DELETE FROM {fts} WHERE rowid = ?", [row[0]])
        db.execute(f"INSERT INTO {fts} (rowid, {', '.join(columns)}) VALUES (?, {marks})",
                   [row[0], *(to_index_form(v) for v in row[1:])])
        count += 1
    return count


def index_digest(db: sqlite_utils.Database, digest_id: int) -> int:
    """(Re)index the news items of one digest; returns how many. Call inside the write."""
    return _index_rows(db, "digest_items", "digest_id = ?", [digest_id])


def index_article(db: sqlite_utils.Database, article_id: int) -> int:
    """(Re)index one article. Call inside the write that changed it."""
    return _index_rows(db, "articles", "id = ?", [article_id])


def rebuild(db: sqlite_utils.Database, batch: int = 2000) -> dict[str, int]:
    """Empty and refill the whole index from the source tables; rows indexed per table."""
    counts = {}
    for table in FTS_COLUMNS:
        db.execute(f"DELETE FROM [{table}_fts]")
        counts[table] = 0
        last = 0
        while True:
            ids = [r[0] for r in db.execute(
                f"SELECT id FROM [{table}] WHERE id > ? ORDER BY id LIMIT ?", [last, batch])]
            if not ids:
                break
            counts[table] += _index_rows(db, table, "id BETWEEN ? AND ?", [ids[0], ids[-1]])
            last = ids[-1]
    return counts


_ITEMS_SQL = """
SELECT 'digest_item' AS kind, i.id AS id, d.site AS source, d.published_at AS published_at,
    i.headline AS title, snippet(digest_items_fts, -1, :open, :close, '…', :words) AS snippet,
    bm25(digest_items_fts, {w}) AS rank, d.canonical_url AS url
FROM digest_items_fts JOIN digest_items i ON i.id = digest_items_fts.rowid
JOIN digests d ON d.id = i.digest_id
WHERE digest_items_fts MATCH :match {filters}
"""
_ARTICLES_SQL = """
SELECT 'article', a.id, a.site, a.published_at, a.title,
    snippet(articles_fts, -1, :open, :close, '…', :words), bm25(articles_fts, {w}),
    a.canonical_url
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH :match {filters}
"""


def iter_search(db: sqlite_utils.Database, query: str, *, since: str | None = None,
                source: str | None = None, limit: int = 20, marks: tuple[str, str] = ("[", "]"),
                ) -> Iterator[dict[str, Any]]:
    """News items and articles matching ``query``, best first (bm25), with snippets.

    ``since`` is an ISO date or time (compared with published_at, UTC), ``source`` a
    site. Raises archive.searchform.QueryError for a query with nothing to search.
    """
    if source is not None and source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
    params = {"match": to_match_query(query), "open": marks[0], "close": marks[1],
              "words": 24, "since": since, "source": source, "limit": limit}
    sql = " UNION ALL ".join([
        _ITEMS_SQL.format(w=_WEIGHTS["digest_items"], filters=_filters("d", since, source)),
        _ARTICLES_SQL.format(w=_WEIGHTS["articles"], filters=_filters("a", since, source)),
    ]) + " ORDER BY rank LIMIT :limit"
    for row in db.execute_returning_dicts(sql, params):
        row["snippet"] = to_display(row["snippet"])
        yield row


def _filters(alias: str, since: str | None, source: str | None) -> str:
    out = ""
    if since is not None:
        out += f" AND {alias}.published_at >= :since"
    if source is not None:
        out += f" AND {alias}.site = :source"
    return out
