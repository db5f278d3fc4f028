"""Archive writes: rows/s into the archive under the crawl's write pattern.

Mirror pages are parsed and normalised first (untimed), as the crawl does. Then the store
pipeline (pipelines.store.StorePipeline, the component a crawl uses) writes them one item at
a time, a listing capture every 20 pages as the spiders yield them. The baseline writes the
very same rows (read back from that archive) with sqlite-utils ``insert_all`` into empty
tables in one transaction: the ceiling for these rows on this disk, with no upserts, no
indexes and no per-page transactions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from pathlib import Path
from typing import Any

import sqlite_utils

from bench._figures import figure, interleaved, median, timed
from bench._pages import sample_pages
from crawler.items import Capture
from crawler.parsers import parse_page
from pipelines.normalize import normalize_record
from pipelines.store import StorePipeline

SCALE = 200
TABLES = ("captures", "digests", "digest_items", "recommendations", "digest_links", "articles")


class _Stats:
    """The two methods of Scrapy's StatsCollector the store pipeline calls."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def get_stats(self) -> dict[str, Any]:
        return self.values


def crawl_items(count: int) -> list[Any]:
    """What the spiders yield for ``count`` pages: records with captures, and listings."""
    items: list[Any] = []
    for n, page in enumerate(sample_pages(SCALE, count)):
        capture = Capture(url=page.url, final_url=page.url, status=200,
                          fetched_at="2026-01-01T00:00:00Z", content_type="text/html",
                          body_sha256=hashlib.sha256(page.html).hexdigest(),
                          body_length=len(page.html), site="8btc")
        if n % 20 == 0:
            items.append(dataclasses.replace(capture, url=f"{page.url}?listing={n}",
                                             page_kind="listing"))
        record = parse_page(page.html, page.url)
        items.append(dataclasses.replace(normalize_record(record, capture.fetched_at),
                                         capture=capture))
    return items


def store_all(items: list[Any], db_path: Path) -> int:
    """Write ``items`` through the store pipeline; returns the rows the archive then holds."""
    pipeline = StorePipeline(str(db_path), None, _Stats(), "bench", "bench")
    pipeline.open_spider()
    for item in items:
        pipeline.process_item(item)
    pipeline.close_spider()
    db = sqlite_utils.Database(db_path)
    rows = sum(db[t].count for t in TABLES)
    db.close()
    return rows


def _measure_pipeline(items: list[Any], tmp: Path, rows_seen: list[int]):
    def once() -> float:
        db_path = tmp / f"pipeline-{len(rows_seen)}.db"
        seconds, rows = timed(lambda: store_all(items, db_path))
        rows_seen.append(rows)
        return rows / seconds
    return once


def _measure_bulk(source: Path, tmp: Path):
    data = {t: list(sqlite_utils.Database(source)[t].rows) for t in TABLES}
    rows = sum(len(v) for v in data.values())

    def once() -> float:
        db = sqlite_utils.Database(tmp / f"bulk-{id(object())}.db")

        def write() -> None:
            with db.conn:
                for table, table_rows in data.items():
                    if table_rows:
                        db[table].insert_all(table_rows, batch_size=500)
        seconds, _ = timed(write)
        db.close()
        return rows / seconds
    return once


def run(quick: bool = True) -> dict[str, Any]:
    items = crawl_items(300 if quick else 1000)
    with tempfile.TemporaryDirectory(prefix="bench-writes-") as name:
        tmp = Path(name)
        rows_seen: list[int] = []
        first = _measure_pipeline(items, tmp, rows_seen)()  # also the source of the bulk rows
        rates = interleaved({"pipeline": _measure_pipeline(items, tmp, rows_seen),
                             "bulk": _measure_bulk(tmp / "pipeline-0.db", tmp)},
                            3 if quick else 5)
    ours, bulk = median([first, *rates["pipeline"]]), median(rates["bulk"])
    pages = sum(1 for i in items if not isinstance(i, Capture))
    return {"archive_rows_per_s": figure(
        ours, "rows/s", baseline=bulk, target="reported (no target in issue 9)",
        note=f"{pages} pages + listing captures -> {rows_seen[0]} rows in {len(TABLES)} tables "
             f"({rows_seen[0] / pages:.1f} rows/page, {ours / (rows_seen[0] / pages):.0f} "
             f"pages/s); baseline: the same rows bulk-inserted by sqlite-utils in one "
             f"transaction")}
