"""Which stored fields a newly parsed page would change: the heart of ``reparse``'s report.

Compares a page as ``archive.store`` would write it with the row already there,
field by field (a digest's items and recommendations count as one field each).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlite_utils

from archive.store import _ITEM_FIELDS, _REC_FIELDS, article_row, digest_row

_IGNORED = {"parser_version"}
# The same field lists the store writes, so the diff cannot drift from the schema.
_PART_FIELDS = {"items": ("digest_items", _ITEM_FIELDS),
                "recommendations": ("recommendations", _REC_FIELDS)}


def changed_fields(db: sqlite_utils.Database, table: str,
                   page: Mapping[str, Any]) -> list[str] | None:
    """Names of the fields that differ from the stored row; None when there is no row."""
    return compare_page(db, table, page)[0]


def compare_page(db: sqlite_utils.Database, table: str,
                 page: Mapping[str, Any]) -> tuple[list[str] | None, str | None]:
    """(changed field names or None without a row, the stored row's parser_version)."""
    if table == "digests":
        row, parts = digest_row(page)
    else:
        row, parts = article_row(page), {}
    cursor = db.conn.execute(f"SELECT * FROM {table} WHERE canonical_url = ?",
                             [row["canonical_url"]])
    stored = cursor.fetchone()
    if stored is None:
        return None, None
    old = dict(zip([d[0] for d in cursor.description], stored, strict=True))
    changed = [k for k, v in row.items() if k not in _IGNORED and old.get(k) != v]
    for name, new_parts in parts.items():
        if _stored_parts(db, name, old["id"]) != new_parts:
            changed.append(name)
    return changed, old.get("parser_version")


def _stored_parts(db: sqlite_utils.Database, name: str, digest_id: int) -> list[dict]:
    table, fields = _PART_FIELDS[name]
    rows = db.conn.execute(f"SELECT {', '.join(fields)} FROM {table} WHERE digest_id = ? "
                      "ORDER BY position", [digest_id]).fetchall()
    return [dict(zip(fields, r, strict=True)) for r in rows]
