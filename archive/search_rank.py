"""BM25 of a table's newest hits, computed as FTS5's bm25() computes it, minus its full pass.

FTS5's ``bm25()`` is cheap per row (the row's phrase instances and its size) but, once
per query, runs every phrase over the whole index to count the rows it is in (its IDF).
For a word in 15% of a million rows that pass is the whole cost of a search (20-60 ms
where everything else takes a few). Here the newest ``window`` hits are read in one walk
of the index, newest first, with their index-form text and their size; each gets FTS5's
score from the same inputs bm25() uses:

- rows and average row size: the index's own totals (the averages record);
- the row's size in tokens: its ``docsize`` record;
- weighted instances of each phrase: :func:`archive.searchform.instance_pattern`;
- IDF = ``log((N - n + 0.5) / (n + 0.5))`` (1e-6 when not positive), where ``n``, the
  rows a phrase is in, is counted exactly when it is in fewer than ``window`` rows, and
  otherwise estimated from its share of the rows its newest ``window`` hits span.

With an exact count the scores equal bm25()'s (tests/test_search_rank.py). The estimate
only moves the IDF: a one-word query's order does not depend on it at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from archive.searchform import Phrase, instance_pattern

K1, B = 1.2, 0.75
"""FTS5's bm25 constants."""


@dataclass(frozen=True, slots=True)
class IndexTotals:
    """What bm25 needs of the whole index: FTS5's xRowCount and xColumnTotalSize."""

    rows: int
    """Rows in the index."""
    avgdl: float
    """Average tokens per row, all columns together."""


def read_varints(blob: bytes) -> list[int]:
    """The SQLite varints in ``blob`` (FTS5's records: big-endian 7-bit groups)."""
    out, value, length = [], 0, 0
    for byte in blob:
        length += 1
        if length == 9:                     # the ninth byte carries 8 bits
            out.append((value << 8) | byte)
            value = length = 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            out.append((value << 7) | byte)
            value = length = 0
    return out


def index_totals(db: sqlite_utils.Database, fts: str) -> IndexTotals:
    """Rows and average row size, from the index's averages record (``_data`` rowid 1)."""
    row = db.execute(f"SELECT block FROM [{fts}_data] WHERE id = 1").fetchone()
    numbers = read_varints(row[0]) if row and row[0] else [0]
    rows, tokens = numbers[0], sum(numbers[1:])
    return IndexTotals(rows=rows, avgdl=tokens / rows if rows else 0.0)


def idf(rows: int, hits: float) -> float:
    """FTS5's IDF of a phrase in ``hits`` of ``rows`` rows."""
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0 else 1e-6


def phrase_rows(db: sqlite_utils.Database, fts: str, phrase: Phrase, rows: int,
                window: int) -> float:
    """Rows the phrase is in: counted when fewer than ``window``, else estimated from the
    share of the rows its newest ``window`` hits span that hold it."""
    found, oldest = db.execute(
        f"SELECT count(*), min(rowid) FROM (SELECT rowid FROM [{fts}] WHERE [{fts}] MATCH ? "
        "ORDER BY rowid DESC LIMIT ?)", [phrase.match, window]).fetchone()
    return _estimate(db, fts, found, oldest, rows, window)


def _estimate(db: sqlite_utils.Database, fts: str, found: int, oldest: int | None,
              rows: int, window: int) -> float:
    if found < window:
        return found
    span = db.execute(f"SELECT count(*) FROM [{fts}_docsize] WHERE id >= ?",
                      [oldest]).fetchone()[0]
    return found * rows / span


def score_window(db: sqlite_utils.Database, fts: str, weights: Sequence[float],
                 phrases: Sequence[Phrase], hits: Sequence[Sequence[Any]], *, window: int,
                 only_phrase_walked: bool) -> list[tuple[float, int]]:
    """(bm25, rowid) of each hit; lower is better, as with bm25().

    ``hits`` are rows (rowid, the index-form text of each column, the docsize record),
    the newest ``window`` hits newest first. ``only_phrase_walked``: they are the hits
    of the query's only phrase, unfiltered, so they also count its rows.
    """
    if not hits:
        return []
    totals = index_totals(db, fts)
    if only_phrase_walked:
        idfs = [idf(totals.rows, _estimate(db, fts, len(hits), hits[-1][0], totals.rows,
                                           window))]
    else:
        idfs = [idf(totals.rows, phrase_rows(db, fts, p, totals.rows, window))
                for p in phrases]
    per_token = K1 * B / totals.avgdl
    norms = [K1 * (1 - B) + per_token * (sum(size) if size.isascii() else _row_size(size))
             for size in (hit[-1] for hit in hits)]      # bytes under 128: one-byte varints
    scores = [0.0] * len(hits)
    for phrase, phrase_idf in zip(phrases, idfs, strict=True):
        freqs = _weighted_instances(instance_pattern(phrase), hits, weights)
        top = phrase_idf * (K1 + 1)
        scores = [score + top * f / (f + norm)
                  for score, f, norm in zip(scores, freqs, norms, strict=True)]
    return [(-score, hit[0]) for score, hit in zip(scores, hits, strict=True)]


def _row_size(docsize: bytes) -> int:
    """A row's tokens, all columns: the sum of its docsize varints."""
    return sum(read_varints(docsize))


def _weighted_instances(pattern: re.Pattern[str], hits: Sequence[Sequence[Any]],
                        weights: Sequence[float]) -> list[float]:
    """Per hit, the phrase's instances in each column times the column's weight, summed."""
    find = pattern.findall
    freqs = [0.0] * len(hits)
    for column, weight in enumerate(weights, 1):
        freqs = [f + weight * len(find(hit[column] or ""))
                 for f, hit in zip(freqs, hits, strict=True)]
    return freqs
