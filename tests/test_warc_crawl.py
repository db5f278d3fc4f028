"""WARC end to end: a mirror crawl keeps its evidence; reparse, import and check use it."""

from __future__ import annotations

import gzip
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from archive.warc import warc_dir_for
from tests.support import ROOT, MirrorProcess, run_cli

pytestmark = pytest.mark.crawl
PARSED = ("digests", "digest_items", "recommendations", "digest_links", "articles")
SEEN = ("id", "capture_id", "first_seen_at", "last_seen_at")


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=20, seed=5) as process:
        yield process


@pytest.fixture(scope="module")
def crawled(mirror, tmp_path_factory) -> Path:
    db_path = tmp_path_factory.mktemp("crawl") / "archive.db"
    result = run_cli("crawl", "--mirror", mirror.url, "--db", str(db_path))
    assert result.returncode == 0, result.stderr[-3000:]
    return db_path


def copy_archive(db_path: Path, target: Path) -> Path:
    """A copy of an archive with its WARC folder, for tests that damage or extend it."""
    target.mkdir(parents=True, exist_ok=True)
    copy = target / db_path.name
    with sqlite3.connect(db_path) as source, sqlite3.connect(copy) as dest:
        source.backup(dest)
    shutil.copytree(warc_dir_for(db_path), warc_dir_for(copy))
    return copy


def dump(db_path: Path, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every parsed row keyed by its natural identity, without surrogate ids."""
    db = sqlite_utils.Database(db_path)
    digest_url = {r["id"]: r["canonical_url"] for r in db["digests"].rows}
    article_url = {r["id"]: r["canonical_url"] for r in db["articles"].rows}
    out: dict[str, Any] = {}
    for table in ("digests", "articles"):
        out[table] = {r["canonical_url"]: {k: v for k, v in r.items() if k not in skip}
                      for r in db[table].rows}
    for table in ("digest_items", "recommendations"):
        out[table] = {(digest_url[r["digest_id"]], r["position"]):
                      {k: v for k, v in r.items() if k not in ("id", "digest_id")}
                      for r in db[table].rows}
    out["digest_links"] = sorted((digest_url[r["digest_id"]], r["canonical_url"],
                                  article_url.get(r["article_id"]))
                                 for r in db["digest_links"].rows)
    return _named_stories(out)


def _named_stories(out: dict[str, Any]) -> dict[str, Any]:
    """story_id is a surrogate id: name each story by its smallest member identity."""
    members: dict[Any, list[str]] = {}
    for table in ("articles", "digest_items"):
        for key, row in out[table].items():
            if row.get("story_id") is not None:
                members.setdefault(row["story_id"], []).append(str(key))
    names = {story: min(keys) for story, keys in members.items()}
    for table in ("articles", "digest_items"):
        for row in out[table].values():
            if row.get("story_id") is not None:
                row["story_id"] = names[row["story_id"]]
    return out


def test_every_capture_points_at_a_readable_record_and_check_passes(crawled):
    db = sqlite_utils.Database(crawled)
    missing = db.execute("SELECT count(*) FROM captures WHERE warc_file IS NULL").fetchone()[0]
    assert missing == 0
    assert db.execute("SELECT count(*) FROM articles WHERE parser_version IS NULL "
                      "OR capture_id IS NULL").fetchone()[0] == 0
    result = run_cli("check", "--db", str(crawled))
    assert result.returncode == 0, result.stdout + result.stderr
    total = db["captures"].count
    assert f"checked {total} captures: {total} records ok" in result.stdout


def test_deleted_rows_are_rebuilt_by_reparse_equal_to_the_crawl(crawled, tmp_path):
    copy = copy_archive(crawled, tmp_path)
    before = dump(copy)
    with sqlite3.connect(copy) as conn:
        for table in ("digest_links", "recommendations", "digest_items", "digests",
                      "article_versions", "articles", "story_keys", "boilerplate", "story_members",
                      "stories", "url_aliases"):
            conn.execute(f"DELETE FROM {table}")
    assert dump(copy)["articles"] == {}
    result = run_cli("reparse", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert dump(copy) == before
    assert "digests/new" in result.stdout and "articles/new" in result.stdout


def test_reparse_with_unchanged_parsers_changes_nothing(crawled, tmp_path):
    copy = copy_archive(crawled, tmp_path)
    before = dump(copy, skip=())
    captures = sqlite_utils.Database(copy).execute("SELECT * FROM captures").fetchall()
    result = run_cli("reparse", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert "/new" not in result.stdout and "/changed" not in result.stdout
    assert "  changed " not in result.stdout  # no field-level changes listed
    assert dump(copy, skip=()) == before
    assert sqlite_utils.Database(copy).execute("SELECT * FROM captures").fetchall() == captures


def test_reparse_stamps_rows_an_older_parser_wrote_without_other_changes(crawled, tmp_path):
    copy = copy_archive(crawled, tmp_path)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE articles SET parser_version = 'older'")
    result = run_cli("reparse", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert "  changed " not in result.stdout
    db = sqlite_utils.Database(copy)
    assert db.execute("SELECT count(*) FROM articles WHERE parser_version = 'older'"
                      ).fetchone()[0] == 0
    skip = ("parser_version",)
    assert dump(copy, skip) == dump(crawled, skip)


def test_reparse_reports_which_fields_a_different_parse_changes(crawled, tmp_path):
    copy = copy_archive(crawled, tmp_path)
    with sqlite3.connect(copy) as conn:  # rows as an older parser would have left them
        conn.execute("UPDATE articles SET title = 'stale title', content_sha256 = 'older' "
                     "WHERE id IN (SELECT id FROM articles WHERE site = '8btc' LIMIT 3)")
    result = run_cli("reparse", "--db", str(copy), "--source", "8btc")
    assert result.returncode == 0, result.stderr
    assert "changed articles.title: 3 rows" in result.stdout
    assert dump(copy) == dump(crawled)


def test_reparse_does_what_it_reports_after_a_hand_edit(crawled, tmp_path):
    copy = copy_archive(crawled, tmp_path)
    with sqlite3.connect(copy) as conn:  # a hand edit: the content hash left as it was
        conn.execute("UPDATE articles SET title = 'edited by hand' "
                     "WHERE id IN (SELECT id FROM articles WHERE site = '8btc' LIMIT 3)")
    first = run_cli("reparse", "--db", str(copy), "--source", "8btc")
    assert first.returncode == 0, first.stderr
    assert "changed articles.title: 3 rows" in first.stdout
    assert dump(copy) == dump(crawled)
    second = run_cli("reparse", "--db", str(copy), "--source", "8btc")
    assert "  changed " not in second.stdout


def test_reparse_reports_and_restores_a_digests_changed_items(crawled, tmp_path):
    copy = copy_archive(crawled, tmp_path)
    with sqlite3.connect(copy) as conn:  # two digests as an older parser would have left them
        ids = [r[0] for r in conn.execute("SELECT DISTINCT digest_id FROM digest_items "
                                          "ORDER BY 1 LIMIT 2")]
        conn.execute("UPDATE digest_items SET headline = 'stale headline' "
                     "WHERE digest_id IN (?, ?) AND position = 1", ids)
        conn.execute("UPDATE digests SET content_sha256 = 'older' WHERE id IN (?, ?)", ids)
    assert len(ids) == 2
    result = run_cli("reparse", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    assert "changed digests.items: 2 rows" in result.stdout
    assert "changed digests.title" not in result.stdout
    assert dump(copy) == dump(crawled)


def test_a_batch_compares_each_page_with_what_the_pages_before_it_wrote(crawled, tmp_path):
    """Two captures of one page (a second URL that led to it): the first rewrites the stale
    row, so the second finds it current, in one batch as one page at a time."""
    from archive.db import open_db
    from pipelines.reparse import reparse

    for batch_pages in (1, 500):
        copy = copy_archive(crawled, tmp_path / str(batch_pages))
        with sqlite3.connect(copy) as conn:
            article_id, capture_id = conn.execute(
                "SELECT id, capture_id FROM articles ORDER BY id LIMIT 1").fetchone()
            conn.execute("UPDATE articles SET title = 'stale title', content_sha256 = 'older' "
                         "WHERE id = ?", [article_id])
            columns = [r[1] for r in conn.execute("PRAGMA table_info(captures)")
                       if r[1] not in ("id", "url")]
            conn.execute(f"INSERT INTO captures (url, {', '.join(columns)}) "
                         f"SELECT url || '?from=list', {', '.join(columns)} FROM captures "
                         "WHERE id = ?", [capture_id])
        db = open_db(copy)
        report = reparse(db, str(warc_dir_for(copy)), batch_pages=batch_pages)
        db.close()
        assert report.fields == {"articles.title": 1}, batch_pages
        assert report.outcomes["articles/changed"] == 1, batch_pages
        assert dump(copy) == dump(crawled)


def test_a_second_crawl_writes_revisits_not_copies(crawled, mirror, tmp_path):
    copy = copy_archive(crawled, tmp_path)
    sizes_before = {p.name: p.stat().st_size for p in warc_dir_for(copy).iterdir()}
    result = run_cli("crawl", "--mirror", mirror.url, "--db", str(copy))
    assert result.returncode == 0, result.stderr[-2000:]
    new_files = [p for p in warc_dir_for(copy).iterdir() if p.name not in sizes_before]
    types = []
    for path in new_files:
        with open(path, "rb") as handle:
            types += [r.rec_type for r in ArchiveIterator(handle)]
    assert types.count("revisit") > 0
    assert types.count("response") < types.count("revisit")
    assert run_cli("check", "--db", str(copy)).returncode == 0


def test_check_lists_a_cut_warc_file_and_a_row_without_its_capture(crawled, tmp_path):
    copy = copy_archive(crawled, tmp_path)
    warc = max(warc_dir_for(copy).iterdir(), key=lambda p: p.stat().st_size)
    warc.write_bytes(warc.read_bytes()[: warc.stat().st_size // 2])
    with sqlite3.connect(copy) as conn:  # foreign keys are off in a bare connection
        capture_id = conn.execute("SELECT capture_id FROM articles LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM captures WHERE id = ?", [capture_id])
    result = run_cli("check", "--db", str(copy))
    assert result.returncode == 1
    assert re.search(rf"{warc.name}: record at \d+ is cut", result.stdout)
    assert re.search(r"articles row \d+ points at a missing captures row", result.stdout)
    assert result.stderr.strip().startswith("error: ") and "problems" in result.stderr


def absolute_pages(db_path: Path, limit: int = 4) -> list[str]:
    """Canonical URLs of stored pages whose dates are absolute (the same at any anchor)."""
    db = sqlite_utils.Database(db_path)
    rows = db.execute("SELECT canonical_url FROM articles WHERE published_raw GLOB '[0-9]*' "
                      "UNION ALL SELECT canonical_url FROM digests "
                      "WHERE published_raw GLOB '[0-9]*' ORDER BY 1 LIMIT ?", [limit])
    return [r[0] for r in rows]


CAPTURE_SCRIPT = """
from warcio.capture_http import capture_http  # before requests, which it patches
import sys, requests
out, proxy, urls = sys.argv[1], sys.argv[2], sys.argv[3:]
with capture_http(out):
    for url in urls:
        requests.get(url, proxies={"http": proxy}, timeout=30).raise_for_status()
"""


def test_import_of_a_warc_written_by_warcio_capture_http_stores_the_crawls_rows(
        crawled, mirror, tmp_path):
    pages = absolute_pages(crawled)
    assert len(pages) == 4
    warc = tmp_path / "browser.warc.gz"
    # Plain-HTTP requests through the mirror acting as a proxy: the WARC names real URLs.
    urls = [p.replace("https://", "http://") for p in pages]
    subprocess.run([sys.executable, "-c", CAPTURE_SCRIPT, str(warc), mirror.url, *urls],
                   check=True, cwd=ROOT, timeout=120)
    db_path = tmp_path / "imported.db"
    result = run_cli("import", str(warc), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    # url: fetched over http:// here, https:// by the crawl. story_id is named by a story's
    # smallest member, which may be a page this partial import does not hold (the mirror
    # reprints articles), so stories are compared as the partition of the imported rows.
    skip = (*SEEN, "url", "story_id")
    crawl, imported = dump(crawled, skip), dump(db_path, skip)
    for table in ("digests", "articles"):
        for url, row in imported[table].items():
            assert row == crawl[table][url]
    assert len(imported["digests"]) + len(imported["articles"]) == 4
    assert story_partition(db_path, pages) == story_partition(crawled, pages)


def story_partition(db_path: Path, urls: list[str]) -> set[frozenset[str]]:
    """Which of the given articles share a story, as a set of groups."""
    groups: dict[int, set[str]] = {}
    for url, story in sqlite_utils.Database(db_path).execute(
            "SELECT canonical_url, story_id FROM articles"):
        if url in urls:
            groups.setdefault(story, set()).add(url)
    return {frozenset(g) for g in groups.values()}


def test_import_of_a_saved_html_page_stores_the_crawls_row(crawled, mirror, tmp_path):
    db = sqlite_utils.Database(crawled)
    url, fetched_at = db.execute(
        "SELECT a.canonical_url, c.fetched_at FROM articles a JOIN captures c "
        "ON c.id = a.capture_id ORDER BY a.id LIMIT 1").fetchone()
    with urllib.request.urlopen(mirror.url + "/" + url.split("://", 1)[1]) as response:
        body = response.read()
    saved = tmp_path / "page.html"
    saved.write_bytes(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)
    db_path = tmp_path / "saved.db"
    result = run_cli("import", str(saved), "--url", url, "--fetched-at", fetched_at,
                     "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    # story_id: alone in this archive, the page is a story of one; in the crawl's archive
    # it may share its story with reprints (the mirror generates them)
    skip = ("id", "capture_id", "story_id")
    assert dump(db_path, skip)["articles"] == {url: dump(crawled, skip)["articles"][url]}
    again = run_cli("import", str(saved), "--url", url, "--db", str(db_path))
    assert "already archived" in again.stdout
    assert again.stdout.startswith("read 1 record from 1 file (run #2): nothing new to store")


def test_import_refuses_unclear_input_in_one_line(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html></html>")
    no_url = run_cli("import", str(page), "--db", str(tmp_path / "a.db"))
    assert no_url.returncode == 2
    assert no_url.stderr.count("\n") == 1 and "--url" in no_url.stderr
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\nnonsense"))
    result = run_cli("import", str(broken), "--db", str(tmp_path / "a.db"))
    assert result.returncode == 1 and result.stderr.startswith("error: ")
