"""Read functions over the archive: counts, the newest item, runs, the digest with its parts.

Everything that reads the archive goes through here; the CLI only formats.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlite_utils

CONTENT_TABLES = ("digests", "digest_items", "recommendations", "articles", "digest_links")
ALL_TABLES = ("runs", "captures", *CONTENT_TABLES)


def get_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows per table, in a fixed order."""
    return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in ALL_TABLES}


def get_stats(db: sqlite_utils.Database) -> dict[str, Any]:
    """What `newsarchive stats` shows: counts, failures by kind, newest items, last run."""
    return {
        "tables": get_counts(db),
        "capture_errors": dict(db.execute(
            "SELECT error_kind, count(*) FROM captures WHERE error_kind IS NOT NULL "
            "GROUP BY error_kind ORDER BY count(*) DESC").fetchall()),
        "newest_digest": _newest(db, "digests"),
        "newest_article": _newest(db, "articles"),
        "linked_recommendations": db.execute(
            "SELECT count(*) FROM digest_links WHERE article_id IS NOT NULL").fetchone()[0],
        "last_run": get_last_run(db),
    }


def _newest(db: sqlite_utils.Database, table: str) -> dict[str, Any] | None:
    row = db.execute(
        f"SELECT title, published_at, canonical_url FROM [{table}] "
        "WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT 1").fetchone()
    return dict(zip(("title", "published_at", "url"), row, strict=True)) if row else None


def get_last_run(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The most recent run, its stats decoded; None before the first crawl."""
    rows = list(db["runs"].rows_where(order_by="id desc", limit=1))
    if not rows:
        return None
    run = dict(rows[0])
    run["stats"] = json.loads(run["stats"]) if run["stats"] else {}
    return run


def get_digest(db: sqlite_utils.Database, canonical_url: str) -> dict[str, Any] | None:
    """One digest with its items and its recommendations (each with the linked article id)."""
    rows = list(db["digests"].rows_where("canonical_url = ?", [canonical_url]))
    if not rows:
        return None
    digest = dict(rows[0])
    digest["items"] = list(db["digest_items"].rows_where(
        "digest_id = ?", [digest["id"]], order_by="position"))
    digest["recommendations"] = [dict(r) for r in db.execute_returning_dicts(
        "SELECT r.*, l.article_id FROM recommendations r "
        "LEFT JOIN digest_links l ON l.recommendation_id = r.id "
        "WHERE r.digest_id = ? ORDER BY r.position", [digest["id"]])]
    return digest


def iter_rows(db: sqlite_utils.Database, table: str) -> Iterator[dict[str, Any]]:
    """Stream a table's rows in id order (tables from ALL_TABLES only)."""
    if table not in ALL_TABLES:
        raise ValueError(f"unknown table {table!r}; known: {', '.join(ALL_TABLES)}")
    yield from db[table].rows_where(order_by="id")
