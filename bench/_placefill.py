"""Fill a story index to N members as placement leaves it, without placing each one.

Placing a million texts one by one would take the benchmark an hour; what placement
costs depends on what the index holds: how many members, how long the posting lists of
their keys are, which keys the archive has retired as boilerplate. ``fill`` builds that
state directly, with the product's own functions (archive.signature.sign,
archive.stories.view_of, archive.story_keys thresholds), as if every text were its own
story (templated texts are distinct stories, mostly): a unit held by ``RETIRE["u"]``
texts of a site is boilerplate (everywhere), a band or figure held by ``RETIRE[b/f]``
texts of a site is retired there, and every member is filed under its live keys.
Signing and key computing run in a process pool (both cores).
"""

from __future__ import annotations

import json
import multiprocessing
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np

from archive import stories
from archive.signature import lead_minhash, sign
from archive.store_dedupe import story_member
from archive.story_keys import RETIRE, content_hash, unit_key
from archive.tx import write_transaction

_RETIRED_UNITS: dict[int, str] = {}


def _sign(args: tuple[int, tuple[str, str, str, str]]) -> dict[str, Any]:
    n, (headline, text, site, published_at) = args
    sig = sign(text, headline)
    keys = {"body": sig.body, "figures": sig.figures, "names": sig.names}
    member = story_member("article", n, keys, site, f"u{n}", headline, published_at)
    member["units"] = sorted({unit_key(u) for u in sig.body.split("\n") if len(u) >= 6})
    return member


def _keys(member: dict[str, Any]) -> dict[str, Any]:
    view, keys, _ = stories.view_of(member, _RETIRED_UNITS)
    member.update(lead=view.lead, cut=int(view.cut), keys=keys)
    return member


def _init(retired: dict[int, str]) -> None:
    _RETIRED_UNITS.update(retired)


def signed(texts: Iterable[tuple[str, str, str, str]], start: int = 1) -> list[dict]:
    """Story members of ``texts`` (row ids from ``start``), signed on both cores."""
    with multiprocessing.Pool(2) as pool:
        return pool.map(_sign, enumerate(texts, start), chunksize=500)


def fill(db, members: list[dict]) -> dict[str, int]:
    """File ``members`` into a fresh archive's story index; returns what was retired."""
    units = Counter((m["site"], k) for m in members for k in m["units"])
    retired_units = {k: "u" for (_, k), n in units.items() if n >= RETIRE["u"]}
    with multiprocessing.Pool(2, initializer=_init, initargs=(retired_units,)) as pool:
        keyed = pool.map(_keys, members, chunksize=500)
    held = Counter((m["site"], k, what) for m in keyed for k, what in m["keys"].items()
                   if what != "u")
    retired = {(site, k): what for (site, k, what), n in held.items() if n >= RETIRE[what]}
    retired.update({(site, k): "u" for (site, k), n in units.items() if n >= RETIRE["u"]})
    with write_transaction(db):
        _insert(db, keyed, retired)
    return {"members": len(keyed), "units_retired": len(retired_units),
            "keys_retired": len(retired) - len(retired_units)}


def _insert(db, keyed: list[dict], retired: dict[tuple[str, int], str]) -> None:
    conn = db.conn
    conn.executemany("INSERT INTO stories (id, appearances, sources) VALUES (?, 1, 1)",
                     [(m["row_id"],) for m in keyed])
    conn.executemany(
        "INSERT INTO story_members (kind, row_id, story_id, site, url, headline, "
        "published_at, body, facts, dup, minhash, numbers, truncated, lead, keys, units) "
        "VALUES ('article', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)",
        [(m["row_id"], m["row_id"], m["site"], m["url"], m["headline"], m["published_at"],
          m["body"], json.dumps({"figures": list(m["figures"]), "names": list(m["names"])},
                                ensure_ascii=False), content_hash(m["body"]),
          lead_minhash(m["lead"]), m["cut"], m["lead"],
          np.array(sorted(_live(m, retired)), dtype="<i8").tobytes(),
          stories.unit_blob(m["body"])) for m in keyed])
    conn.execute("CREATE TEMP TABLE staged (key INTEGER, site TEXT, row_id INTEGER)")
    conn.executemany("INSERT INTO staged VALUES (?, ?, ?)",
                     ((k, m["site"], m["row_id"]) for m in keyed for k in _live(m, retired)))
    conn.execute("INSERT OR IGNORE INTO story_keys (key, site, kind, row_id) SELECT key, "
                 "site, 'article', row_id FROM staged ORDER BY key, site, row_id")
    conn.execute("DROP TABLE staged")
    conn.executemany("INSERT OR IGNORE INTO boilerplate (site, key, what, stories) "
                     "VALUES (?, ?, ?, ?)",
                     [(site, k, what, RETIRE[what]) for (site, k), what in retired.items()])


def _live(member: dict, retired: dict[tuple[str, int], str]) -> list[int]:
    return [k for k in member["keys"] if (member["site"], k) not in retired]
