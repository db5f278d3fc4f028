"""Chinese full-text search: the FTS5 index over news items and articles, and queries on it.

Two FTS5 tables hold the *index form* (archive.searchform) of the searchable columns,
one row per source row with the same rowid, so Datasette can search each table:

- ``digest_items_fts(headline, text)``, rowid = digest_items.id
- ``articles_fts(title, summary, text)``, rowid = articles.id

The store layer calls :func:`index_digest` / :func:`index_article` after each write
(the search form needs OpenCC, which SQL triggers cannot call), or, on a connection that
batches pages (:func:`defer_index`), before each commit (:func:`flush_index`); triggers
created by migration m006_search drop a source row's index row when it is deleted,
whoever deletes it. :func:`rebuild` recomputes the whole index (``newsarchive reindex``).
"""

from __future__ import annotations

import heapq
import json
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import sqlite_utils

from archive import search_rank
from archive.searchform import Phrase, to_display, to_index_form, to_phrases

FTS_COLUMNS = {
    "digest_items": ("headline", "text"),
    "articles": ("title", "summary", "text"),
}
TOKENIZE = "unicode61 remove_diacritics 2"
# bm25 weights per column: a hit in a headline or title counts more than one in a body.
_WEIGHTS = {"digest_items": (5.0, 1.0), "articles": (5.0, 2.0, 1.0)}
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
    """(Re)index the news items of one digest; returns how many (0 when deferred).
    Call inside the write."""
    if db in _deferred:
        _deferred[db][("digest_items", "digest_id = ?", digest_id)] = None
        return 0
    return _index_rows(db, "digest_items", "digest_id = ?", [digest_id])


def index_article(db: sqlite_utils.Database, article_id: int) -> int:
    """(Re)index one article (0 when deferred, else 1). Call inside the write that changed it."""
    if db in _deferred:
        _deferred[db][("articles", "id = ?", article_id)] = None
        return 0
    return _index_rows(db, "articles", "id = ?", [article_id])


_deferred: weakref.WeakKeyDictionary[sqlite_utils.Database, dict[tuple[str, str, int], None]]
_deferred = weakref.WeakKeyDictionary()
"""Connections that index at ``flush_index``: the rows to index, in order, each once."""


def defer_index(db: sqlite_utils.Database) -> None:
    """Index on this connection when ``flush_index`` is called, not at each write.

    For a writer that commits several pages per transaction (pipelines.batch): FTS5
    writes its pending terms as a new segment at every savepoint, so indexing each page
    as it is written cost a segment, and later merges, per page. Indexing the pages of a
    transaction together before it commits gives the same index (each row is read back
    and indexed as the transaction leaves it) for about a third less CPU. Nothing reads
    the index of a transaction that has not committed."""
    _deferred.setdefault(db, {})


def flush_index(db: sqlite_utils.Database) -> int:
    """Index every row written since the last flush (call inside the transaction, before
    COMMIT); returns how many rows were indexed."""
    pending = _deferred.get(db)
    if not pending:
        return 0
    count = sum(_index_rows(db, table, where, [key]) for table, where, key in pending)
    pending.clear()
    return count


def drop_deferred(db: sqlite_utils.Database, *, stop: bool = False) -> None:
    """Forget the rows waiting to be indexed (their transaction was rolled back);
    ``stop`` also ends deferring on this connection."""
    if stop:
        _deferred.pop(db, None)
    elif db in _deferred:
        _deferred[db].clear()


def rebuild(db: sqlite_utils.Database, batch: int = 2000,
            progress: Callable[[int], object] | None = None) -> dict[str, int]:
    """Empty and refill the whole index from the source tables; rows indexed per table.
    ``progress`` is called with the number of rows read after each batch."""
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
            if progress:
                progress(len(ids))
    return counts


RANK_WINDOW = 1000
"""A word with more hits than this in a table has only its newest RANK_WINDOW hits there
(by rowid: the order the archive stored them) ranked by bm25, so a search costs the
same for a word in 1% or in 20% of a million rows. ``rank_window=None`` ranks all."""
# The window: its hits newest first, straight from the index (FTS5 walks rowids in
# either order and stops at the LIMIT), with what bm25 needs of each (archive.search_rank):
# the index-form text FTS5 tokenised (its _content row) and the row's size (_docsize).
_WINDOW_SQL = ("SELECT {t}_fts.rowid, {cols}, s.sz FROM {t}_fts "
               "JOIN {t}_fts_content c ON c.id = {t}_fts.rowid "
               "JOIN {t}_fts_docsize s ON s.id = {t}_fts.rowid {join} "
               "WHERE {t}_fts MATCH :match {filters} ORDER BY {t}_fts.rowid DESC LIMIT :window")
# --rank-all: FTS5's own bm25() over every hit, cut with LIMIT on the index alone.
_RANK_SQL = ("SELECT {t}_fts.rowid, bm25({t}_fts, {w}) AS rank FROM {t}_fts {join} "
             "WHERE {t}_fts MATCH :match {filters} ORDER BY rank LIMIT :limit")
_JOINS = {"digest_items": ("d", "JOIN digest_items i ON i.id = digest_items_fts.rowid "
                                "JOIN digests d ON d.id = i.digest_id"),
          "articles": ("a", "JOIN articles a ON a.id = articles_fts.rowid")}
_ROW_SQL = {
    "digest_items": """
SELECT 'digest_item' AS kind, i.id AS id, d.site AS source, d.published_at AS published_at,
    i.headline AS title, snippet(digest_items_fts, -1, :open, :close, '…', :words) AS snippet,
    d.canonical_url AS url
FROM digest_items_fts JOIN digest_items i ON i.id = digest_items_fts.rowid
JOIN digests d ON d.id = i.digest_id
WHERE digest_items_fts MATCH :match AND digest_items_fts.rowid BETWEEN :lo AND :hi
    AND +digest_items_fts.rowid IN (SELECT value FROM json_each(:ids))""",
    "articles": """
SELECT 'article' AS kind, a.id AS id, a.site AS source, a.published_at AS published_at,
    a.title AS title, snippet(articles_fts, -1, :open, :close, '…', :words) AS snippet,
    a.canonical_url AS url
FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
WHERE articles_fts MATCH :match AND articles_fts.rowid BETWEEN :lo AND :hi
    AND +articles_fts.rowid IN (SELECT value FROM json_each(:ids))""",
}
# FTS5 answers ``MATCH AND rowid = ?`` by walking the hits up to that rowid, about as
# slow as the whole query: the returned rows are read in one walk of the hits between
# the lowest and highest of them (the ``+`` keeps the IN from being offered to FTS5),
# and only they get a snippet.


def iter_search(db: sqlite_utils.Database, query: str, *, since: str | None = None,
                until: str | None = None, source: str | None = None, limit: int = 20,
                marks: tuple[str, str] = ("[", "]"),
                rank_window: int | None = RANK_WINDOW) -> Iterator[dict[str, Any]]:
    """News items and articles matching ``query``, best first (bm25), with snippets.

    ``since`` and ``until`` are ISO dates or times (compared with published_at, UTC;
    ``until`` excluded), ``source`` a site. Raises archive.searchform.QueryError for a
    query with nothing to search.
    Each table's hits are ranked among its newest ``max(rank_window, limit)`` hits
    (archive.search_rank), or all of them by FTS5's bm25() when ``rank_window`` is None;
    only the rows returned are joined and get a snippet.
    """
    if source is not None and source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(SOURCES)}")
    phrases = to_phrases(query)
    params = {"match": " AND ".join(p.match for p in phrases), "since": since,
              "until": until, "source": source, "limit": limit}
    ranked = []
    for table in FTS_COLUMNS:
        ranked += [(rank, table, rowid)
                   for rank, rowid in _rank(db, table, phrases, params, rank_window)]
    best = heapq.nsmallest(limit, ranked)
    rows = _read_rows(db, best, params["match"], marks)
    for rank, table, rowid in best:
        row = rows[(table, rowid)]
        row["snippet"] = to_display(row["snippet"])
        row["rank"] = rank
        yield row


def _rank(db: sqlite_utils.Database, table: str, phrases: list[Phrase],
          params: dict[str, Any], rank_window: int | None) -> list[tuple[float, int]]:
    """(rank, rowid) of the table's best hits: at most ``limit`` of them, or the window's."""
    if rank_window is None:
        return [(rank, rowid) for rowid, rank in
                db.execute(_sql(_RANK_SQL, table, params), params)]
    window = max(rank_window, params["limit"])
    hits = db.execute(_sql(_WINDOW_SQL, table, params),
                      {**params, "window": window}).fetchall()
    return search_rank.score_window(
        db, f"{table}_fts", _WEIGHTS[table], phrases, hits, window=window,
        only_phrase_walked=len(phrases) == 1 and not _filters("x", params))


def _read_rows(db: sqlite_utils.Database, best: list[tuple[float, str, int]], match: str,
               marks: tuple[str, str]) -> dict[tuple[str, int], dict[str, Any]]:
    """The returned rows with their snippets, one query per table."""
    rows = {}
    for table in FTS_COLUMNS:
        ids = [rowid for _, t, rowid in best if t == table]
        if ids:
            rows.update(((table, r["id"]), r) for r in db.execute_returning_dicts(
                _ROW_SQL[table], {"match": match, "lo": min(ids), "hi": max(ids),
                                  "ids": json.dumps(ids), "open": marks[0],
                                  "close": marks[1], "words": 24}))
    return rows


def _sql(template: str, table: str, params: dict[str, Any]) -> str:
    alias, join = _JOINS[table]
    filters = _filters(alias, params)
    columns = ", ".join(f"c.c{i}" for i in range(len(FTS_COLUMNS[table])))
    return template.format(t=table, w=", ".join(map(str, _WEIGHTS[table])),
                           join=join if filters else "", filters=filters, cols=columns)


def _filters(alias: str, params: dict[str, Any]) -> str:
    out = ""
    if params["since"] is not None:
        out += f" AND {alias}.published_at >= :since"
    if params["until"] is not None:
        out += f" AND {alias}.published_at < :until"
    if params["source"] is not None:
        out += f" AND {alias}.site = :source"
    return out
