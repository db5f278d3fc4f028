"""WARC: what keeping the evidence costs, in disk, in crawl speed, and what re-parsing costs.

- Archive size per 1,000 pages with and without the WARC files (same mirror, same crawl).
- Crawl pages/s with WARC writing against the same crawl with ``WARC_ENABLED=False``,
  interleaved, medians.
- Re-parse rate (``pipelines.reparse``: read each record, decode, parse, normalise, compare,
  and dedupe and store what changed) against the parse-only rate (what ``newsarchive parse``
  does: the same bodies, already in memory, decoded, parsed and normalised by the same
  code). Target: re-parse >= 0.8x parse-only (issue 6).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench._crawls import crawl_once, pages_per_second
from bench._figures import figure, interleaved, median, timed
from bench._mirror import Mirror

SCALE_QUICK, SCALE_FULL = 200, 1200
REPARSE_TARGET = 0.8


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def _crawl_rate(mirror: Mirror, warc: bool, sizes: dict[str, list[float]]):
    def once() -> float:
        with tempfile.TemporaryDirectory(prefix="bench-warc-") as tmp:
            db = Path(tmp) / "archive.db"
            overrides = {} if warc else {"WARC_ENABLED": "False"}
            result = crawl_once("full", mirror.url, db, overrides)
            pages = result["responses"] / 1000
            with sqlite3.connect(db) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            sizes["db"].append(_size(db) / pages)
            if warc:
                sizes["warc"].append(_size(db.with_name("archive-warc")) / pages)
            return pages_per_second(result)
    return once


def _reparse_rates(mirror: Mirror, repeats: int) -> tuple[float, float, int]:
    """(re-parse pages/s, parse-only pages/s, pages) on one crawled archive."""
    from archive.db import open_db
    from archive.warc import warc_dir_for
    from bench._reparse_pages import load_pages, parse_only
    from pipelines.reparse import reparse

    with tempfile.TemporaryDirectory(prefix="bench-reparse-") as tmp:
        db_path = Path(tmp) / "archive.db"
        crawl_once("full", mirror.url, db_path)
        db = open_db(db_path)
        folder = str(warc_dir_for(db_path))
        pages = load_pages(db, folder)

        def reparse_rate() -> float:
            seconds, report = timed(lambda: reparse(db, folder))
            return report.captures / seconds

        def parse_rate() -> float:
            seconds, count = timed(lambda: parse_only(pages))
            return count / seconds

        rates = interleaved({"reparse": reparse_rate, "parse": parse_rate}, repeats)
        db.close()
    return median(rates["reparse"]), median(rates["parse"]), len(pages)


def run(quick: bool = True) -> dict[str, Any]:
    scale = SCALE_QUICK if quick else SCALE_FULL
    repeats = 2 if quick else 4
    sizes: dict[str, list[float]] = {"db": [], "warc": []}
    with Mirror(scale=scale, seed=3) as mirror:
        rates = interleaved({"warc": _crawl_rate(mirror, True, sizes),
                             "no_warc": _crawl_rate(mirror, False, sizes)}, repeats)
        reparse_rate, parse_rate, pages = _reparse_rates(mirror, 3 if quick else 5)
    db_kib = median(sizes["db"]) / 1024
    warc_kib = median(sizes["warc"]) / 1024
    crawl_note = f"mirror scale {scale}, {repeats} interleaved crawls each, medians"
    return {
        "warc_crawl_pages_per_s": figure(
            median(rates["warc"]), "pages/s", baseline=median(rates["no_warc"]),
            note=f"with WARC writing vs WARC_ENABLED=False; {crawl_note}"),
        "archive_kib_per_1000_pages_with_warc": figure(
            db_kib + warc_kib, "KiB", baseline=db_kib,
            note=f"SQLite {db_kib:.0f} KiB + WARC {warc_kib:.0f} KiB per 1,000 responses; "
                 "baseline: the SQLite archive alone"),
        "reparse_pages_per_s": figure(
            reparse_rate, "pages/s", baseline=parse_rate, target=f">= {REPARSE_TARGET}x",
            met=reparse_rate >= REPARSE_TARGET * parse_rate,
            note=f"{pages} pages; re-parse from WARC records into the archive vs parse "
                 "and normalise of the same bodies in memory"),
    }


if __name__ == "__main__":
    from bench.runner import format_figure

    for name, fig in run(quick="--full" not in sys.argv).items():
        print(format_figure(name, fig))
