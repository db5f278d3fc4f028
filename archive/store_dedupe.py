"""What dedupe adds to saving a page: URL aliases, article versions, story membership.

Called by archive.store inside the page's write transaction, so a page, its aliases,
its version and its story membership commit together or not at all.

- Every spelling a page was reached by (requested URL, final URL after redirects, the
  link a digest wrote) is a ``url_aliases`` row pointing at the canonical URL.
- An article's every distinct content is an ``article_versions`` row: a changed body is a
  new version, the ``articles`` row shows the newest; an identical re-capture adds nothing.
- Articles and digest items that carry dedupe keys (the dedupe pipeline's content units
  and facts) are placed in a story (archive.stories) and get its ``story_id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils

from archive import stories
from archive.rows import insert_row, update_row
from archive.signature import text_sha256
from archive.story_keys import content_hash


def save_aliases(db: sqlite_utils.Database, pairs: Iterable[tuple[str | None, str | None]],
                 seen_at: str) -> None:
    """Record (url, canonical_url) pairs; the first sighting of a spelling is kept."""
    rows = [(url, canon, seen_at) for url, canon in pairs if url and canon]
    db.conn.executemany("INSERT OR IGNORE INTO url_aliases (url, canonical_url, first_seen_at) "
                   "VALUES (?, ?, ?)", rows)


def page_aliases(page: Mapping[str, Any]) -> list[tuple[str | None, str | None]]:
    """The spellings of a digest or article page: its URL, its capture's URLs, itself."""
    canon = page["canonical_url"]
    capture = page.get("capture") or {}
    return [(canon, canon), (page.get("url"), canon), (capture.get("url"), canon),
            (capture.get("final_url"), canon)]


def after_article(db: sqlite_utils.Database, article_id: int, outcome: str,
                  article: Mapping[str, Any], capture_id: int) -> None:
    """Aliases always; a version and a story placement when the content is new or changed."""
    seen = article["capture"]["fetched_at"]
    save_aliases(db, page_aliases(article), seen)
    if outcome == "unchanged":
        return
    row = dict(zip(("content_sha256", "title", "text", "published_at"), db.conn.execute(
        "SELECT content_sha256, title, text, published_at FROM articles WHERE id = ?",
        [article_id]).fetchone(), strict=True))
    latest = db.execute("SELECT id, version, capture_id FROM article_versions "
                        "WHERE article_id = ? ORDER BY version DESC LIMIT 1",
                        [article_id]).fetchone()
    digest = text_sha256(article["text"])
    fields = {
        "article_id": article_id, "capture_id": capture_id,
        "content_sha256": row["content_sha256"], "text_sha256": digest,
        "body_sha256": article["capture"].get("body_sha256"), "title": row["title"],
        "text": row["text"], "published_at": row["published_at"], "first_seen_at": seen,
    }
    if latest is not None and latest[2] == capture_id:
        # The same capture read again (``reparse`` with a better parser): a correction
        # of that version, not a new one.
        version = latest[1]
        update_row(db, "article_versions", latest[0], fields)
    else:
        version = (latest[1] if latest else 0) + 1
        insert_row(db, "article_versions", {**fields, "version": version})
    update: dict[str, Any] = {"version": version, "text_sha256": digest}
    keys = article.get("dedupe")
    if keys:
        update["story_id"] = stories.place(db, story_member(
            "article", article_id, keys, article["site"], article["canonical_url"],
            article["title"], article.get("published_at")))
    update_row(db, "articles", article_id, update)


def before_digest_parts(db: sqlite_utils.Database, digest_id: int) -> None:
    """Take a digest's items out of their stories before the items are replaced."""
    ids = [r[0] for r in db.execute("SELECT id FROM digest_items WHERE digest_id = ?",
                                    [digest_id])]
    stories.forget(db, "digest_item", ids)


def after_digest_parts(db: sqlite_utils.Database, digest_id: int,
                       digest: Mapping[str, Any]) -> None:
    """Hash and place the digest's (new) items; record the spellings of its links."""
    seen = digest["capture"]["fetched_at"]
    save_aliases(db, [(r.get("url"), r.get("canonical_url"))
                      for r in digest.get("recommendations", ())], seen)
    for item in digest.get("items", ()):
        item_id = db.execute("SELECT id FROM digest_items WHERE digest_id = ? AND position = ?",
                             [digest_id, item["position"]]).fetchone()[0]
        update: dict[str, Any] = {"text_sha256": text_sha256(item["text"])}
        if item.get("dedupe"):
            update["story_id"] = stories.place(db, story_member(
                "digest_item", item_id, item["dedupe"], digest["site"],
                f"{digest['canonical_url']}#item-{item['position']}", item["headline"],
                digest.get("published_at")))
        update_row(db, "digest_items", item_id, update)


def story_member(kind: str, row_id: int, keys: Mapping[str, Any], site: str, url: str,
                 headline: str, published_at: str | None) -> dict[str, Any]:
    """The member archive.stories.place takes, from a row's facts and its dedupe keys."""
    body = keys.get("body") or ""
    return {"kind": kind, "row_id": row_id, "site": site, "url": url, "headline": headline,
            "published_at": published_at, "body": body, "dup": content_hash(body),
            "figures": tuple(keys.get("figures") or ()), "names": tuple(keys.get("names") or ())}
