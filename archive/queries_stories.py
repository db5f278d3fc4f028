"""Read functions for dedupe: resolve a URL spelling, list stories with their appearances.

Kept beside archive.queries (same rules: reads only, generators and plain dicts) so the
dedupe reads do not grow that module.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils


def resolve_url(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    """The stored page (``{"table", "id", "canonical_url"}``) a URL spelling stands for."""
    found = db.execute("SELECT canonical_url FROM url_aliases WHERE url = ?", [url]).fetchone()
    canonical = found[0] if found else url
    for table in ("articles", "digests"):
        row = db.execute(f"SELECT id FROM [{table}] WHERE canonical_url = ?",
                         [canonical]).fetchone()
        if row:
            return {"table": table, "id": row[0], "canonical_url": canonical}
    return None


def get_stories(db: sqlite_utils.Database, since: str | None = None,
                limit: int = 20) -> list[dict[str, Any]]:
    """The largest stories last seen at or after ``since`` (ISO), each with its appearances
    in order of publication (first reporter first)."""
    rows = db.execute_returning_dicts(
        "SELECT id, headline, appearances, sources, first_published_at, first_site, "
        "first_url, last_published_at FROM stories "
        "WHERE (? IS NULL OR last_published_at >= ?) "
        "ORDER BY appearances DESC, sources DESC, last_published_at DESC, id LIMIT ?",
        [since, since, limit])
    for story in rows:
        story["members"] = db.execute_returning_dicts(
            "SELECT published_at, site, kind, url, headline FROM story_appearances "
            "WHERE story_id = ? ORDER BY rank", [story["id"]])
    return rows
