"""Provenance (issue 19): every capture says where it came from (captures.via), and an
archive's capture is dated by the archive, so relative dates are read against that time."""

from __future__ import annotations

from pathlib import Path

from archive import store
from crawler.items import Article
from pipelines.normalize import normalize_record
from tests.conftest import CAPTURE
from tests.support import run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "mirror" / "03-8btc-article-8btc-2024.html"


def _via(db, url: str) -> list[str]:
    return [r[0] for r in db.execute("SELECT via FROM captures WHERE url = ?", [url])]


def test_a_capture_without_provenance_is_live_and_an_archives_keeps_its_own(db):
    store.save_capture(db, CAPTURE)
    store.save_capture(db, {**CAPTURE, "url": "https://www.8btc.com/article/2",
                            "via": "wayback", "fetched_at": "2023-03-08T01:00:00Z"})
    assert _via(db, CAPTURE["url"]) == ["live"]
    assert _via(db, "https://www.8btc.com/article/2") == ["wayback"]


def test_the_same_bytes_captured_earlier_by_an_archive_date_the_row_and_name_its_source(db):
    store.save_capture(db, CAPTURE)  # crawled live on 2024-05-01
    store.save_capture(db, {**CAPTURE, "via": "wayback", "fetched_at": "2023-03-08T01:00:00Z"})
    row = db.execute("SELECT via, fetched_at, last_seen_at, seen_count FROM captures").fetchall()
    assert row == [("wayback", "2023-03-08T01:00:00Z", "2024-05-01T00:00:00Z", 2)]


def test_the_migration_reads_older_rows_as_live(db):
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert names.index("m_issue19_capture_via") > names.index("m008_story_views")
    column = [c for c in db["captures"].columns if c.name == "via"][0]
    assert column.notnull and column.default_value == "'live'"


def test_a_relative_byline_is_read_against_the_archives_capture_time():
    article = Article(url="https://www.8btc.com/article/1", canonical_url=None, site="8btc",
                      site_id="1", title="t", author=None, published_at=None, summary=None,
                      text="x", published_raw="3天前", published_source="byline")
    then = normalize_record(article, "2023-03-08T04:00:00Z")
    later = normalize_record(article, "2024-01-10T04:00:00Z")
    assert then.published_at == "2023-03-05"
    assert later.published_at == "2024-01-07"


def test_import_records_its_captures_as_import(tmp_path):
    url = "https://www.8btc.com/article/154294"
    db_path = tmp_path / "a.db"
    result = run_cli("import", str(FIXTURE), "--url", url, "--fetched-at",
                     "2024-05-01T00:00:00Z", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    from archive.db import open_db

    db = open_db(db_path, readonly=True)
    assert _via(db, url) == ["import"]
    assert db["articles"].count == 1
