"""The archive's schema as migrations: one named function per change.

A released migration is never edited; a change is a new function appended to
MIGRATIONS. ``_migrations`` records which ones ran, so opening an old archive
brings it up to date and opening a current one does nothing.
The README documents every table and column.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from archive.tx import write_transaction


def m001_initial(db: sqlite_utils.Database) -> None:
    """runs, captures, digests and their parts, articles, digest->article links."""
    db["runs"].create({
        "id": int, "started_at": str, "finished_at": str, "status": str,
        "spiders": str, "target": str, "requests": int, "captures": int,
        "errors": int, "stats": str,
    }, pk="id", not_null={"started_at", "status"})
    db["captures"].create({
        "id": int, "run_id": int, "last_run_id": int, "url": str, "final_url": str,
        "site": str, "status": int, "fetched_at": str, "last_seen_at": str,
        "seen_count": int, "content_type": str, "body_sha256": str, "body_length": int,
        "page_kind": str, "error_kind": str, "error": str,
    }, pk="id", not_null={"url", "final_url", "fetched_at", "last_seen_at"},
        defaults={"seen_count": 1},
        foreign_keys=[("run_id", "runs", "id"), ("last_run_id", "runs", "id")])
    # One row per distinct outcome of fetching a URL: an identical re-fetch only
    # bumps last_seen_at / seen_count. NULLs are folded so they compare equal.
    db.execute(
        "CREATE UNIQUE INDEX captures_identity ON captures("
        "url, ifnull(status, -1), ifnull(body_sha256, ''), ifnull(error_kind, ''))"
    )
    _create_content_tables(db)


def _create_content_tables(db: sqlite_utils.Database) -> None:
    common = {"capture_id": int, "first_seen_at": str, "last_seen_at": str,
              "content_sha256": str}
    db["digests"].create({
        "id": int, "canonical_url": str, "url": str, "site": str, "title": str,
        "published_raw": str, "published_at": str, "summary": str, **common,
    }, pk="id", not_null={"canonical_url", "url", "site", "title"},
        foreign_keys=[("capture_id", "captures", "id")])
    db["digests"].create_index(["canonical_url"], unique=True)
    db["digest_items"].create({
        "id": int, "digest_id": int, "position": int, "headline": str,
        "event_date": str, "event_date_raw": str, "text": str, "attribution": str,
    }, pk="id", not_null={"digest_id", "position", "headline", "text"},
        foreign_keys=[("digest_id", "digests", "id")])
    db["digest_items"].create_index(["digest_id", "position"], unique=True)
    db["recommendations"].create({
        "id": int, "digest_id": int, "position": int, "title": str, "blurb": str,
        "url": str, "canonical_url": str,
    }, pk="id", not_null={"digest_id", "position", "title"},
        foreign_keys=[("digest_id", "digests", "id")])
    db["recommendations"].create_index(["digest_id", "position"], unique=True)
    db["articles"].create({
        "id": int, "canonical_url": str, "url": str, "site": str, "site_id": str,
        "title": str, "author": str, "published_raw": str, "published_at": str,
        "summary": str, "text": str, "tags": str, "images": str, **common,
    }, pk="id", not_null={"canonical_url", "url", "site", "title", "text"},
        foreign_keys=[("capture_id", "captures", "id")])
    db["articles"].create_index(["canonical_url"], unique=True)
    db["articles"].create_index(["published_at"])
    db["digest_links"].create({
        "id": int, "digest_id": int, "recommendation_id": int, "canonical_url": str,
        "article_id": int,
    }, pk="id", not_null={"digest_id", "canonical_url"},
        foreign_keys=[("digest_id", "digests", "id"),
                      ("recommendation_id", "recommendations", "id"),
                      ("article_id", "articles", "id")])
    db["digest_links"].create_index(["digest_id", "canonical_url"], unique=True)
    db["digest_links"].create_index(["canonical_url"])


def m003_warc(db: sqlite_utils.Database) -> None:
    """Captures point at their WARC record; parsed rows name the parser version."""
    for column in ("warc_file", "warc_digest", "warc_type"):
        db["captures"].add_column(column, str)
    for column in ("warc_offset", "warc_length"):
        db["captures"].add_column(column, int)
    db["captures"].create_index(["warc_digest"])
    for table in ("digests", "articles"):
        db[table].add_column("parser_version", str)


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (m001_initial, m003_warc)


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this archive has not seen, in one write transaction.

    Two processes opening a new archive at once cannot both migrate it: the
    second waits for the write lock, then finds every step recorded.
    """
    applied = []
    with write_transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS _migrations "
                   "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
        for step in MIGRATIONS:
            if step.__name__ not in done:
                step(db)
                db["_migrations"].insert({"name": step.__name__, "applied_at": _now()})
                applied.append(step.__name__)
    return applied


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
