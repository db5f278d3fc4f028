"""The three export formats, each streaming batches of rows into one file.

- JSONL: one object per line, UTF-8; ``tags`` and ``images`` as JSON arrays; U+2028,
  U+2029, NEL and \\x1c-\\x1e escaped, so ``splitlines()`` readers see one record a line.
- CSV: UTF-8 with a BOM (Chinese Excel guesses the encoding from it); a text cell that
  begins with ``= + - @``, tab, CR or LF gets a leading ``'`` (OWASP CSV injection).
- Parquet (pyarrow, optional extra ``export``): ``*_at`` columns as timestamps in UTC,
  ``tags``/``images`` as lists of strings, ids and counts as int64, the rest as strings.

Each writer returns ``{"rows": n, "types": {column: type}}``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

Batches = Iterator[list[tuple]]
Progress = Callable[[int], None] | None
LIST_COLUMNS = ("tags", "images")
INT_COLUMNS = ("id", "position", "news_items", "digests", "articles")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
LINE_BREAKERS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x1c\x1d\x1e\x85\u2028\u2029"})
"""Characters ``str.splitlines()`` breaks on besides \\n and \\r: escaped in JSONL, so a
reader that splits lines that way still gets one record a line (catalogue 45)."""


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _types(columns: list[str]) -> dict[str, str]:
    out = {}
    for name in columns:
        if name in LIST_COLUMNS:
            out[name] = "list<string>"
        elif name in INT_COLUMNS or (name.endswith("_id") and name != "site_id"):
            out[name] = "int64"
        elif name.endswith("_at"):
            out[name] = "timestamp[ms, tz=UTC]"
        else:
            out[name] = "string"
    return out


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
    types = {c: t.replace("timestamp[ms, tz=UTC]", "string (ISO 8601 UTC)")
             for c, t in _types(columns).items()}
    return {"rows": rows, "types": types}


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
    return {"rows": rows, "types": dict.fromkeys(columns, "text")}


def write_parquet(path: Path, columns: list[str], batches: Batches,
                  progress: Progress) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = _types(columns)
    schema = pa.schema([(c, _arrow_type(pa, types[c])) for c in columns])
    rows = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        for batch in batches:
            data = {c: [_to_arrow(types[c], row[i]) for row in batch]
                    for i, c in enumerate(columns)}
            writer.write_batch(pa.RecordBatch.from_pydict(data, schema=schema))
            rows += len(batch)
            if progress:
                progress(len(batch))
    return {"rows": rows, "types": types}


def _arrow_type(pa: Any, name: str) -> Any:
    return {"list<string>": pa.list_(pa.string()), "int64": pa.int64(),
            "timestamp[ms, tz=UTC]": pa.timestamp("ms", tz="UTC")}.get(name, pa.string())


def _to_arrow(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "list<string>":
        return _as_list(value)
    if kind == "timestamp[ms, tz=UTC]":
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    if kind == "string":
        return str(value)
    return value


def _as_list(value: Any) -> list[str] | None:
    return None if value is None else json.loads(value)


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
