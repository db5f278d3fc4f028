"""A picture of the archive: what `newsarchive report` gathers and where it writes it.

:func:`gather` reads the archive (items per day per source, the largest stories, the
outlets the digests credit most, each source's latest health, row counts) into plain
data; archive.report_html turns that into one self-contained HTML page (inline SVG and
CSS, no script, nothing fetched), and :func:`write_report` writes it atomically: under a
temporary name in the target folder, moved into place when complete.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.queries_stories import get_stories

MAX_BARS = 120
"""More calendar days than this are drawn per ISO week, more weeks than this per month."""
_COUNTED = ("digests", "digest_items", "articles", "stories", "captures", "runs")


def gather(db: sqlite_utils.Database, *, stories: int = 10,
           attributions: int = 15) -> dict[str, Any]:
    """Everything the report shows, as plain data (see the module docstring)."""
    tables = set(db.table_names()) | set(db.view_names())
    return {
        "counts": {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                   for t in _COUNTED if t in tables},
        "per_day": _per_day(db) if "items_per_day" in tables else [],
        "stories": get_stories(db, None, stories) if "stories" in tables else [],
        "attributions": db.execute_returning_dicts(
            "SELECT attribution, count(*) AS items FROM digest_items "
            "WHERE attribution IS NOT NULL AND attribution != '' "
            "GROUP BY attribution ORDER BY items DESC, attribution LIMIT ?", [attributions]),
        "health": _health(db) if "source_health" in tables else [],
        "last_run": _last_run(db),
    }


def _per_day(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return db.execute_returning_dicts(
        "SELECT day, source, news_items, articles, digests FROM items_per_day "
        "WHERE day IS NOT NULL ORDER BY day, source")


def _health(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return db.execute_returning_dicts(
        "SELECT h.source, h.state, h.detail, h.run_id, h.pages, h.new_items, "
        "h.parse_failure_share, h.hours_since_new, r.started_at "
        "FROM source_health h JOIN runs r ON r.id = h.run_id "
        "WHERE h.id IN (SELECT max(id) FROM source_health GROUP BY source) ORDER BY h.source")


def _last_run(db: sqlite_utils.Database) -> dict[str, Any] | None:
    rows = db.execute_returning_dicts(
        "SELECT id, started_at, finished_at, status, target FROM runs ORDER BY id DESC LIMIT 1")
    return rows[0] if rows else None


def bucket_series(per_day: list[dict[str, Any]], sources: tuple[str, ...],
                  ) -> tuple[str, list[str], dict[str, list[int]]]:
    """Items (news items + articles) per bucket per source, every bucket of the span
    present (empty ones as 0). The bucket is a day, or an ISO week (its Monday) or a
    month when there would be more than MAX_BARS bars. Returns (unit, labels, series)."""
    if not per_day:
        return "day", [], {s: [] for s in sources}
    first = date.fromisoformat(per_day[0]["day"])
    last = date.fromisoformat(per_day[-1]["day"])
    span = (last - first).days + 1
    unit = "day" if span <= MAX_BARS else "week" if span <= MAX_BARS * 7 else "month"
    labels: list[str] = []
    day = first
    while day <= last:
        label = _bucket(day, unit)
        if not labels or labels[-1] != label:
            labels.append(label)
        day += timedelta(days=1)
    index = {label: i for i, label in enumerate(labels)}
    series = {s: [0] * len(labels) for s in sources}
    for row in per_day:
        if row["source"] in series:
            i = index[_bucket(date.fromisoformat(row["day"]), unit)]
            series[row["source"]][i] += (row["news_items"] or 0) + (row["articles"] or 0)
    return unit, labels, series


def _bucket(day: date, unit: str) -> str:
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    return day.isoformat()[:7]


def write_report(db: sqlite_utils.Database, out: Path, **options: Any) -> dict[str, Any]:
    """Gather, render and write the report to ``out`` atomically; returns the data."""
    from archive.report_html import render

    data = gather(db, **options)
    page = render(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)   # mkstemp's 0600 would hide the page from others
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return data
