"""Cron runs end to end, continued: robots.txt verdicts, the time budget, every block kind,
Foresight drift and the requests counted per site. Same mirror and helpers as test_cron.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from archive.db import open_db
from tests.support import MirrorProcess, diff_with_truth
from tests.test_cron import SCALE, crawl, last_run

pytestmark = pytest.mark.crawl


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=SCALE, seed=3) as running:
        yield running


@pytest.fixture
def conditions(mirror):
    """Set mirror conditions: conditions("block=foresight:403"); cleared after the test."""
    def apply(query: str) -> dict:
        with urllib.request.urlopen(f"{mirror.url}/_mirror/conditions?{query}") as answer:
            return json.load(answer)
    apply("clear=1")
    yield apply
    apply("clear=1")


@pytest.fixture(scope="module")
def truth(mirror):
    return mirror.get_json("/_mirror/truth.json")


def rows(db_path, sql, params=()):
    db = open_db(db_path, readonly=True)
    found = db.execute(sql, params).fetchall()
    db.close()
    return found


def test_a_robots_503_keeps_every_spider_of_the_run_off_that_host(mirror, conditions,
                                                                  tmp_path):
    """www.8btc.com's robots.txt fails: the Foresight spider, which follows the 8btc
    links its digests recommend, must not fetch them either."""
    db = tmp_path / "a.db"
    conditions("robots=8btc:503")
    result = crawl(mirror, db)
    assert result.returncode == 1, result.stderr[-2000:]
    assert rows(db, "SELECT count(*) FROM articles WHERE site = '8btc'")[0][0] == 0
    assert rows(db, "SELECT count(*) FROM digests WHERE site = 'foresight'")[0][0] > 0
    fetched = rows(db, "SELECT count(*) FROM captures WHERE site = '8btc' "
                       "AND url NOT LIKE '%/robots.txt' AND status IS NOT NULL")
    assert fetched[0][0] == 0
    refused = rows(db, "SELECT count(*) FROM captures WHERE url LIKE 'https://www.8btc.com/%' "
                       "AND error_kind = 'robots_disallowed'")[0][0]
    assert refused > 1  # the recommended articles, not only 8btc's own listing
    run = last_run(db)
    assert run["health"]["8btc"]["state"] == "errors"
    assert run["health"]["foresight"]["state"] == "ok"
    # requests = sent: only the two robots.txt (three tries each) went to 8btc's hosts
    assert run["health"]["8btc"]["requests"] == 6 < run["health"]["8btc"]["pages"]
    assert run["health"]["foresight"]["requests"] >= run["health"]["foresight"]["pages"]


def test_a_robots_txt_that_times_out_disallows_the_host(mirror, conditions, tmp_path):
    db = tmp_path / "a.db"
    conditions("slow=1.5")
    result = crawl(mirror, db, "--source", "8btc", "-s", "ROBOTSTXT_DOWNLOAD_TIMEOUT=0.3")
    assert result.returncode == 1
    assert "error: the crawl read nothing: every fetch failed (timeout 1)" in result.stderr
    stats = json.loads(last_run(db)["stats"])
    assert stats["robots/disallow_all/timeout"] == 1  # no answer in 0.3 s
    assert rows(db, "SELECT count(*) FROM articles")[0][0] == 0


# A long variant, run by `make test-slow` and CI:
# test_cron.py's budget-stop test covers the same path in `make test`.
@pytest.mark.slow
def test_a_time_budget_stops_cleanly_and_the_next_run_continues(mirror, conditions, tmp_path,
                                                                truth):
    db = tmp_path / "a.db"
    conditions("slow=0.4")
    result = crawl(mirror, db, "--max-minutes", "0.05")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "note: stopped at the minutes budget after " in result.stderr
    assert "requests; the next run continues from there" in result.stderr
    run = last_run(db)
    assert run["status"] == "budget_minutes" and run["requests"] > 0
    assert {h["state"] for h in run["health"].values()} <= {"ok", "idle"}
    assert diff_with_truth(open_db(db, readonly=True), truth) != []
    conditions("clear=1")
    result = crawl(mirror, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert diff_with_truth(open_db(db, readonly=True), truth) == []


@pytest.mark.parametrize(("mode", "kind"), [("429", "HTTP 429"), ("567", "HTTP 567"),
                                            ("shell", "empty Vue shell")])
def test_every_block_kind_is_reported_blocked_with_exit_4(mirror, conditions, tmp_path, mode,
                                                          kind):
    db = tmp_path / "a.db"
    conditions(f"block=foresight:{mode}")
    result = crawl(mirror, db)
    assert result.returncode == 4, result.stderr[-2000:]
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: foresight blocked: ") and "answers were blocks" in line
    assert kind in line
    run = last_run(db)
    assert run["exit_code"] == 4 and run["health"]["foresight"]["state"] == "blocked"
    assert run["health"]["foresight"]["blocked"] >= 3
    assert run["health"]["8btc"]["state"] == "ok"


# A long variant, run by `make test-slow` and CI:
# test_cron.py's drift test covers the same path in `make test`.
@pytest.mark.slow
def test_a_foresight_layout_change_is_reported_as_drift_with_exit_4(mirror, conditions,
                                                                    tmp_path):
    """The changed Foresight layout moves the publication time where no reader looks."""
    db = tmp_path / "a.db"
    conditions("hold_back=10")
    assert crawl(mirror, db).returncode == 0
    conditions("hold_back=0&drift=foresight")
    result = crawl(mirror, db)
    assert result.returncode == 4, result.stderr[-2000:]
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: foresight drift: ")
    assert "digests.published_at null in 100% of pages (was 0%)" in line
    run = last_run(db)
    shares = json.loads(run["health"]["foresight"]["null_shares"])
    assert run["health"]["foresight"]["state"] == "drift"
    assert shares["digests.published_at"] == 1.0
    assert run["health"]["8btc"]["state"] == "ok"
