"""What an incremental run needs to know from the archive, and what it leaves for the next.

Reads: the canonical URLs already archived (a digest, an article, or a page the site
says is gone), the recommended links still unresolved (the frontier a killed or
budget-stopped run leaves), the recent pages to re-check with their HTTP validators,
and each listing's high-water mark. Writes: the marks of listings whose walk
completed, and validators. Every write is its own short transaction, so a run killed
at any moment leaves a consistent state: a mark only moves after a complete walk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

import sqlite_utils

from archive.tx import write_transaction


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def get_known_urls(db: sqlite_utils.Database) -> set[str]:
    """Canonical URLs that need no fetch: archived digests and articles, and gone pages."""
    rows = db.execute(
        "SELECT canonical_url FROM digests UNION SELECT canonical_url FROM articles "
        "UNION SELECT url FROM captures WHERE error_kind = 'not_found'")
    return {row[0] for row in rows}


def get_pending_links(db: sqlite_utils.Database) -> list[str]:
    """Recommended links not yet archived nor known to be gone: the link frontier."""
    rows = db.execute(
        "SELECT DISTINCT canonical_url FROM digest_links WHERE article_id IS NULL "
        "AND canonical_url NOT IN (SELECT url FROM captures WHERE error_kind = 'not_found') "
        "ORDER BY canonical_url")
    return [row[0] for row in rows]


def get_recheck(db: sqlite_utils.Database, now: datetime,
                hours: float) -> dict[str, tuple[str | None, str | None]]:
    """Pages published within ``hours`` before ``now``: url -> (etag, last_modified)."""
    if hours <= 0:
        return {}
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    try:
        edge = _iso(max(now - timedelta(hours=hours), epoch))
    except OverflowError:
        edge = _iso(epoch)
    rows = db.execute(
        "SELECT p.canonical_url, v.etag, v.last_modified FROM "
        "(SELECT canonical_url, published_at FROM digests UNION ALL "
        " SELECT canonical_url, published_at FROM articles) p "
        "LEFT JOIN page_validators v ON v.url = p.canonical_url "
        "WHERE p.published_at >= ?", [edge])
    return {url: (etag, modified) for url, etag, modified in rows}


def get_marks(db: sqlite_utils.Database) -> dict[str, str | None]:
    """listing -> high-water mark (ISO UTC) of its last complete walk."""
    return {row["listing"]: row["high_water_at"] for row in db["listing_marks"].rows}


def save_marks(db: sqlite_utils.Database, marks: Mapping[str, tuple[str, str | None]],
               run_id: int, now: datetime) -> None:
    """Record complete walks: listing -> (source, newest entry seen); never moves back."""
    with write_transaction(db):
        old = get_marks(db)
        for listing, (source, newest) in marks.items():
            mark = max(filter(None, (old.get(listing), newest)), default=None)
            db["listing_marks"].upsert({"listing": listing, "source": source,
                                        "high_water_at": mark, "run_id": run_id,
                                        "updated_at": _iso(now)}, pk="listing")


def save_validators(db: sqlite_utils.Database,
                    rows: Iterable[tuple[str, str | None, str | None]], now: datetime) -> None:
    """Remember (url, etag, last_modified) of fetched pages for later conditional requests."""
    # A plain upsert: sqlite-utils' upsert_all() bookkeeping cost 1.3 ms per crawled page.
    with write_transaction(db):
        db.conn.executemany(
            "INSERT INTO page_validators (url, etag, last_modified, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, updated_at = excluded.updated_at",
            [(url, etag, modified, _iso(now)) for url, etag, modified in rows])
