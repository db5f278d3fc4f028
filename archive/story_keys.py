"""The story index: what each member is filed under, and the boilerplate it learns.

Every member is filed in ``story_keys`` under three kinds of key:

- ``u`` its content **units** (sentences and clauses of at least ``MIN_UNIT``
  characters, dates masked), so a copy sharing any sentence is found;
- ``b`` the 16 LSH **bands** of its lead's MinHash (4 rows each), so a lightly edited
  lead is found;
- ``f`` its **figures** with units, so a retelling in other words is found.

A posting row also carries the member's site. When the members of one site filed under a
key belong to ``RETIRE[kind]`` different stories, the key is *retired* for that site:
recorded in ``boilerplate`` and its postings there deleted. Stories are counted, so that
a story reprinted ten times on one site keeps its sentences; and for a unit, also
different texts (``TEXTS``; exact copies count once): a column's introduction opens
every item of the column, and until it is learned it can make them look like one
story, so its stories would never add up. A retired unit is
boilerplate: the site repeats it in unrelated texts (a column's introduction, a
disclaimer, a footer), so it is dropped from the content that texts of that site are
compared on. A retired band or figure is only too common to find
candidates with. Posting lists therefore stay short however large the archive grows:
a placement reads at most a few rows per key.

Learning is monotone: a key once retired stays retired (``recluster`` relearns from
scratch, in store order). This is SpotSigs' observation (Theobald et al., SIGIR 2008)
turned into a learned rule: what repeats across a source's pages is its template, and
signatures should come from the rest.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

RETIRE = {"u": 4, "f": 8, "b": 8}
"""Different stories of one site holding a key before it retires: a sentence told in 4
unrelated stories is template; a figure or a lead band shared by 8 stories no longer
finds the right candidates, only cost (the writer replay of a scale-1200 crawl: 41 s of
CPU with 12 and 24, 33 s with 8 and 8, the same stories on the mirror and the hard set)."""
TEXTS = 8
"""Different texts of one site holding a unit before it retires, whatever their stories."""
MIN_UNIT = 6
"""Units shorter than this are not filed (``据悉``, ``值得注意的是``)."""
BANDS, ROWS = 16, 4
_DATES = re.compile(r"\d{4}年|\d{1,2}月\d{1,2}日|第\d+期|\d{1,2}:\d{2}")

_CACHE = "_newsarchive_retired"
"""Attribute of a Database holding {site: (data_version, {retired key: what})}: kept on
the object, not by id(), since a closed connection's id is reused by the next one."""


def _cache(db: sqlite_utils.Database) -> dict[str, tuple[int, dict[int, str]]]:
    return db.__dict__.setdefault(_CACHE, {})


def _key(prefix: bytes, data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(prefix + data, digest_size=8).digest(),
                          "little", signed=True)


def unit_key(unit: str) -> int:
    """The key of a content unit, its dates masked (a column's ``12月6日早报，本栏目...``
    is one unit every day); other figures stay, they are what a flash reports."""
    return _key(b"u", _DATES.sub("#", unit).encode("utf-8"))


def band_keys(signature: bytes) -> list[int]:
    """The key of each LSH band of a stored lead signature."""
    width = ROWS * 4
    return [_key(b"b" + bytes([n]), signature[n * width:(n + 1) * width]) for n in range(BANDS)]


def fact_key(figure: str) -> int:
    return _key(b"f", figure.encode("utf-8"))


def content_hash(body: str) -> int:
    """``story_members.dup``: equal for texts with the same content units."""
    return _key(b"d", body.encode("utf-8"))


def retired(db: sqlite_utils.Database, site: str) -> dict[int, str]:
    """{key: what} retired for ``site``: its own, and the units any site retired (a copy
    on another site carries the column's introduction along). Cached per connection
    until another connection writes the archive."""
    version = db.execute("PRAGMA data_version").fetchone()[0]
    cached = _cache(db).get(site)
    if cached is not None and cached[0] == version:
        return cached[1]
    keys = dict(db.execute("SELECT key, what FROM boilerplate WHERE site = ? OR what = 'u'",
                           [site]))
    _cache(db)[site] = (version, keys)
    return keys


def forget_learned(db: sqlite_utils.Database) -> None:
    """Drop the cached retired keys of this archive (after ``boilerplate`` is cleared)."""
    _cache(db).clear()


def postings(db: sqlite_utils.Database, keys: Iterable[int]) -> list[tuple[Any, ...]]:
    """(key, site, kind, row_id, story_id, dup) of every member filed under one of
    ``keys``."""
    keys = list(keys)
    if not keys:
        return []
    # CROSS JOIN keeps SQLite from scanning story_members first (cost growing with the
    # archive): the postings of the keys are found first, then each one's member.
    return db.execute(f"SELECT k.key, k.site, k.kind, k.row_id, m.story_id, m.dup "
                      f"FROM story_keys k "
                      f"CROSS JOIN story_members m ON m.kind = k.kind AND m.row_id = k.row_id "
                      f"WHERE k.key IN ({','.join('?' * len(keys))})", keys).fetchall()


def learn(db: sqlite_utils.Database, member: dict[str, Any], story_id: int,
          keys: dict[int, str], rows: list[tuple[Any, ...]], samples: dict[int, str]
          ) -> set[int]:
    """Retire the keys of a new member (placed in ``story_id``) that reach their
    threshold with it; returns them. ``rows``: the postings of ``keys``; ``samples``:
    unit texts."""
    site = member["site"]
    stories: dict[int, set[int]] = defaultdict(set)
    texts: dict[int, set[int]] = defaultdict(set)
    for key, key_site, _, _, row_story, row_dup in rows:
        if key_site == site:
            stories[key].add(row_story)
            texts[key].add(row_dup)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = set()
    for key, what in keys.items():
        count = len(stories[key] | {story_id})
        if count >= RETIRE[what] or (what == "u" and len(texts[key] | {member["dup"]}) >= TEXTS):
            out.add(key)
            db.execute("INSERT OR IGNORE INTO boilerplate (site, key, what, sample, stories, "
                       "learned_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [site, key, what, samples.get(key), count, now])
            db.execute("DELETE FROM story_keys WHERE key = ? AND site = ?", [key, site])
    units = {k: keys[k] for k in out if keys[k] == "u"}
    for cached_site, (_, known) in _cache(db).items():
        known.update(units if cached_site != site else {k: keys[k] for k in out})
    return out


def file_member(db: sqlite_utils.Database, member: dict[str, Any], keys: Iterable[int]) -> None:
    """File a member under its (live) keys."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO story_keys (key, site, kind, row_id) VALUES (?, ?, ?, ?)",
        [(k, member["site"], member["kind"], member["row_id"]) for k in keys])


def unfile_member(db: sqlite_utils.Database, kind: str, row_id: int, site: str,
                  keys: Iterable[int]) -> None:
    db.conn.executemany("DELETE FROM story_keys WHERE key = ? AND site = ? AND kind = ? "
                        "AND row_id = ?", [(k, site, kind, row_id) for k in keys])
