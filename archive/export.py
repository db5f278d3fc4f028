"""Dataset exports: one table or view, filtered, streamed to JSONL, CSV or Parquet.

Rows stream from one cursor in batches, so memory does not grow with the archive
(bench/export.py measures it). The file is written under a temporary name in the target
folder and moved into place only when complete: a reader never sees half a dataset.
Table and column names come from the allow-list below; every user value is a bound
parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from archive import export_writers
from archive.atomic import replacing
from archive.describe import BEIJING
from archive.searchform import to_match_query

FORMATS = ("jsonl", "csv", "parquet")
BATCH = 2000


@dataclass(frozen=True)
class Exportable:
    """What can be filtered on a table: its date column, source column, FTS table."""

    date: str | None
    source: str | None
    fts: str | None = None
    calendar: bool = False
    """True when ``date`` holds Beijing calendar days (YYYY-MM-DD), not UTC instants."""


EXPORTABLE: dict[str, Exportable] = {
    "news_items": Exportable("digest_published_at", "source", "digest_items_fts"),
    "articles": Exportable("published_at", "site", "articles_fts"),
    "digests": Exportable("published_at", "site"),
    "digest_items": Exportable(None, None, "digest_items_fts"),
    "recommendations": Exportable(None, None),
    "items_per_day": Exportable("day", "source", calendar=True),
    "articles_with_story": Exportable("published_at", "site", "articles_fts"),
    "stories": Exportable("last_published_at", None),
}


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says why in one line."""


@dataclass(frozen=True)
class Filters:
    """The row filters of an export (all optional); ``since``/``until`` are a half-open
    window of UTC ``...Z`` instants (newsarchive.cli_options.to_window)."""

    since: str | None = None
    until: str | None = None
    source: str | None = None
    query: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def build_select(table: str, filters: Filters) -> tuple[str, dict[str, Any]]:
    """The SELECT for ``table`` with ``filters``; ExportError for what the table lacks."""
    spec = EXPORTABLE.get(table)
    if spec is None:
        raise ExportError(f"unknown table {table!r}; known: {', '.join(EXPORTABLE)}")
    where, params = [], {}
    if filters.since or filters.until:
        if spec.date is None:
            raise ExportError(f"{table} has no date column: --since/--until do not apply")
        if filters.since:
            where.append(f"[{spec.date}] >= :since")
            params["since"] = beijing_day(filters.since) if spec.calendar else filters.since
        if filters.until:
            where.append(f"[{spec.date}] < :until")
            params["until"] = (beijing_day(filters.until, ceil=True) if spec.calendar
                               else filters.until)
    if filters.source:
        if spec.source is None:
            raise ExportError(f"{table} has no source column: --source does not apply")
        where.append(f"[{spec.source}] = :source")
        params["source"] = filters.source
    if filters.query is not None:
        if spec.fts is None:
            raise ExportError(f"{table} is not searchable: --query works on "
                              + ", ".join(t for t, s in EXPORTABLE.items() if s.fts))
        where.append(f"id IN (SELECT rowid FROM [{spec.fts}] WHERE [{spec.fts}] MATCH :match)")
        params["match"] = to_match_query(filters.query)
    order = "id" if table != "items_per_day" else "day, source"
    sql = f"SELECT * FROM [{table}]" + (" WHERE " + " AND ".join(where) if where else "")
    return sql + f" ORDER BY {order}", params


def beijing_day(instant: str, ceil: bool = False) -> str:
    """The Beijing calendar day (YYYY-MM-DD) of a UTC ``...Z`` instant; with ``ceil``, the
    first day that starts at or after it (the open end of a window on a day column)."""
    moment = datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(BEIJING)
    day = moment.date()
    if ceil and moment.time() != time.min:
        day += timedelta(days=1)
    return day.isoformat()


def iter_batches(db: sqlite_utils.Database, sql: str, params: dict[str, Any],
                 ) -> tuple[list[str], Iterator[list[tuple]]]:
    """Column names and the rows in batches of BATCH, from one cursor."""
    cursor = db.execute(sql, params)
    columns = [d[0] for d in cursor.description]

    def batches() -> Iterator[list[tuple]]:
        while rows := cursor.fetchmany(BATCH):
            yield rows
    return columns, batches()


def count_rows(db: sqlite_utils.Database, sql: str, params: dict[str, Any]) -> int:
    """How many rows ``sql`` returns (for the progress bar)."""
    return db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def write_export(db: sqlite_utils.Database, out: Path, fmt: str, table: str,
                 filters: Filters, progress: Callable[[int], None] | None = None,
                 ) -> dict[str, Any]:
    """Write the export to ``out`` atomically; returns columns, types and row count."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    sql, params = build_select(table, filters)
    columns, batches = iter_batches(db, sql, params)
    with replacing(out) as tmp:
        result = export_writers.WRITERS[fmt](tmp, columns, batches, progress)
    return {"columns": columns, **result}
