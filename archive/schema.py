"""The archive's schema as migrations: one named function per change.

A released migration is never edited; a change is a new function appended to
MIGRATIONS. ``_migrations`` records which ones ran, so opening an old archive
brings it up to date and opening a current one does nothing.
The README documents every table and column.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from archive import search
from archive.tx import write_transaction

APPLICATION_ID = 0x4E575341
"""``PRAGMA application_id`` of a newsarchive archive ("NWSA"): archive.db refuses another
SQLite file instead of adding our tables to it."""


def m001_initial(db: sqlite_utils.Database) -> None:
    """runs, captures, digests and their parts, articles, digest->article links."""
    db["runs"].create({
        "id": int, "started_at": str, "finished_at": str, "status": str,
        "spiders": str, "target": str, "requests": int, "captures": int,
        "errors": int, "stats": str,
    }, pk="id", not_null={"started_at", "status"})
    db["captures"].create({
        "id": int, "run_id": int, "last_run_id": int, "url": str, "final_url": str,
        "site": str, "status": int, "fetched_at": str, "last_seen_at": str,
        "seen_count": int, "content_type": str, "body_sha256": str, "body_length": int,
        "page_kind": str, "error_kind": str, "error": str,
    }, pk="id", not_null={"url", "final_url", "fetched_at", "last_seen_at"},
        defaults={"seen_count": 1},
        foreign_keys=[("run_id", "runs", "id"), ("last_run_id", "runs", "id")])
    # One row per distinct outcome of fetching a URL: an identical re-fetch only
    # bumps last_seen_at / seen_count. NULLs are folded so they compare equal.
    db.execute(
        "CREATE UNIQUE INDEX captures_identity ON captures("
        "url, ifnull(status, -1), ifnull(body_sha256, ''), ifnull(error_kind, ''))"
    )
    _create_content_tables(db)


def _create_content_tables(db: sqlite_utils.Database) -> None:
    common = {"capture_id": int, "first_seen_at": str, "last_seen_at": str,
              "content_sha256": str}
    db["digests"].create({
        "id": int, "canonical_url": str, "url": str, "site": str, "title": str,
        "published_raw": str, "published_at": str, "summary": str, **common,
    }, pk="id", not_null={"canonical_url", "url", "site", "title"},
        foreign_keys=[("capture_id", "captures", "id")])
    db["digests"].create_index(["canonical_url"], unique=True)
    db["digest_items"].create({
        "id": int, "digest_id": int, "position": int, "headline": str,
        "event_date": str, "event_date_raw": str, "text": str, "attribution": str,
    }, pk="id", not_null={"digest_id", "position", "headline", "text"},
        foreign_keys=[("digest_id", "digests", "id")])
    db["digest_items"].create_index(["digest_id", "position"], unique=True)
    db["recommendations"].create({
        "id": int, "digest_id": int, "position": int, "title": str, "blurb": str,
        "url": str, "canonical_url": str,
    }, pk="id", not_null={"digest_id", "position", "title"},
        foreign_keys=[("digest_id", "digests", "id")])
    db["recommendations"].create_index(["digest_id", "position"], unique=True)
    db["articles"].create({
        "id": int, "canonical_url": str, "url": str, "site": str, "site_id": str,
        "title": str, "author": str, "published_raw": str, "published_at": str,
        "summary": str, "text": str, "tags": str, "images": str, **common,
    }, pk="id", not_null={"canonical_url", "url", "site", "title", "text"},
        foreign_keys=[("capture_id", "captures", "id")])
    db["articles"].create_index(["canonical_url"], unique=True)
    db["articles"].create_index(["published_at"])
    db["digest_links"].create({
        "id": int, "digest_id": int, "recommendation_id": int, "canonical_url": str,
        "article_id": int,
    }, pk="id", not_null={"digest_id", "canonical_url"},
        foreign_keys=[("digest_id", "digests", "id"),
                      ("recommendation_id", "recommendations", "id"),
                      ("article_id", "articles", "id")])
    db["digest_links"].create_index(["digest_id", "canonical_url"], unique=True)
    db["digest_links"].create_index(["canonical_url"])


def m002_date_provenance(db: sqlite_utils.Database) -> None:
    """Beside every date: how precise it is, where it was read, why it is null.

    digests/articles.published_{precision,source,reason} and
    digest_items.event_date_{precision,source,reason} (``*_raw`` existed since m001).
    """
    for table, prefix in (("digests", "published"), ("articles", "published"),
                          ("digest_items", "event_date")):
        for suffix in ("precision", "source", "reason"):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {prefix}_{suffix} TEXT")


def m004_dedupe(db: sqlite_utils.Database) -> None:
    """URL aliases, article versions, text hashes, story ids and the story index."""
    db["url_aliases"].create({
        "url": str, "canonical_url": str, "first_seen_at": str,
    }, pk="url", not_null={"canonical_url"})
    db["url_aliases"].create_index(["canonical_url"])
    db["article_versions"].create({
        "id": int, "article_id": int, "version": int, "capture_id": int,
        "content_sha256": str, "text_sha256": str, "body_sha256": str, "title": str,
        "text": str, "published_at": str, "first_seen_at": str,
    }, pk="id", not_null={"article_id", "version", "content_sha256"},
        foreign_keys=[("article_id", "articles", "id"), ("capture_id", "captures", "id")])
    db["article_versions"].create_index(["article_id", "version"], unique=True)
    db["articles"].add_column("text_sha256", str)
    db["articles"].add_column("version", int)
    db["digest_items"].add_column("text_sha256", str)
    _create_story_tables(db)
    db["articles"].add_column("story_id", int)
    db["digest_items"].add_column("story_id", int)
    db["articles"].create_index(["story_id"])
    db["digest_items"].create_index(["story_id"])
    _create_story_view(db)


def _create_story_tables(db: sqlite_utils.Database) -> None:
    db["stories"].create({
        "id": int, "first_published_at": str, "first_kind": str, "first_row_id": int,
        "first_site": str, "first_url": str, "headline": str, "appearances": int,
        "sources": int, "last_published_at": str,
    }, pk="id")
    db["stories"].create_index(["appearances"])
    db["stories"].create_index(["last_published_at"])
    # One row per clustered article or digest item: its MinHash signature and the
    # facts the stories table aggregates. kind is 'article' or 'digest_item'.
    db["story_members"].create({
        "kind": str, "row_id": int, "story_id": int, "site": str, "url": str,
        "headline": str, "published_at": str, "minhash": bytes, "numbers": str,
        "truncated": int,
    }, pk=("kind", "row_id"), not_null={"story_id", "minhash"},
        foreign_keys=[("story_id", "stories", "id")])
    db["story_members"].create_index(["story_id"])
    # The LSH index, stored: one row per (band hash, member). A lookup is one B-tree
    # probe per band, so placing an item costs the same at 10k and at 1M members.
    db.execute("CREATE TABLE story_bands (band_key INTEGER NOT NULL, kind TEXT NOT NULL, "
               "row_id INTEGER NOT NULL, PRIMARY KEY (band_key, kind, row_id)) WITHOUT ROWID")


def _create_story_view(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE VIEW story_appearances AS
        SELECT s.id AS story_id, s.headline AS story_headline, s.appearances, s.sources,
               m.published_at, m.site, m.kind, m.url, m.headline,
               row_number() OVER (PARTITION BY s.id
                                  ORDER BY m.published_at IS NULL, m.published_at,
                                           m.kind, m.row_id) AS rank
        FROM stories s JOIN story_members m ON m.story_id = s.id
        ORDER BY s.id, rank""")


_NEWS_ITEMS_VIEW = """
CREATE VIEW news_items AS
SELECT i.id AS id, d.site AS source, date(d.published_at, '+8 hours') AS digest_date,
    d.published_at AS digest_published_at, i.position AS position,
    i.event_date AS event_date, i.attribution AS attribution, i.headline AS headline,
    i.text AS text, d.title AS digest_title, d.canonical_url AS digest_url,
    i.digest_id AS digest_id
FROM digest_items i JOIN digests d ON d.id = i.digest_id
"""
_ITEMS_PER_DAY_VIEW = """
CREATE VIEW items_per_day AS
SELECT day, source, sum(kind = 'item') AS news_items, sum(kind = 'digest') AS digests,
    sum(kind = 'article') AS articles
FROM (
    SELECT date(d.published_at, '+8 hours') AS day, d.site AS source, 'item' AS kind
    FROM digest_items i JOIN digests d ON d.id = i.digest_id
    UNION ALL SELECT date(published_at, '+8 hours'), site, 'digest' FROM digests
    UNION ALL SELECT date(published_at, '+8 hours'), site, 'article' FROM articles
)
GROUP BY day, source
"""


def m006_search(db: sqlite_utils.Database) -> None:
    """Chinese full-text index (archive.search) filled from existing rows; analysts' views.

    news_items: each digest item with its digest's source and Beijing calendar date;
    items_per_day: news items, digests and articles per Beijing day per source.
    """
    search.create_index(db)
    search.rebuild(db)
    db.execute(_NEWS_ITEMS_VIEW)
    db.execute(_ITEMS_PER_DAY_VIEW)


_ARTICLES_WITH_STORY_VIEW = """
CREATE VIEW articles_with_story AS
SELECT a.id AS id, a.site AS site, a.published_at AS published_at, a.title AS title,
    a.author AS author, a.canonical_url AS canonical_url, a.story_id AS story_id,
    s.headline AS story_headline, s.appearances AS story_appearances,
    s.sources AS story_sources, s.first_published_at AS story_first_published_at,
    s.first_site AS story_first_site, s.first_url AS story_first_url,
    (s.first_kind = 'article' AND s.first_row_id = a.id) AS first_reporter
FROM articles a LEFT JOIN stories s ON s.id = a.story_id
"""


def m008_story_views(db: sqlite_utils.Database) -> None:
    """articles_with_story: every article beside its story (near-duplicate cluster).

    Story columns are null for an article not clustered yet; first_reporter is 1 when
    the article is its story's first appearance.
    """
    db.execute(_ARTICLES_WITH_STORY_VIEW)


def m005_cron(db: sqlite_utils.Database) -> None:
    """Cron-grade runs: run health columns, per-source health, listing marks, validators."""
    for column, kind in (("mode", str), ("new_rows", str), ("error_kinds", str),
                         ("exit_code", int), ("message", str)):
        db["runs"].add_column(column, kind)
    db["source_health"].create({
        "id": int, "run_id": int, "source": str, "state": str, "detail": str,
        "requests": int, "status_mix": str, "new_items": int, "pages": int,
        "parse_failures": int, "parse_failure_share": float, "null_shares": str,
        "blocked": int, "last_new_at": str, "hours_since_new": float,
    }, pk="id", not_null={"run_id", "source", "state"},
        foreign_keys=[("run_id", "runs", "id")])
    db["source_health"].create_index(["run_id", "source"], unique=True)
    # The high-water mark of each listing: the newest entry of its last complete walk.
    db["listing_marks"].create({
        "listing": str, "source": str, "high_water_at": str, "run_id": int,
        "updated_at": str,
    }, pk="listing", not_null={"source", "updated_at"})
    # HTTP validators of archived pages, for conditional re-checks.
    db["page_validators"].create({
        "url": str, "etag": str, "last_modified": str, "updated_at": str,
    }, pk="url", not_null={"updated_at"})


def m003_warc(db: sqlite_utils.Database) -> None:
    """Captures point at their WARC record; parsed rows name the parser version."""
    for column in ("warc_file", "warc_digest", "warc_type"):
        db["captures"].add_column(column, str)
    for column in ("warc_offset", "warc_length"):
        db["captures"].add_column(column, int)
    db["captures"].create_index(["warc_digest"])
    for table in ("digests", "articles"):
        db[table].add_column("parser_version", str)


def m007_story_leads(db: sqlite_utils.Database) -> None:
    """Story members keep their signed lead, so candidates are verified on their text."""
    db["story_members"].add_column("lead", str)


def m_issue17_field_sources(db: sqlite_utils.Database) -> None:
    """Articles say which extractor gave their title, text and author (site rule, h1,
    og:title, generic...), as published_source does for the date."""
    for column in ("title_source", "text_source", "author_source"):
        db["articles"].add_column(column, str)


def m_issue19_capture_via(db: sqlite_utils.Database) -> None:
    """captures.via: where a capture came from: live (crawled), wayback, commoncrawl, import.

    Rows stored before this migration were crawled or imported; they read 'live'."""
    db.execute("ALTER TABLE captures ADD COLUMN via TEXT NOT NULL DEFAULT 'live'")
    db["captures"].create_index(["via", "url"])


def m_issue19_backfill_state(db: sqlite_utils.Database) -> None:
    """backfill_state: how far the last backfill of each (archive, source) walked.

    ``query`` names the listing walked (prefix and window); ``resume_key`` is where to go on
    (null: from the start); ``complete`` is 1 once the listing was walked to its end."""
    db["backfill_state"].create({
        "archive": str, "source": str, "query": str, "resume_key": str, "complete": int,
        "run_id": int, "updated_at": str,
    }, pk=("archive", "source"), not_null={"query", "updated_at"})


def m_issue18_application_id(db: sqlite_utils.Database) -> None:
    """Mark the file as a newsarchive archive (PRAGMA application_id), so another SQLite
    file is refused instead of growing our tables (archive.db)."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def m_issue15_story_rules(db: sqlite_utils.Database) -> None:
    """Stories decided on folded content, learned boilerplate and facts (issue 15).

    story_members keep each member's content units (``body``) and their keys (``units``),
    its facts, the hash of its content (``dup``) and the keys it is indexed under;
    ``story_keys`` replaces the lead-only ``story_bands`` (one index for lead bands,
    content units and figures), and
    ``boilerplate`` holds what each site was learned to repeat. Members stored before
    have no body: ``newsarchive recluster`` re-places them with these rules.
    """
    columns = db["story_members"].columns_dict
    for name, kind in (("body", str), ("facts", str), ("dup", int), ("keys", bytes),
                       ("units", bytes)):
        if name not in columns:
            db["story_members"].add_column(name, kind)
    db.execute("DROP TABLE IF EXISTS story_bands")
    db.execute("CREATE TABLE story_keys (key INTEGER NOT NULL, site TEXT NOT NULL, "
               "kind TEXT NOT NULL, row_id INTEGER NOT NULL, "
               "PRIMARY KEY (key, site, kind, row_id)) WITHOUT ROWID")
    db.execute("CREATE TABLE boilerplate (site TEXT NOT NULL, key INTEGER NOT NULL, "
               "what TEXT NOT NULL, sample TEXT, stories INTEGER NOT NULL, "
               "learned_at TEXT, PRIMARY KEY (site, key)) WITHOUT ROWID")


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    m001_initial,
    m002_date_provenance,
    m003_warc,
    m004_dedupe,
    m005_cron,
    m006_search,
    m007_story_leads,
    m008_story_views,
    m_issue17_field_sources,
    m_issue19_capture_via,
    m_issue19_backfill_state,
    m_issue18_application_id,
    m_issue15_story_rules,
)


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this archive has not seen, in one write transaction.

    Two processes opening a new archive at once cannot both migrate it: the
    second waits for the write lock, then finds every step recorded.
    """
    applied = []
    with write_transaction(db):
        db.execute("CREATE TABLE IF NOT EXISTS _migrations "
                   "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
        for step in MIGRATIONS:
            if step.__name__ not in done:
                step(db)
                db["_migrations"].insert({"name": step.__name__, "applied_at": _now()})
                applied.append(step.__name__)
    return applied


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
