"""`newsarchive demo` and Scrapy's own commands, each in a subprocess against the mirror."""

from __future__ import annotations

import subprocess
import sys

import pytest

from archive import queries
from archive.db import open_db
from tests.support import ROOT, MirrorProcess, run_cli

pytestmark = pytest.mark.crawl
REAL_DIGEST = "https://foresightnews.pro/article/detail/26503"


def test_demo_crawls_the_mirror_and_shows_the_real_digest(tmp_path):
    path = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(path), "--scale", "5")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "the real digest" in result.stdout and "digest_items" in result.stdout
    assert result.stdout.count("(linked)") == 3 and "NOT linked" not in result.stdout
    db = open_db(path, readonly=True)
    digest = queries.get_digest(db, REAL_DIGEST)
    assert len(digest["items"]) == 5 and len(digest["recommendations"]) == 3
    assert [i["event_date"] for i in digest["items"]][:4] == ["2023-03-07"] * 4
    assert queries.get_last_run(db)["status"] == "finished"


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_scrapy_list_names_every_spider():
    result = scrapy("list")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["8btc", "foresight", "urls"]


def test_scrapy_crawl_one_site_into_the_archive(tmp_path):
    path = tmp_path / "a.db"
    with MirrorProcess(scale=5) as mirror:
        result = scrapy("crawl", "foresight", "-s", f"ARCHIVE_DB={path}",
                        "-s", f"MIRROR_URL={mirror.url}", "-s", "LOG_LEVEL=WARNING",
                        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0")
    assert result.returncode == 0, result.stderr[-2000:]
    db = open_db(path, readonly=True)
    run = queries.get_last_run(db)
    assert (run["spiders"], run["status"]) == ("foresight", "finished")
    assert queries.get_digest(db, REAL_DIGEST) is not None
    # the foresight spider follows the digests' 8btc links, and only those
    assert db["articles"].count > 0
    assert db.execute("SELECT count(*) FROM captures WHERE url LIKE '%webapi.8btc.com%'"
                      ).fetchone()[0] == 0


def test_a_crawl_that_reads_nothing_fails_in_one_line(tmp_path):
    # Nothing listens on port 9 of the loopback: every fetch is refused.
    path = tmp_path / "a.db"
    result = run_cli("crawl", "--db", str(path), "--mirror", "http://127.0.0.1:9",
                     "-s", "LOG_LEVEL=ERROR", "-s", "RETRY_TIMES=0")
    assert result.returncode == 1
    # robots.txt cannot be reached either, so (RFC 9309) nothing else is even sent
    assert result.stderr.strip().splitlines()[-1].startswith(
        "error: the crawl read nothing: every fetch failed (connection_refused")
    db = open_db(path, readonly=True)
    assert queries.get_last_run(db)["status"] == "failed"
    assert db["captures"].count >= 2 and db["articles"].count == 0
