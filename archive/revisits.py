"""A later identical capture seen in an imported archive: the revisited capture's
``last_seen_at`` and ``seen_count`` move, as an identical re-fetch moves them in a crawl.

A WARC ``revisit`` record names the payload it saw again (WARC-Payload-Digest) and,
usually, the capture it repeats (WARC-Refers-To-Target-URI). The capture of that URL
with that payload digest is the one revisited; only a sighting later than the
capture's ``last_seen_at`` counts, so importing the same file twice counts it once.
"""

from __future__ import annotations

from typing import Any

from archive.tx import write_transaction


def record_revisit(db: Any, urls: list[str], digest: str | None, seen_at: str) -> str:
    """Move the revisited capture's last sighting to ``seen_at``; the outcome:
    ``updated``, ``already counted`` or ``not archived`` (no capture to revisit)."""
    row = None
    for url in dict.fromkeys(u for u in urls if u):
        sql = "SELECT id, last_seen_at FROM captures WHERE url = ?"
        params: list[Any] = [url]
        if digest:
            sql += " AND warc_digest = ?"
            params.append(digest)
        row = db.execute(sql + " ORDER BY fetched_at DESC LIMIT 1", params).fetchone()
        if row:
            break
    if row is None:
        return "not archived"
    capture_id, last_seen = row
    if last_seen and last_seen >= seen_at:
        return "already counted"
    with write_transaction(db):
        db.execute("UPDATE captures SET last_seen_at = ?, seen_count = seen_count + 1 "
                   "WHERE id = ?", [seen_at, capture_id])
        for table in ("articles", "digests"):
            db.execute(f"UPDATE {table} SET last_seen_at = max(last_seen_at, ?) "  # noqa: S608
                       "WHERE capture_id = ?", [seen_at, capture_id])
    return "updated"
