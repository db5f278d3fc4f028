"""Which stored fields a newly parsed page would change: the heart of ``reparse``'s report.

Compares a page as ``archive.store`` would write it with the row already there,
field by field (a digest's items and recommendations count as one field each).
Many pages are compared at once: one query per table for their rows and one per
part for their digests' items and recommendations, not three per page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlite_utils

from archive.store import (
    _ARTICLE_FIELDS,
    _DIGEST_FIELDS,
    _ITEM_FIELDS,
    _REC_FIELDS,
    article_row,
    digest_row,
)

Comparison = tuple[list[str] | None, str | None]
"""(changed field names, or None without a stored row; the stored row's parser_version)."""

_IGNORED = {"parser_version"}
# The same field lists the store writes, so the diff cannot drift from the schema.
_ROW_FIELDS = {"digests": _DIGEST_FIELDS, "articles": _ARTICLE_FIELDS}
_PART_FIELDS = {"items": ("digest_items", _ITEM_FIELDS),
                "recommendations": ("recommendations", _REC_FIELDS)}


def changed_fields(db: sqlite_utils.Database, table: str,
                   page: Mapping[str, Any]) -> list[str] | None:
    """Names of the fields that differ from the stored row; None when there is no row."""
    return compare_page(db, table, page)[0]


def compare_page(db: sqlite_utils.Database, table: str, page: Mapping[str, Any]) -> Comparison:
    """(changed field names or None without a row, the stored row's parser_version)."""
    return compare_pages(db, [(table, page)])[0]


def compare_pages(db: sqlite_utils.Database,
                  pages: Sequence[tuple[str, Mapping[str, Any]]]) -> list[Comparison]:
    """``compare_page`` of each (table, page), against the rows stored now (a batch: a
    few hundred pages, each query binds one parameter per page)."""
    new = [digest_row(page) if table == "digests" else (article_row(page), {})
           for table, page in pages]
    urls: dict[str, list[str]] = {}
    for (table, _), (row, _) in zip(pages, new, strict=True):
        urls.setdefault(table, []).append(row["canonical_url"])
    stored = {table: _stored_rows(db, table, wanted) for table, wanted in urls.items()}
    parts = _stored_parts(db, [r["id"] for r in stored.get("digests", {}).values()])
    out: list[Comparison] = []
    for (table, _), (row, new_parts) in zip(pages, new, strict=True):
        old = stored[table].get(row["canonical_url"])
        if old is None:
            out.append((None, None))
            continue
        changed = [k for k, v in row.items() if k not in _IGNORED and old[k] != v]
        changed += [name for name, value in new_parts.items()
                    if parts.get((name, old["id"]), []) != value]
        out.append((changed, old["parser_version"]))
    return out


def _stored_rows(db: sqlite_utils.Database, table: str,
                 urls: list[str]) -> dict[str, dict[str, Any]]:
    """The stored rows of these canonical URLs (with their ids), keyed by canonical URL."""
    columns = ("id", *_ROW_FIELDS[table])
    rows = db.conn.execute(f"SELECT {', '.join(columns)} FROM {table} "
                           f"WHERE canonical_url IN ({', '.join('?' * len(urls))})",
                           urls).fetchall()
    found = (dict(zip(columns, r, strict=True)) for r in rows)
    return {row["canonical_url"]: row for row in found}


def _stored_parts(db: sqlite_utils.Database,
                  digest_ids: list[int]) -> dict[tuple[str, int], list[dict[str, Any]]]:
    """{(part name, digest id): its stored rows in position order} for these digests."""
    out: dict[tuple[str, int], list[dict[str, Any]]] = {}
    if not digest_ids:
        return out
    marks = ", ".join("?" * len(digest_ids))
    for name, (table, fields) in _PART_FIELDS.items():
        rows = db.conn.execute(f"SELECT digest_id, {', '.join(fields)} FROM {table} "
                               f"WHERE digest_id IN ({marks}) ORDER BY digest_id, position",
                               digest_ids).fetchall()
        for r in rows:
            out.setdefault((name, r[0]), []).append(dict(zip(fields, r[1:], strict=True)))
    return out
