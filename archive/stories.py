"""Story clusters: every clustered row (an article, a digest item) is a member of one story.

Placing a member (``place``):

1. Its content is its units (archive.signature) less the units its site is known to
   repeat (learned boilerplate, archive.story_keys); its lead is the first of the rest.
2. The index is read for its keys (content units, lead bands, figures); keys that its
   arrival makes common enough are retired (learned), and the content is taken again.
3. The candidates that share keys with it, most shared keys first (at most
   ``MAX_CANDIDATES``), are scored pair by pair (archive.story_match: lead, body or
   facts), and it joins the best one's story, or opens a new story.

``stories`` keeps each story's first appearance (earliest publication), its number of
appearances and of sources, and the first reporter's headline. Callers run these
functions inside their own write transaction (archive.store does, so a row and its story
membership commit together). How stories are decided, and why: docs/stories.md.
"""

from __future__ import annotations

import functools
import heapq
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import sqlite_utils

from archive import story_keys
from archive.facts import subject
from archive.signature import lead_minhash, lead_of
from archive.story_keys import MIN_UNIT, band_keys, fact_key, unit_key
from archive.story_match import Side, decide

_BEIJING = timezone(timedelta(hours=8))
MAX_CANDIDATES = 20
"""Candidates scored per placement, most shared keys first."""

_MEMBER_COLUMNS = ("kind", "row_id", "site", "url", "headline", "published_at", "body",
                   "facts", "dup")
_INSERT_MEMBER = (
    f"INSERT INTO story_members ({', '.join(_MEMBER_COLUMNS)}, story_id, minhash, numbers, "
    f"truncated, lead, keys, units) VALUES ({', '.join(':' + c for c in _MEMBER_COLUMNS)}, "
    f":story_id, :minhash, '[]', :truncated, :lead, :keys, :units)")


@functools.lru_cache(maxsize=65536)
def _keyed_units(body: str, stored: bytes | None = None) -> tuple[tuple[str, int | None], ...]:
    """Each unit of a body with its key (None: too short to be filed), from the member's
    stored ``units`` when given (hashing every candidate's units was a tenth of a
    placement)."""
    units = body.split("\n")
    if stored is not None and len(stored) == 8 * len(units):
        return tuple((u, k or None) for u, k in zip(units, np.frombuffer(stored, "<i8").tolist(),
                                                    strict=True))
    return tuple((u, unit_key(u) if len(u) >= MIN_UNIT else None) for u in units)


def unit_blob(body: str) -> bytes:
    """``story_members.units``: the key of each unit of a body (0: not filed)."""
    return np.array([k or 0 for _, k in _keyed_units(body)], dtype="<i8").tobytes()


@functools.lru_cache(maxsize=65536)
def _when(published_at: str | None) -> datetime | None:
    """A stored publication time; one without a zone is read as Beijing time."""
    try:
        when = datetime.fromisoformat(published_at) if published_at else None
    except ValueError:
        return None
    return when.replace(tzinfo=_BEIJING) if when and when.tzinfo is None else when


def side(body: str, retired: Mapping[int, str], figures: Iterable[str],
         names: Iterable[str], published_at: str | None, units: bytes | None = None) -> Side:
    """A text as the index compares it now: its units less the retired ones."""
    content = [u for u, k in _keyed_units(body or "", units) if k is None or k not in retired]
    names = tuple(names)
    lead, cut = lead_of(content)
    return Side("".join(content), lead, cut, frozenset(figures), frozenset(names),
                _when(published_at), subject(names),
                "".join(content[:content.index("")] if "" in content else content))


def keys_of(member: Mapping[str, Any], view: Side, retired: Mapping[int, str]
            ) -> tuple[dict[int, str], dict[int, str]]:
    """{key: what} a member is filed under (retired ones left out), and unit samples."""
    keys: dict[int, str] = {}
    samples: dict[int, str] = {}
    for unit, key in _keyed_units(member["body"] or ""):
        if key is not None and key not in retired:
            keys[key], samples[key] = "u", unit
    if view.lead:
        keys.update((k, "b") for k in band_keys(lead_minhash(view.lead)) if k not in retired)
    keys.update((k, "f") for f in view.figures if (k := fact_key(f)) not in retired)
    return keys, samples


def view_of(member: Mapping[str, Any], retired: Mapping[int, str]
            ) -> tuple[Side, dict[int, str], dict[int, str]]:
    """A member as compared with ``retired`` keys learned: its Side, its live keys, and
    the texts of its unit keys."""
    view = side(member["body"], retired, member["figures"], member["names"],
                member["published_at"])
    keys, samples = keys_of(member, view, retired)
    return view, keys, samples


def _view(db: sqlite_utils.Database, member: Mapping[str, Any]
          ) -> tuple[Side, dict[int, str], dict[int, str]]:
    return view_of(member, story_keys.retired(db, member["site"]))


def _candidates(db: sqlite_utils.Database, hits: Counter) -> list[tuple[Any, ...]]:
    """(story_id, site, body, facts, published_at, units) of the most-hit candidates."""
    best = heapq.nsmallest(MAX_CANDIDATES, hits.items(), key=lambda kv: (-kv[1], kv[0]))
    if not best:
        return []
    values = ",".join("(?, ?)" for _ in best)
    return db.execute(
        f"WITH c(kind, row_id) AS (VALUES {values}) "
        f"SELECT m.story_id, m.site, m.body, m.facts, m.published_at, m.units FROM c "
        f"CROSS JOIN "
        f"story_members m ON m.kind = c.kind AND m.row_id = c.row_id WHERE m.body IS NOT NULL",
        [v for (kind, row_id), _ in best for v in (kind, row_id)]).fetchall()


@functools.lru_cache(maxsize=65536)
def _facts(stored: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = json.loads(stored) if stored else {}
    return tuple(data.get("figures", ())), tuple(data.get("names", ()))


_SIDES: dict[tuple[Any, ...], tuple[tuple[bool, ...], Side]] = {}
SIDES = 20_000
"""Candidates' Sides kept (popular stories come back placement after placement); one is
reused while the same units of its body are learned boilerplate."""


def _candidate_side(retired: Mapping[int, str], body: str, facts: str | None,
                    published_at: str | None, units: bytes | None) -> Side:
    key = (body, facts, published_at, units)
    flags = tuple(k is not None and k in retired for _, k in _keyed_units(body or "", units))
    cached = _SIDES.get(key)
    if cached is not None and cached[0] == flags:
        return cached[1]
    if len(_SIDES) >= SIDES:
        _SIDES.clear()
    view = side(body, retired, *_facts(facts), published_at, units)
    _SIDES[key] = (flags, view)
    return view


def find_story(db: sqlite_utils.Database, view: Side, hits: Counter) -> int | None:
    """The story of the best-scoring candidate (ties: the oldest story), or None."""
    best: tuple[float, int] | None = None
    for story_id, site, body, facts, published_at, units in _candidates(db, hits):
        other = _candidate_side(story_keys.retired(db, site), body, facts, published_at, units)
        value = decide(view, other)
        if value > 0 and (best is None or (value, -story_id) > (best[0], -best[1])):
            best = (value, story_id)
    return None if best is None else best[1]


def place(db: sqlite_utils.Database, member: Mapping[str, Any], repair: bool = True) -> int:
    """Store one member (kind, row_id, site, url, headline, published_at, body, figures,
    names, dup) in its story, opening one if none matches; returns the story id.

    Then what its arrival teaches is learned (archive.story_keys.learn), it is filed
    under the keys that stay live, and (``repair``) the members that held units just
    learned as boilerplate are placed again without them."""
    forget(db, member["kind"], [member["row_id"]])
    view, keys, samples = _view(db, member)
    rows = story_keys.postings(db, keys)
    hits = Counter((kind, row_id) for _, _, kind, row_id, _, _ in rows)
    story_id = find_story(db, view, hits)
    if story_id is None:
        story_id = db.execute("INSERT INTO stories (appearances, sources) VALUES (0, 0)"
                              ).lastrowid
    learned = story_keys.learn(db, member, story_id, keys, rows, samples)
    if learned:
        view, keys, _ = _view(db, member)
    row = {k: member.get(k) for k in _MEMBER_COLUMNS}
    row.update(story_id=story_id, lead=view.lead, truncated=int(view.cut),
               facts=json.dumps({"figures": list(member["figures"]),
                                 "names": list(member["names"])}, ensure_ascii=False),
               minhash=lead_minhash(view.lead), units=unit_blob(member["body"] or ""),
               keys=np.array(sorted(keys), dtype="<i8").tobytes())
    db.execute(_INSERT_MEMBER, row)
    story_keys.file_member(db, member, keys)
    refresh(db, story_id)
    if learned and repair:
        _repair(db, member, {key: samples[key] for key in learned if key in samples}, rows)
        # the repair may have placed this member again, with what it taught
        story_id = db.execute("SELECT story_id FROM story_members WHERE kind = ? AND "
                              "row_id = ?", [member["kind"], member["row_id"]]).fetchone()[0]
    return story_id


def _repair(db: sqlite_utils.Database, member: Mapping[str, Any], learned: dict[int, str],
            rows: list[tuple[Any, ...]]) -> None:
    """Place again the members whose lead held a unit just learned as boilerplate, and
    every member of their stories: they were placed when the unit still counted as
    content (a column's first items, and what joined them through one of them). All of
    them leave their stories first, so that none is held together by the others."""
    holders = {(kind, row_id) for key, site, kind, row_id, _, _ in rows
               if key in learned and site == member["site"]} - {(member["kind"], member["row_id"])}
    stories = set()
    for kind, row_id in sorted(holders):
        story_id, lead = db.execute("SELECT story_id, lead FROM story_members WHERE kind = ? "
                                    "AND row_id = ?", [kind, row_id]).fetchone()
        if lead and any(unit in lead or unit.startswith(lead) for unit in learned.values()):
            stories.add(story_id)
    affected = sorted(r for s in stories for r in db.execute(
        "SELECT kind, row_id FROM story_members WHERE story_id = ?", [s]))
    again = [_stored_member(db, kind, row_id) for kind, row_id in affected]
    for kind, row_id in affected:
        forget(db, kind, [row_id])
    for again_member in again:
        story_id = place(db, again_member, repair=False)
        table = "articles" if again_member["kind"] == "article" else "digest_items"
        db.execute(f"UPDATE {table} SET story_id = ? WHERE id = ?",
                   [story_id, again_member["row_id"]])


def _stored_member(db: sqlite_utils.Database, kind: str, row_id: int) -> dict[str, Any]:
    """A stored member, as ``place`` takes it."""
    site, url, headline, published_at, body, facts, dup = db.execute(
        "SELECT site, url, headline, published_at, body, facts, dup FROM story_members "
        "WHERE kind = ? AND row_id = ?", [kind, row_id]).fetchone()
    figures, names = _facts(facts)
    return {"kind": kind, "row_id": row_id, "site": site, "url": url, "headline": headline,
            "published_at": published_at, "body": body, "dup": dup, "figures": figures,
            "names": names}


def forget(db: sqlite_utils.Database, kind: str, row_ids: Iterable[int]) -> None:
    """Remove members (rows being replaced) and update, or drop, the stories they were in."""
    for row_id in row_ids:
        found = db.execute("SELECT story_id, site, keys FROM story_members "
                           "WHERE kind = ? AND row_id = ?", [kind, row_id]).fetchone()
        if found is None:
            continue
        story_id, site, keys = found
        if keys:
            story_keys.unfile_member(db, kind, row_id, site,
                                     np.frombuffer(keys, dtype="<i8").tolist())
        db.execute("DELETE FROM story_members WHERE kind = ? AND row_id = ?", [kind, row_id])
        refresh(db, story_id)


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
