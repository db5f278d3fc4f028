"""save_* functions: idempotent upserts on natural identities, one transaction each.

Inputs are plain mappings (``dataclasses.asdict`` of crawler.items), so this
library knows nothing of Scrapy or the crawler. A page is saved whole: its
capture and everything read from it commit together or not at all.

Identities: a capture is (url, status, body sha256, error kind); a digest or an
article is its canonical URL; a digest's items and recommendations are
(digest, position). Saving the same page twice changes no row count: the second
save only moves ``last_seen_at``. URL aliases, article versions and story
membership are written in the same transaction (archive.store_dedupe).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

import sqlite_utils

from archive import search, store_dedupe
from archive.rows import insert_row, insert_rows, update_row
from archive.tx import write_transaction

Outcome = Literal["new", "changed", "unchanged"]

_CAPTURE_UPSERT = """
INSERT INTO captures (run_id, last_run_id, url, final_url, site, status, fetched_at,
    last_seen_at, seen_count, content_type, body_sha256, body_length, page_kind,
    error_kind, error, warc_file, warc_offset, warc_length, warc_digest, warc_type, via)
VALUES (:run_id, :run_id, :url, :final_url, :site, :status, :fetched_at, :fetched_at, 1,
    :content_type, :body_sha256, :body_length, :page_kind, :error_kind, :error,
    :warc_file, :warc_offset, :warc_length, :warc_digest, :warc_type, :via)
ON CONFLICT (url, ifnull(status, -1), ifnull(body_sha256, ''), ifnull(error_kind, ''))
DO UPDATE SET last_seen_at = max(captures.last_seen_at, excluded.last_seen_at),
    -- an archive's captures arrive in any order: the row keeps the earliest capture time
    fetched_at = min(captures.fetched_at, excluded.fetched_at),
    via = CASE WHEN excluded.fetched_at < captures.fetched_at THEN excluded.via
               ELSE captures.via END,
    last_run_id = excluded.last_run_id,
    seen_count = captures.seen_count + 1, final_url = excluded.final_url,
    page_kind = excluded.page_kind, error = excluded.error,
    -- the first full record of this outcome stays the evidence; a capture stored
    -- before WARC writing existed gets the record of its re-fetch
    warc_file = ifnull(captures.warc_file, excluded.warc_file),
    warc_offset = ifnull(captures.warc_offset, excluded.warc_offset),
    warc_length = ifnull(captures.warc_length, excluded.warc_length),
    warc_digest = ifnull(captures.warc_digest, excluded.warc_digest),
    warc_type = ifnull(captures.warc_type, excluded.warc_type)
RETURNING id
"""
_CAPTURE_FIELDS = ("url", "final_url", "site", "status", "fetched_at", "content_type",
                   "body_sha256", "body_length", "page_kind", "error_kind", "error",
                   "warc_file", "warc_offset", "warc_length", "warc_digest", "warc_type")
_PUBLISHED = ("published_raw", "published_at", "published_precision", "published_source",
              "published_reason")
_DIGEST_FIELDS = ("canonical_url", "url", "site", "title", *_PUBLISHED, "summary",
                  "parser_version")
_ARTICLE_FIELDS = ("canonical_url", "url", "site", "site_id", "title", "author",
                   *_PUBLISHED, "summary", "text", "tags", "images", "parser_version",
                   "title_source", "text_source", "author_source")
_ITEM_FIELDS = ("position", "headline", "event_date", "event_date_raw", "event_date_precision",
                "event_date_source", "event_date_reason", "text", "attribution")
_REC_FIELDS = ("position", "title", "blurb", "url", "canonical_url")


def save_capture(db: sqlite_utils.Database, capture: Mapping[str, Any],
                 run_id: int | None = None) -> int:
    """Record one fetch (or failed fetch) on its own; returns the capture's id."""
    with write_transaction(db):
        return _upsert_capture(db, capture, run_id)


def save_digest(db: sqlite_utils.Database, digest: Mapping[str, Any],
                run_id: int | None = None, capture_id: int | None = None,
                ) -> tuple[int, Outcome]:
    """Save a digest with its capture, items, recommendations and links, all or nothing.

    With ``capture_id`` the capture row exists already and is left as it is.
    """
    with write_transaction(db):
        if capture_id is None:
            capture_id = _upsert_capture(db, digest["capture"], run_id)
        row, parts = digest_row(digest)
        digest_id, outcome = _upsert_page(db, "digests", row, parts, digest["capture"],
                                          capture_id)
        store_dedupe.save_aliases(db, store_dedupe.page_aliases(digest),
                                  digest["capture"]["fetched_at"])
        if outcome != "unchanged":
            store_dedupe.before_digest_parts(db, digest_id)
            _replace_digest_parts(db, digest_id, parts)
            store_dedupe.after_digest_parts(db, digest_id, digest)
            search.index_digest(db, digest_id)
        return digest_id, outcome


def save_article(db: sqlite_utils.Database, article: Mapping[str, Any],
                 run_id: int | None = None, capture_id: int | None = None,
                 ) -> tuple[int, Outcome]:
    """Save an article with its capture, and resolve digest links that point at it.

    With ``capture_id`` the capture row exists already and is left as it is.
    """
    with write_transaction(db):
        if capture_id is None:
            capture_id = _upsert_capture(db, article["capture"], run_id)
        row = article_row(article)
        article_id, outcome = _upsert_page(db, "articles", row, {}, article["capture"],
                                           capture_id)
        if outcome != "unchanged":
            search.index_article(db, article_id)
        db.execute("UPDATE digest_links SET article_id = ? "
                   "WHERE canonical_url = ? AND article_id IS NOT ?",
                   [article_id, row["canonical_url"], article_id])
        store_dedupe.after_article(db, article_id, outcome, article, capture_id)
        return article_id, outcome


def digest_row(digest: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list]]:
    """The digests row and its parts (items, recommendations) as they are stored."""
    row = {k: digest.get(k) for k in _DIGEST_FIELDS}
    parts = {"items": [_pick(i, _ITEM_FIELDS) for i in digest.get("items", ())],
             "recommendations": [_pick(r, _REC_FIELDS)
                                 for r in digest.get("recommendations", ())]}
    return row, parts


def article_row(article: Mapping[str, Any]) -> dict[str, Any]:
    """The articles row as it is stored (tags and images as JSON lists)."""
    row = {k: article.get(k) for k in _ARTICLE_FIELDS}
    row["tags"] = _json_list(row["tags"])
    row["images"] = _json_list(row["images"])
    return row


def _upsert_capture(db: sqlite_utils.Database, capture: Mapping[str, Any],
                    run_id: int | None) -> int:
    params = {k: capture.get(k) for k in _CAPTURE_FIELDS}
    params["run_id"] = run_id
    params["via"] = capture.get("via") or "live"
    return db.execute(_CAPTURE_UPSERT, params).fetchone()[0]


def _upsert_page(db: sqlite_utils.Database, table: str, row: dict[str, Any],
                 parts: Mapping[str, Any], capture: Mapping[str, Any],
                 capture_id: int) -> tuple[int, Outcome]:
    """Insert or update one digest/article row keyed on canonical_url."""
    row["content_sha256"] = _content_sha256(row, parts)
    seen = capture["fetched_at"]
    found = db.execute(f"SELECT id, content_sha256 FROM {table} WHERE canonical_url = ?",
                       [row["canonical_url"]]).fetchone()
    if found is None:
        row.update(capture_id=capture_id, first_seen_at=seen, last_seen_at=seen)
        return insert_row(db, table, row), "new"
    page_id, old_sha = found
    if old_sha == row["content_sha256"]:
        update_row(db, table, page_id, {"last_seen_at": seen, "capture_id": capture_id,
                                        "parser_version": row.get("parser_version")})
        return page_id, "unchanged"
    row.update(capture_id=capture_id, last_seen_at=seen)
    update_row(db, table, page_id, row)
    return page_id, "changed"


def _replace_digest_parts(db: sqlite_utils.Database, digest_id: int,
                          parts: Mapping[str, list[dict[str, Any]]]) -> None:
    for table in ("digest_links", "recommendations", "digest_items"):
        db.execute(f"DELETE FROM {table} WHERE digest_id = ?", [digest_id])
    insert_rows(db, "digest_items", [{**i, "digest_id": digest_id} for i in parts["items"]])
    for rec in parts["recommendations"]:
        rec_id = insert_row(db, "recommendations", {**rec, "digest_id": digest_id})
        if rec["canonical_url"]:
            db.execute(
                "INSERT OR IGNORE INTO digest_links "
                "(digest_id, recommendation_id, canonical_url, article_id) "
                "VALUES (?, ?, ?, (SELECT id FROM articles WHERE canonical_url = ?))",
                [digest_id, rec_id, rec["canonical_url"], rec["canonical_url"]])


def _pick(part: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: part.get(k) for k in fields}


def _json_list(values: Any) -> str:
    return json.dumps(list(values or ()), ensure_ascii=False)


def _content_sha256(row: Mapping[str, Any], parts: Mapping[str, Any]) -> str:
    """sha256 of what the page says (not when it was seen, nor which parser version
    read it): equal means nothing changed."""
    content = {k: v for k, v in row.items()
               if k not in ("url", "content_sha256", "parser_version")}
    blob = json.dumps([content, parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def forget_content_hash(db: sqlite_utils.Database, table: str, canonical_url: str) -> None:
    """Clear a page's content_sha256 (its values no longer match it): the next store
    writes the row whole and stores the hash of what it wrote."""
    if table not in ("digests", "articles"):
        raise ValueError(f"no content hash in {table}")
    db.execute(f"UPDATE {table} SET content_sha256 = NULL WHERE canonical_url = ?",
               [canonical_url])


def save_run_start(db: sqlite_utils.Database, *, started_at: str, spiders: str,
                   target: str) -> int:
    """Open a ``runs`` row with status 'running'; returns its id."""
    with write_transaction(db):
        return db["runs"].insert({"started_at": started_at, "status": "running",
                                  "spiders": spiders, "target": target}).last_pk


def save_run_end(db: sqlite_utils.Database, run_id: int, *, finished_at: str, status: str,
                 requests: int, errors: int, stats: Mapping[str, Any]) -> None:
    """Close a run: its status, counts, and Scrapy's stats as JSON."""
    with write_transaction(db):
        captures = db.execute("SELECT count(*) FROM captures WHERE last_run_id = ?",
                              [run_id]).fetchone()[0]
        db["runs"].update(run_id, {
            "finished_at": finished_at, "status": status, "requests": requests,
            "captures": captures, "errors": errors,
            "stats": json.dumps(stats, ensure_ascii=False, sort_keys=True, default=str),
        })


def set_capture_reading(db: sqlite_utils.Database, capture_id: int, page_kind: str) -> None:
    """Mark a capture as read (``reparse`` read a page an older parser could not)."""
    with write_transaction(db):
        db.execute("UPDATE captures SET page_kind = ?, error_kind = NULL, error = NULL "
                   "WHERE id = ?", [page_kind, capture_id])
