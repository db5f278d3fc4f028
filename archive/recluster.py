"""Re-place every clustered row with the current story rules (`newsarchive recluster`).

Stories are derived data: a member's dedupe keys come from its stored text
(archive.signature.sign, as the dedupe pipeline computes them), its story from
archive.stories. ``recluster`` drops every story, then signs and places every article and
digest item again in the order a crawl stored them (first seen first; of one page, the
digest's items in position order), so a better rule applies to an existing archive and a
second run moves nothing. The caller runs it inside one write transaction: an error
leaves the old stories as they were.

"Changed" compares membership, not story ids (ids are renumbered): an item changed when
the set of items sharing its story is not the same set as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive import stories, story_keys
from archive.signature import sign
from archive.store_dedupe import story_member

Key = tuple[str, int]

# Every clustered row, in the order a crawl stores them. A digest's items are stored with
# their digest (one transaction), so they share its first sighting.
_ORDER = """
SELECT kind, id FROM (
    SELECT 'article' AS kind, a.id, a.first_seen_at, 1 AS page_kind, a.id AS page_id,
           0 AS position FROM articles a
    UNION ALL
    SELECT 'digest_item', i.id, d.first_seen_at, 0, d.id, i.position
    FROM digest_items i JOIN digests d ON d.id = i.digest_id)
ORDER BY first_seen_at IS NULL, first_seen_at, page_kind, page_id, position
"""
_ROW = {
    "article": "SELECT site, canonical_url, title, published_at, text FROM articles "
               "WHERE id = ?",
    "digest_item": "SELECT d.site, d.canonical_url || '#item-' || i.position, i.headline, "
                   "d.published_at, i.text FROM digest_items i "
                   "JOIN digests d ON d.id = i.digest_id WHERE i.id = ?",
}


@dataclass(frozen=True)
class ReclusterResult:
    """How many items were placed, how many changed story, stories before and after."""

    placed: int
    changed: int
    stories_before: int
    stories_after: int

    def summary(self) -> str:
        return (f"recluster: {self.placed} items placed, {self.changed} changed story; "
                f"stories {self.stories_before} -> {self.stories_after}")


def count_rows(db: sqlite_utils.Database) -> int:
    """How many rows ``recluster`` places (for a progress bar)."""
    return sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
               for t in ("articles", "digest_items"))


def recluster(db: sqlite_utils.Database,
              progress: Callable[[int], Any] | None = None) -> ReclusterResult:
    """Drop every story and place every article and digest item again; call inside a
    write transaction. ``progress`` is called with 1 per item placed."""
    before = memberships(db)
    stories_before = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    _clear(db)
    placed = 0
    for kind, row_id in _order(db):
        story_id = stories.place(db, _member(db, kind, row_id))
        table = "articles" if kind == "article" else "digest_items"
        db.execute(f"UPDATE {table} SET story_id = ? WHERE id = ?", [story_id, row_id])
        placed += 1
        if progress is not None:
            progress(1)
    after = memberships(db)
    changed = sum(1 for key in before.keys() | after.keys()
                  if before.get(key) != after.get(key))
    return ReclusterResult(placed, changed, stories_before,
                           db.execute("SELECT count(*) FROM stories").fetchone()[0])


def memberships(db: sqlite_utils.Database) -> dict[Key, frozenset[Key]]:
    """Each member's co-members (its whole story, itself included); one set per story."""
    groups: dict[int, set[Key]] = {}
    for story_id, kind, row_id in db.execute(
            "SELECT story_id, kind, row_id FROM story_members"):
        groups.setdefault(story_id, set()).add((kind, row_id))
    out: dict[Key, frozenset[Key]] = {}
    for members in groups.values():
        frozen = frozenset(members)
        out.update(dict.fromkeys(frozen, frozen))
    return out


def _clear(db: sqlite_utils.Database) -> None:
    for sql in ("DELETE FROM story_keys", "DELETE FROM boilerplate",
                "DELETE FROM story_members",
                "UPDATE articles SET story_id = NULL WHERE story_id IS NOT NULL",
                "UPDATE digest_items SET story_id = NULL WHERE story_id IS NOT NULL",
                "DELETE FROM stories"):
        db.execute(sql)
    story_keys.forget_learned(db)


def _order(db: sqlite_utils.Database) -> list[Key]:
    """(kind, row_id) of every clustered row, in store order (read before any write)."""
    return [(kind, row_id) for kind, row_id in db.execute(_ORDER).fetchall()]


def _member(db: sqlite_utils.Database, kind: str, row_id: int) -> dict[str, Any]:
    site, url, headline, published_at, text = db.execute(_ROW[kind], [row_id]).fetchone()
    sig = sign(text or "", headline)
    keys = {"body": sig.body, "figures": sig.figures, "names": sig.names}
    return story_member(kind, row_id, keys, site, url, headline, published_at)
