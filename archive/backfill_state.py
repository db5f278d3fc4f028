"""Backfill bookkeeping in the archive: where each (archive, source) walk stands, and which
of an archive's captures are stored already (so a rerun fetches none of them again)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from archive.tx import write_transaction


def get_state(db: sqlite_utils.Database, archive: str, source: str) -> dict[str, Any] | None:
    """The last saved state of a walk, or None."""
    rows = list(db["backfill_state"].rows_where("archive = ? AND source = ?",
                                                [archive, source]))
    return rows[0] if rows else None


def save_state(db: sqlite_utils.Database, state: dict[str, Any]) -> None:
    """Replace the state of ``state["archive"], state["source"]``."""
    with write_transaction(db):
        db["backfill_state"].upsert(state, pk=("archive", "source"))


def get_stored_captures(db: sqlite_utils.Database, via: str) -> set[tuple[str, str]]:
    """(URL, capture time) of the captures from ``via`` that need no new fetch: read, gone,
    or a fact about the archive (``archived_*``); fetch failures are tried again. Captures
    of the same body are one row (its first and last capture times are both known)."""
    rows = db.execute(
        "SELECT url, fetched_at, last_seen_at FROM captures WHERE via = ? AND (error_kind "
        "IS NULL OR error_kind = 'not_found' OR error_kind LIKE 'archived\\_%' ESCAPE '\\')",
        [via])
    return {(url, at) for url, first, last in rows for at in (first, last)}


def get_link_dates(db: sqlite_utils.Database) -> dict[str, str]:
    """Links not archived yet -> the earliest publication date of a digest linking them (an
    archive's capture of the linked page is looked for from then on)."""
    if "digest_links" not in db.table_names():
        return {}
    rows = db.execute(
        "SELECT l.canonical_url, MIN(d.published_at) FROM digest_links l JOIN digests d "
        "ON d.id = l.digest_id WHERE l.article_id IS NULL AND d.published_at IS NOT NULL "
        "GROUP BY l.canonical_url")
    return {url: published for url, published in rows}
