"""Search speed on the archive's own schema and query path (archive.search.iter_search).

An in-memory archive of N generated news items (10 per digest, two sources) indexed by
archive.search exactly as the store indexes it. Timed per query word: ``newsarchive
search WORD`` as the CLI runs it (best 20 by bm25 among the newest RANK_WINDOW hits,
with snippets; and with ``--rank-all``), against the baseline of a ``LIKE '%word%'``
scan of headlines and texts that finds the same rows. Hits: the search returns at most
20 rows, so its hit set is checked in two parts: every row it returns must be a row the
scan finds, and the index's whole hit set (an unbounded ``MATCH``, used only for this
check) must equal the scan's, per word (the whole set, not a sample).
"""

from __future__ import annotations

import time

import sqlite_utils

from archive import search
from archive.searchform import to_index_form, to_match_query
from bench._figures import figure, median

_SCHEMA = (
    "CREATE TABLE digests (id INTEGER PRIMARY KEY, site TEXT, published_at TEXT, "
    "canonical_url TEXT)",
    "CREATE TABLE digest_items (id INTEGER PRIMARY KEY, digest_id INTEGER, headline TEXT, "
    "text TEXT)",
    "CREATE TABLE articles (id INTEGER PRIMARY KEY, site TEXT, published_at TEXT, "
    "title TEXT, summary TEXT, text TEXT, canonical_url TEXT)",
)
_LIKE = "SELECT id FROM digest_items WHERE headline LIKE :w OR text LIKE :w"


def build_archive(texts: list[str], batch: int = 20_000) -> sqlite_utils.Database:
    """The archive tables search needs, filled with ``texts`` as news items, indexed."""
    db = sqlite_utils.Database(memory=True)
    for sql in _SCHEMA:
        db.execute(sql)
    search.create_index(db)
    conn = db.conn
    conn.executemany("INSERT INTO digests VALUES (?, ?, ?, ?)", (
        (d, ("foresight", "8btc")[d % 2], f"20{20 + d % 6}-0{1 + d % 9}-1{d % 10}T00:00:00Z",
         f"https://foresightnews.pro/article/detail/{d}")
        for d in range(1, len(texts) // 10 + 2)))
    for start in range(0, len(texts), batch):
        rows = [(i, i // 10 + 1, t[:16], t) for i, t in enumerate(texts[start:start + batch],
                                                                  start + 1)]
        conn.executemany("INSERT INTO digest_items VALUES (?, ?, ?, ?)", rows)
        conn.executemany("INSERT INTO digest_items_fts (rowid, headline, text) VALUES (?, ?, ?)",
                         ((i, to_index_form(h), to_index_form(t)) for i, _, h, t in rows))
    conn.commit()
    return db


def _ms(func) -> float:
    start = time.perf_counter()
    func()
    return (time.perf_counter() - start) * 1000


def speed_figures(texts: list[str], words: dict[int, list[str]], repeats: int) -> dict:
    """Per word length: median search time, LIKE scan time, their ratio, recall."""
    db = build_archive(texts)
    out = {}
    for n, group in words.items():
        search_ms, all_ms, like_ms, found, truth, stray = [], [], [], 0, 0, 0
        for word in group:
            search_ms += [_ms(lambda w=word: list(search.iter_search(db, w, limit=20)))
                          for _ in range(repeats)]
            returned = {r["id"] for r in search.iter_search(db, word, limit=20)}
            all_ms += [_ms(lambda w=word: list(search.iter_search(db, w, rank_window=None)))
                       for _ in range(max(1, repeats // 3))]
            like_ms += [_ms(lambda w=word: db.execute(_LIKE, {"w": f"%{w}%"}).fetchall())
                        for _ in range(max(1, repeats // 3))]
            expected = {r[0] for r in db.execute(_LIKE, {"w": f"%{word}%"})}
            got = {r[0] for r in db.execute("SELECT rowid FROM digest_items_fts WHERE "
                                            "digest_items_fts MATCH ?", [to_match_query(word)])}
            found += len(expected & got) + (0 if got <= expected else -len(got - expected))
            truth += len(expected)
            stray += len(returned - expected)
        ms, base = median(search_ms), median(like_ms)
        out[f"search_{n}char"] = figure(
            ms, "ms", baseline=base, target="< 20 ms and >= 100x faster than LIKE",
            met=ms < 20 and base / ms >= 100, speedup=round(base / ms, 1),
            rank_all_ms=round(median(all_ms), 2), hits_per_word=round(truth / len(group)),
            note="baseline = LIKE scan (ms); speedup = baseline / value; rank_all_ms = "
                 "the same search ranking every hit (--rank-all)")
        out[f"search_recall_{n}char"] = figure(
            found / truth, "fraction", target="1.0", met=found == truth and not stray,
            returned_not_in_like=stray,
            note="index hits (unbounded MATCH) against LIKE's, extra hits counted against; "
                 "returned_not_in_like = rows the search returned that the scan does not find")
    return out
