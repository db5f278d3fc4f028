"""Memory: peak RSS of a whole crawl, into an empty archive and into one already holding
many times as many pages. A crawl is two processes (the crawl and its writer process):
the figure adds each process's own peak, an upper bound of their peak together.

Quick mode crawls a mirror of scale 300 (about 1,400 pages); full mode (``--full``,
``BENCH_FULL=1``) crawls scale 11,200 (over 50,000 pages). The second crawl writes the same
pages into a copy of the first archive whose rows were renamed and multiplied, so every page
is new to it while the archive is PREFILL times larger: peak RSS must not follow that size.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from bench._crawls import crawl_once
from bench._figures import figure
from bench._mirror import Mirror

LIMIT_MIB = 400.0
KEYED = {"captures": "url", "digests": "canonical_url", "articles": "canonical_url"}


def prefill(source: Path, target: Path, copies: int) -> int:
    """``target``: ``source`` with its pages renamed away and multiplied ``copies`` times."""
    shutil.copy(source, target)
    conn = sqlite3.connect(target)
    with conn:
        for table, key in KEYED.items():
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
            picked = ", ".join(f"{c} || '?old=' || :k" if c == key else c for c in cols)
            for k in range(copies):
                conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {picked} "
                             f"FROM {table} WHERE {key} NOT LIKE '%?old=%'", {"k": k})
            conn.execute(f"UPDATE {table} SET {key} = {key} || '?old=orig' "
                         f"WHERE {key} NOT LIKE '%?old=%'")
    pages = conn.execute("SELECT (SELECT count(*) FROM articles) + "
                         "(SELECT count(*) FROM digests)").fetchone()[0]
    conn.close()
    return pages


def run(quick: bool = True) -> dict[str, Any]:
    scale, copies = (300, 10) if quick else (11_200, 2)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as name, Mirror(scale) as mirror:
        tmp = Path(name)
        empty = crawl_once("full", mirror.url, tmp / "first.db")
        held = prefill(tmp / "first.db", tmp / "prefilled.db", copies)
        full = crawl_once("full", mirror.url, tmp / "prefilled.db")
    peak = max(empty["peak_rss_mib"], full["peak_rss_mib"])
    growth = full["peak_rss_mib"] / empty["peak_rss_mib"]
    mode = "quick: a smaller crawl than the 50,000 pages of the target" if quick else "full"
    return {
        "crawl_peak_rss_mib": figure(
            peak, "MiB", target=f"< {LIMIT_MIB:.0f} MiB", met=peak < LIMIT_MIB,
            note=f"{mode}; {empty['responses']} responses per crawl (mirror scale {scale}); "
                 f"crawl process + writer process: {_split(empty)} into the empty archive, "
                 f"{_split(full)} into the larger one"),
        "crawl_peak_rss_vs_archive_size": figure(
            full["peak_rss_mib"], "MiB", baseline=empty["peak_rss_mib"],
            target="<= 1.1x (flat)", met=growth <= 1.1,
            note=f"same crawl into an archive already holding {held} other pages vs into "
                 f"an empty one"),
    }


def _split(result: dict[str, Any]) -> str:
    return (f"{result['crawl_peak_rss_mib']:.1f} + {result['writer_peak_rss_mib']:.1f} MiB")
