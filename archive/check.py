"""``newsarchive check``: the archive and its WARC evidence agree, and SQLite is sound.

Every capture's record exists where the row says, is readable, is of the stated
type and matches its payload digest; every parsed row points at an existing
capture; SQLite's integrity_check and foreign_key_check are clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from archive.warc import WarcError, read_record

_PARSED_TABLES = ("digests", "articles")


@dataclass
class CheckReport:
    """What ``check`` looked at and what it found wrong."""

    captures: int = 0
    records_ok: int = 0
    without_record: int = 0
    """Captures stored before WARC writing existed (not a fault, reported)."""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_archive(db: sqlite_utils.Database, folder: str,
                  progress: Callable[[int], None] | None = None) -> CheckReport:
    """Check SQLite, the rows' links and every capture's WARC record."""
    report = CheckReport()
    report.problems += _sqlite_problems(db)
    report.problems += _orphan_rows(db)
    for row in _captures(db):
        report.captures += 1
        if row["warc_file"] is None:
            report.without_record += 1
        else:
            problem = _record_problem(folder, row)
            if problem:
                report.problems.append(f"capture {row['id']} ({row['url']}): {problem}")
            else:
                report.records_ok += 1
        if progress:
            progress(1)
    return report


def count_captures(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM captures").fetchone()[0]


def _sqlite_problems(db: sqlite_utils.Database) -> list[str]:
    problems = [f"integrity_check: {r[0]}" for r in db.execute("PRAGMA integrity_check")
                if r[0] != "ok"]
    for table, rowid, parent, _fk in db.execute("PRAGMA foreign_key_check"):
        problems.append(f"{table} row {rowid} points at a missing {parent} row")
    return problems


def _orphan_rows(db: sqlite_utils.Database) -> list[str]:
    return [f"{table} row {row_id} has no capture"
            for table in _PARSED_TABLES
            for (row_id,) in db.execute(f"SELECT id FROM {table} WHERE capture_id IS NULL")]


def _captures(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    cursor = db.execute("SELECT id, url, warc_file, warc_offset, warc_length, warc_digest, "
                        "warc_type FROM captures ORDER BY warc_file, warc_offset")
    columns = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(500):
        for values in batch:
            yield dict(zip(columns, values, strict=True))


def _record_problem(folder: str, row: dict[str, Any]) -> str | None:
    try:
        record = read_record(folder, row["warc_file"], row["warc_offset"], row["warc_length"])
    except WarcError as exc:
        return str(exc)
    if record.type != row["warc_type"]:
        return f"the record is a {record.type}, the row says {row['warc_type']}"
    claimed = record.warc_headers.get("WARC-Payload-Digest")
    if row["warc_digest"] and claimed != row["warc_digest"]:
        return f"payload digest {claimed} differs from the row's {row['warc_digest']}"
    if not record.raw_digest_ok:
        return "the payload does not match its WARC-Payload-Digest"
    return None
