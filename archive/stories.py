"""Near-duplicate story clusters: stored MinHash signatures and a stored LSH index.

Every clustered row (an article, a digest item) is a *member* of one story. Placing a
member looks up its LSH band keys in ``story_bands`` (one B-tree probe per band, so the
cost does not grow with the archive and nothing has to be rebuilt after a restart),
verifies each candidate with the estimated Jaccard similarity of the stored signatures
and with the figures both leads state, and joins the most similar candidate's story, or
opens a new one. ``stories`` keeps each story's first appearance (earliest publication),
its number of appearances and of sources, and the first reporter's headline.

Callers run these functions inside their own write transaction (archive.store does, so
a row and its story membership commit together).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils

from archive.signature import NUM_PERM, agree, compare, lead_jaccards, similarity

BANDS = 16
ROWS = NUM_PERM // BANDS
"""16 bands of 4 rows: a pair with Jaccard s becomes a candidate with probability
1-(1-s^4)^16 (0.63 at s=0.4, 0.98 at s=0.6); see docs/benchmarks.md."""
THRESHOLD = 0.9
"""Estimated Jaccard similarity of leads at or above which two rows are one story
(chosen from the precision/recall curve in docs/benchmarks.md)."""
MAX_CANDIDATES = 200
"""Candidates verified per placement, most band hits first: a bound on the cost when
some band key is shared by very many rows (boilerplate the normaliser missed)."""

_MEMBER_COLUMNS = ("kind", "row_id", "site", "url", "headline", "published_at", "minhash",
                   "truncated", "lead")
# Plain statements in the placement path: sqlite-utils' insert()/update() bookkeeping
# (table introspection, value conversion) cost more than the SQL itself in a crawl.
_INSERT_MEMBER = (f"INSERT INTO story_members ({', '.join(_MEMBER_COLUMNS)}, story_id, numbers) "
                  f"VALUES ({', '.join(':' + c for c in _MEMBER_COLUMNS)}, :story_id, :numbers)")


def band_keys(minhash: bytes) -> list[int]:
    """The signed 64-bit key of each LSH band of a stored signature."""
    width = ROWS * 4
    return [int.from_bytes(hashlib.blake2b(bytes([b]) + minhash[b * width:(b + 1) * width],
                                           digest_size=8).digest(), "little", signed=True)
            for b in range(BANDS)]


def same_figures(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two leads state the same figures, as far as both go.

    A lead cut by the window may end in a cut number, so its last figure does not count.
    Leads that differ in a figure they both state (a price, an amount, a date) are
    different stories, however many shingles they share.
    """
    na, nb = _figures(a), _figures(b)
    n = min(len(na), len(nb))
    return na[:n] == nb[:n]


def _figures(member: Mapping[str, Any]) -> list[str]:
    numbers = member["numbers"]
    figures = list(json.loads(numbers) if isinstance(numbers, str) else numbers)
    return figures[:-1] if member["truncated"] and figures else figures


def find_story(db: sqlite_utils.Database, member: Mapping[str, Any],
               threshold: float = THRESHOLD) -> int | None:
    """The story of the most alike stored candidate (``score`` at least ``threshold``)."""
    rows = _candidates(db, member)
    if not member.get("lead"):  # a member from before leads were kept
        return _best_by_signature(member, rows, threshold)
    values = [None if lead else score(member, _as_member(row))
              for row in rows for lead in (row[4],)]
    with_lead = [i for i, v in enumerate(values) if v is None]
    found = lead_jaccards(member["lead"], [rows[i][4] for i in with_lead])
    for i, value in zip(with_lead, found, strict=True):
        values[i] = value
    # Best first; of equal scores the later candidate, as a scan keeping `>=` would pick.
    for i in sorted(range(len(rows)), key=lambda i: (values[i], i), reverse=True):
        if values[i] < threshold:
            break
        _, _, _, truncated, lead, _ = rows[i]
        if not lead or agree(member["lead"], lead, bool(member["truncated"]), bool(truncated)):
            return rows[i][0]
    return None


def _candidates(db: sqlite_utils.Database, member: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """(story_id, minhash, numbers, truncated, lead, hits) of the stored members sharing
    band keys with ``member``, most hits first, at most MAX_CANDIDATES."""
    keys = band_keys(member["minhash"])
    marks = ",".join("?" * len(keys))
    # Counted in the band index alone (covering), joined to the members only for the
    # candidates kept: joining first read a member row per band hit (3x slower).
    return db.execute(
        f"SELECT m.story_id, m.minhash, m.numbers, m.truncated, m.lead, c.hits FROM "
        f"(SELECT kind, row_id, count(*) AS hits FROM story_bands "
        f"WHERE band_key IN ({marks}) AND NOT (kind = ? AND row_id = ?) "
        f"GROUP BY kind, row_id ORDER BY hits DESC LIMIT {MAX_CANDIDATES}) AS c "
        f"JOIN story_members m ON m.kind = c.kind AND m.row_id = c.row_id "
        f"ORDER BY c.hits DESC",
        [*keys, member["kind"], member["row_id"]]).fetchall()


def _as_member(row: tuple[Any, ...]) -> dict[str, Any]:
    _, minhash, numbers, truncated, lead, _ = row
    return {"minhash": minhash, "numbers": numbers, "truncated": truncated, "lead": lead}


def _best_by_signature(member: Mapping[str, Any], rows: list[tuple[Any, ...]],
                       threshold: float) -> int | None:
    best, best_story = threshold, None
    for row in rows:
        value = score(member, _as_member(row), floor=best)
        if value >= best:
            best, best_story = value, row[0]
    return best_story


def score(a: Mapping[str, Any], b: Mapping[str, Any], floor: float = 0.0) -> float:
    """How alike two members are as one story (0.0: a figure or a name differs).

    Members with stored leads are compared on their text (archive.signature.compare);
    members stored before leads were kept fall back to the estimated Jaccard similarity
    of their signatures and the figures check. A lead score under ``floor`` may be
    given as 0.0 (see ``compare``).
    """
    if a.get("lead") and b.get("lead"):
        return compare(a["lead"], b["lead"], bool(a["truncated"]), bool(b["truncated"]),
                       floor)
    if not same_figures(a, b):
        return 0.0
    return similarity(a["minhash"], b["minhash"])


def place(db: sqlite_utils.Database, member: Mapping[str, Any],
          threshold: float = THRESHOLD) -> int:
    """Store one member (kind, row_id, site, url, headline, published_at, minhash,
    numbers, truncated, lead) in its story, opening one if none matches; returns the story id."""
    forget(db, member["kind"], [member["row_id"]])
    story_id = find_story(db, member, threshold)
    if story_id is None:
        story_id = db.execute("INSERT INTO stories (appearances, sources) VALUES (0, 0)"
                              ).lastrowid
    row = {k: member.get(k) for k in _MEMBER_COLUMNS}
    row.update(story_id=story_id, numbers=json.dumps(list(member["numbers"])))
    db.execute(_INSERT_MEMBER, row)
    db.conn.executemany(
        "INSERT OR IGNORE INTO story_bands (band_key, kind, row_id) VALUES (?, ?, ?)",
        [(k, member["kind"], member["row_id"]) for k in band_keys(member["minhash"])])
    refresh(db, story_id)
    return story_id


def forget(db: sqlite_utils.Database, kind: str, row_ids: Iterable[int]) -> None:
    """Remove members (rows being replaced) and update, or drop, the stories they were in."""
    for row_id in row_ids:
        found = db.execute("SELECT story_id FROM story_members WHERE kind = ? AND row_id = ?",
                           [kind, row_id]).fetchone()
        if found is None:
            continue
        db.execute("DELETE FROM story_bands WHERE kind = ? AND row_id = ? AND band_key IN "
                   "(SELECT value FROM json_each(?))",
                   [kind, row_id, json.dumps(_stored_keys(db, kind, row_id))])
        db.execute("DELETE FROM story_members WHERE kind = ? AND row_id = ?", [kind, row_id])
        refresh(db, found[0])


def _stored_keys(db: sqlite_utils.Database, kind: str, row_id: int) -> list[int]:
    minhash = db.execute("SELECT minhash FROM story_members WHERE kind = ? AND row_id = ?",
                         [kind, row_id]).fetchone()[0]
    return band_keys(minhash)


def refresh(db: sqlite_utils.Database, story_id: int) -> None:
    """Recompute a story's first appearance and counts from its members; drop it if empty."""
    count, sources, last = db.execute(
        "SELECT count(*), count(DISTINCT site), max(published_at) FROM story_members "
        "WHERE story_id = ?", [story_id]).fetchone()
    if count == 0:
        db.execute("UPDATE articles SET story_id = NULL WHERE story_id = ?", [story_id])
        db.execute("UPDATE digest_items SET story_id = NULL WHERE story_id = ?", [story_id])
        db.execute("DELETE FROM stories WHERE id = ?", [story_id])
        return
    first = db.execute(
        "SELECT kind, row_id, site, url, headline, published_at FROM story_members "
        "WHERE story_id = ? ORDER BY published_at IS NULL, published_at, kind, row_id "
        "LIMIT 1", [story_id]).fetchone()
    db.execute("UPDATE stories SET first_kind = ?, first_row_id = ?, first_site = ?, "
               "first_url = ?, headline = ?, first_published_at = ?, appearances = ?, "
               "sources = ?, last_published_at = ? WHERE id = ?",
               [*first, count, sources, last, story_id])
