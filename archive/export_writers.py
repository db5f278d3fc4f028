"""The three export formats, each streaming batches of rows into one file.

- JSONL: one object per line, UTF-8; ``tags`` and ``images`` as JSON arrays; U+2028,
  U+2029, NEL and \\x1c-\\x1e escaped, so ``splitlines()`` readers see one record a line.
- CSV: UTF-8 with a BOM (Chinese Excel guesses the encoding from it); a text cell that
  begins with ``= + - @``, tab, CR or LF gets a leading ``'`` (OWASP CSV injection).
- Parquet (pyarrow, optional extra ``export``): every column typed as archive.describe
  declares it: integers as int64, calendar days (digest_date, event_date, day) as date32,
  ``*_at`` as timestamps in UTC, ``tags``/``images`` as lists of strings, the rest strings.

Each writer returns ``{"rows": n, "types": {column: type}}``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from archive.describe import BEIJING, column_type

Batches = Iterator[list[tuple]]
Progress = Callable[[int], None] | None
LIST_COLUMNS = ("tags", "images")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
LINE_BREAKERS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x1c\x1d\x1e\x85\u2028\u2029"})
"""Characters ``str.splitlines()`` breaks on besides \\n and \\r: escaped in JSONL, so a
reader that splits lines that way still gets one record a line (catalogue 45)."""


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


FORMAT_TYPES = {
    "jsonl": {"integer": "integer", "date": "string (YYYY-MM-DD)",
              "timestamp": "string (ISO 8601 UTC)", "list": "list<string>", "text": "string"},
    "csv": {"integer": "integer", "date": "date (YYYY-MM-DD)",
            "timestamp": "timestamp (ISO 8601 UTC)", "list": "text (JSON array)",
            "text": "text"},
    "parquet": {"integer": "int64", "date": "date32", "timestamp": "timestamp[ms, tz=UTC]",
                "list": "list<string>", "text": "string"},
}
"""How each declared type (archive.describe.column_type) is written in each format."""


def _types(columns: list[str], fmt: str) -> dict[str, str]:
    return {name: FORMAT_TYPES[fmt][column_type(name)] for name in columns}


def write_jsonl(path: Path, columns: list[str], batches: Batches, progress: Progress) -> dict:
    lists = [i for i, c in enumerate(columns) if c in LIST_COLUMNS]
    rows = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for batch in batches:
            for row in batch:
                record = dict(zip(columns, row, strict=True))
                for i in lists:
                    record[columns[i]] = _as_list(row[i])
                fh.write(json.dumps(record, ensure_ascii=False).translate(LINE_BREAKERS) + "\n")
            rows += len(batch)
            if progress:
                progress(len(batch))
    return {"rows": rows, "types": _types(columns, "jsonl")}


def write_csv(path: Path, columns: list[str], batches: Batches, progress: Progress) -> dict:
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for batch in batches:
            writer.writerows([neutralise(v) for v in row] for row in batch)
            rows += len(batch)
            if progress:
                progress(len(batch))
    return {"rows": rows, "types": _types(columns, "csv")}


def write_parquet(path: Path, columns: list[str], batches: Batches,
                  progress: Progress) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {c: column_type(c) for c in columns}
    schema = pa.schema([(c, _arrow_type(pa, kinds[c])) for c in columns])
    rows = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for batch in batches:
            data = {c: [_to_arrow(kinds[c], row[i]) for row in batch]
                    for i, c in enumerate(columns)}
            writer.write_batch(pa.RecordBatch.from_pydict(data, schema=schema))
            rows += len(batch)
            if progress:
                progress(len(batch))
    return {"rows": rows, "types": _types(columns, "parquet")}


def _arrow_type(pa: Any, kind: str) -> Any:
    return {"list": pa.list_(pa.string()), "integer": pa.int64(), "date": pa.date32(),
            "timestamp": pa.timestamp("ms", tz="UTC")}.get(kind, pa.string())


def _to_arrow(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "list":
        return _as_list(value)
    if kind == "timestamp":
        return to_instant(value)
    if kind == "date":
        return date.fromisoformat(value if len(value) == 10 else value[:7] + "-01")
    if kind == "integer":
        return int(value)
    return str(value)


def to_instant(value: str) -> datetime:
    """An ISO ``...Z`` time as an aware datetime; a day (YYYY-MM-DD) or month (YYYY-MM)
    value is its first instant in Beijing time, the sites' zone."""
    if len(value) <= 10:
        day = date.fromisoformat(value if len(value) == 10 else value + "-01")
        return datetime.combine(day, time.min, BEIJING)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _as_list(value: Any) -> list[str] | None:
    return None if value is None else json.loads(value)


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
