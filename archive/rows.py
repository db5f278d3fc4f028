"""Plain INSERT and UPDATE of one row, for the write paths a crawl runs per page.

sqlite-utils' ``table.insert()`` / ``table.update()`` introspect the table, convert every
value and (update) read the row back first: in a profiled crawl that bookkeeping cost as
much as the SQL. These take the row as the archive stores it (str, int, float, bytes or
None values; lists already JSON) and run one statement. Column names come from our own
code, never from input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils


def insert_row(db: sqlite_utils.Database, table: str, row: Mapping[str, Any]) -> int:
    """INSERT one row; returns its rowid."""
    columns = ", ".join(f"[{c}]" for c in row)
    marks = ", ".join("?" for _ in row)
    return db.conn.execute(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})",
                           list(row.values())).lastrowid


def insert_rows(db: sqlite_utils.Database, table: str, rows: list[Mapping[str, Any]]) -> None:
    """INSERT rows that all have the same keys, in one executemany."""
    if not rows:
        return
    keys = list(rows[0])
    columns = ", ".join(f"[{c}]" for c in keys)
    marks = ", ".join("?" for _ in keys)
    db.conn.executemany(f"INSERT INTO [{table}] ({columns}) VALUES ({marks})",
                        [[r[k] for k in keys] for r in rows])


def update_row(db: sqlite_utils.Database, table: str, row_id: int,
               values: Mapping[str, Any]) -> None:
    """UPDATE the columns of ``values`` in the row whose id is ``row_id``."""
    if not values:
        return
    sets = ", ".join(f"[{c}] = ?" for c in values)
    db.conn.execute(f"UPDATE [{table}] SET {sets} WHERE id = ?", [*values.values(), row_id])
