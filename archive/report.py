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
from pathlib import Path
from typing import Any

import sqlite_utils

from archive import report_html
from archive.queries_stories import get_stories

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


def write_report(db: sqlite_utils.Database, out: Path, **options: Any) -> dict[str, Any]:
    """Gather, render and write the report to ``out`` atomically; returns the data."""
    data = gather(db, **options)
    page = report_html.render(data)
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
