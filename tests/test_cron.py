"""Cron-grade runs against the mirror: incremental, new items, lock, budget, blocks, drift.

Every crawl runs `newsarchive crawl` in a subprocess; the mirror runs in another and
is told which condition to serve through its control endpoint (mirror.conditions).
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from archive.db import open_db
from archive.lock import archive_lock
from tests.support import MirrorProcess, archived_pages, diff_with_truth, run_cli

pytestmark = pytest.mark.crawl
SCALE = 30


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


def crawl(mirror, db, *args):
    return run_cli("crawl", "--mirror", mirror.url, "--db", str(db), *args, timeout=300)


def last_run(db_path):
    db = open_db(db_path, readonly=True)
    run = db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    cols = [c[0] for c in db.execute("SELECT * FROM runs LIMIT 0").description]
    row = dict(zip(cols, run, strict=True))
    row["health"] = {h["source"]: h for h in db["source_health"].rows_where(
        "run_id = ?", [row["id"]])}
    db.close()
    return row


def urls(db_path, table):
    db = open_db(db_path, readonly=True)
    return {r[0] for r in db.execute(f"SELECT canonical_url FROM {table}")}


def test_second_run_over_an_unchanged_mirror_fetches_almost_nothing(mirror, conditions,
                                                                    tmp_path, truth):
    db = tmp_path / "a.db"
    assert crawl(mirror, db).returncode == 0
    first = last_run(db)
    second_result = crawl(mirror, db)
    assert second_result.returncode == 0, second_result.stderr[-2000:]
    second = last_run(db)
    assert second["requests"] <= 0.05 * first["requests"], (first["requests"],
                                                             second["requests"])
    assert set(json.loads(second["new_rows"]).values()) == {0}
    assert {s: h["state"] for s, h in second["health"].items()} == {
        "foresight": "ok", "8btc": "ok"}
    assert diff_with_truth(open_db(db, readonly=True), truth) == []


def test_after_ten_new_digests_the_next_run_adds_exactly_them(mirror, conditions, tmp_path,
                                                              truth):
    db = tmp_path / "a.db"
    conditions("hold_back=10")
    assert crawl(mirror, db).returncode == 0
    digests_before, articles_before = urls(db, "digests"), urls(db, "articles")
    conditions("hold_back=0")
    result = crawl(mirror, db)
    assert result.returncode == 0, result.stderr[-2000:]
    new_digests = urls(db, "digests") - digests_before
    expected = {u for u, p in truth["pages"].items() if p["kind"] == "digest"} - digests_before
    assert len(new_digests) == 10 and new_digests == expected
    new_articles = urls(db, "articles") - articles_before
    expected_articles = {u for u, p in truth["pages"].items()
                         if p["kind"] == "article"} - articles_before
    assert new_articles and new_articles == expected_articles
    run = last_run(db)
    assert json.loads(run["new_rows"])["digests"] == 10
    assert json.loads(run["new_rows"])["articles"] == len(new_articles)
    assert diff_with_truth(open_db(db, readonly=True), truth) == []


def test_a_second_run_on_a_locked_archive_exits_3_at_once(mirror, tmp_path):
    db = tmp_path / "a.db"
    with archive_lock(db):
        result = crawl(mirror, db)
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: another crawl is running on")
    assert "pid" in lines[0] and not db.exists()


def test_a_budget_stop_ends_cleanly_and_the_next_run_continues(mirror, conditions, tmp_path,
                                                               truth):
    db = tmp_path / "a.db"
    result = crawl(mirror, db, "--max-requests", "40")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "note: stopped at the requests budget after 40 requests; the next run continues" \
        in result.stderr
    run = last_run(db)
    assert run["status"] == "budget_requests" and run["requests"] == 40
    assert {h["state"] for h in run["health"].values()} <= {"ok"}
    assert diff_with_truth(open_db(db, readonly=True), truth) != []
    result = crawl(mirror, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert diff_with_truth(open_db(db, readonly=True), truth) == []


@pytest.mark.parametrize("mode", ["403", "challenge"])
def test_a_blocking_source_is_reported_blocked_with_exit_4(mirror, conditions, tmp_path,
                                                           mode):
    db = tmp_path / "a.db"
    conditions(f"block=foresight:{mode}")
    result = crawl(mirror, db)
    assert result.returncode == 4, result.stderr[-2000:]
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: foresight blocked: ") and "answers were blocks" in line
    run = last_run(db)
    assert run["exit_code"] == 4 and run["health"]["foresight"]["state"] == "blocked"
    assert run["health"]["foresight"]["blocked"] >= 1
    assert run["health"]["8btc"]["state"] == "ok"


def test_a_layout_change_is_reported_as_drift_with_exit_4(mirror, conditions, tmp_path):
    db = tmp_path / "a.db"
    conditions("hold_back=10")
    assert crawl(mirror, db).returncode == 0
    conditions("hold_back=0&drift=8btc")
    result = crawl(mirror, db)
    assert result.returncode == 4, result.stderr[-2000:]
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error: 8btc drift: articles.author null in")
    run = last_run(db)
    shares = json.loads(run["health"]["8btc"]["null_shares"])
    assert run["health"]["8btc"]["state"] == "drift" and shares["articles.author"] == 1.0
    assert run["health"]["foresight"]["state"] == "ok"


def test_rechecks_use_conditional_requests(mirror, conditions, tmp_path):
    db = tmp_path / "a.db"
    assert crawl(mirror, db).returncode == 0
    result = crawl(mirror, db, "--recheck-hours", "10000000")
    assert result.returncode == 0, result.stderr[-2000:]
    run = last_run(db)
    mix = {s: json.loads(h["status_mix"]) for s, h in run["health"].items()}
    # the walk stops after the first listing page; its archived entries are re-checked
    # conditionally, and the unchanged mirror answers every one with 304
    assert mix["8btc"]["304"] >= 10 and mix["8btc"]["200"] == 1
    new_rows = json.loads(run["new_rows"])
    # a 304 is recorded as one capture per page; nothing else changes
    assert new_rows.pop("captures") == sum(m.get("304", 0) for m in mix.values())
    assert set(new_rows.values()) == {0}


def test_robots_txt_answering_503_disallows_the_source(mirror, conditions, tmp_path):
    db = tmp_path / "a.db"
    conditions("robots=8btc:503")
    result = crawl(mirror, db, "--source", "8btc")
    assert result.returncode == 1
    assert "error: the crawl read nothing: every fetch failed (robots_disallowed 1)" in \
        result.stderr
    assert urls(db, "articles") == set()


def test_backfill_stays_inside_its_window(mirror, conditions, tmp_path, truth):
    db = tmp_path / "a.db"
    result = crawl(mirror, db, "--since", "2021-12-20", "--until", "2021-12-27")
    assert result.returncode == 0, result.stderr[-2000:]
    dates = [p["published_at"] for p in archived_pages(open_db(db, readonly=True)).values()
             if p["kind"] == "digest"]
    expected = [p for p in truth["pages"].values() if p["kind"] == "digest"
                and "2021-12-19T16:00:00Z" <= p["published_at"] < "2021-12-27T16:00:00Z"]
    assert len(dates) == len(expected) > 0
    assert last_run(db)["mode"] == "backfill" and last_run(db)["requests"] < 100


def test_backfill_of_one_beijing_day_fetches_the_real_digest(mirror, tmp_path, truth):
    """The real digest was published 2023-03-08 00:02 Beijing time (16:02Z the day before):
    a bare date is a Beijing day and --until includes it."""
    db = tmp_path / "a.db"
    result = crawl(mirror, db, "--source", "foresight", "--since", "2023-03-08",
                   "--until", "2023-03-08")
    assert result.returncode == 0, result.stderr[-2000:]
    real = [u for u, p in truth["pages"].items()
            if p["kind"] == "digest" and p["published_at"] == "2023-03-07T16:02:00Z"]
    assert real and set(real) <= urls(db, "digests")
