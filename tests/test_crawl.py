"""End to end: `newsarchive crawl` against the mirror at scale 200, checked against its truth.

The crawl runs in a subprocess (one Twisted reactor per process). Every page in
the mirror's ground truth must be in the archive with every field equal, and a
second crawl of the same mirror must change no row count.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from archive import queries
from archive.db import open_db
from tests.support import MirrorProcess, diff_with_truth, run_cli

pytestmark = pytest.mark.crawl
SCALE = 200
BEIJING = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=SCALE, seed=7) as running:
        yield running


@pytest.fixture(scope="module")
def truth(mirror):
    return mirror.get_json("/_mirror/truth.json")


@pytest.fixture(scope="module")
def first_crawl(mirror, tmp_path_factory):
    path = tmp_path_factory.mktemp("crawl") / "archive.db"
    result = run_cli("crawl", "--mirror", mirror.url, "--db", str(path))
    assert result.returncode == 0, result.stderr[-3000:]
    db = open_db(path, readonly=True)
    counts = queries.get_counts(db)
    db.close()
    return path, counts, result


def test_truth_is_at_scale(truth):
    digests = [p for p in truth["pages"].values() if p["kind"] == "digest"]
    assert len(digests) == SCALE


def test_every_page_is_archived_with_every_field_equal(first_crawl, truth):
    db = open_db(first_crawl[0], readonly=True)
    problems = diff_with_truth(db, truth)
    assert not problems, f"{len(problems)} differences, first ones:\n" + "\n".join(problems[:30])


def test_the_real_digest(first_crawl, truth):
    db = open_db(first_crawl[0], readonly=True)
    digest = queries.get_digest(db, truth["real_digest"])
    assert [i["event_date"] for i in digest["items"]] == ["2023-03-07"] * 4 + [None]
    assert [i["attribution"] for i in digest["items"]] == [
        None, "新浪科技", "福布斯", None, "Thebigwhale"]
    assert [r["canonical_url"] for r in digest["recommendations"]] == [
        f"https://www.8btc.com/article/{n}" for n in (6807648, 6807594, 6807678)]
    assert all(r["article_id"] for r in digest["recommendations"])


def test_every_recommendation_of_a_site_article_is_linked(first_crawl):
    db = open_db(first_crawl[0], readonly=True)
    unlinked = db.execute("SELECT canonical_url FROM digest_links l WHERE article_id IS NULL "
                          "AND canonical_url NOT IN (SELECT url FROM captures "
                          "WHERE error_kind = 'not_found')").fetchall()
    assert db["digest_links"].count > SCALE and unlinked == []


def test_listing_pages_are_captured(first_crawl):
    db = open_db(first_crawl[0], readonly=True)
    listings = db.execute("SELECT count(*) FROM captures WHERE page_kind = 'listing' "
                          "AND error_kind IS NULL").fetchone()[0]
    assert listings >= 2 + SCALE * 3 // 20


def test_no_page_is_fetched_twice_in_one_run(first_crawl):
    # Both spiders share one duplicate filter: a recommended article that 8btc also
    # lists is fetched by whichever spider asks first, once.
    db = open_db(first_crawl[0], readonly=True)
    twice = db.execute("SELECT url, seen_count FROM captures WHERE seen_count > 1").fetchall()
    assert twice == []


def test_run_row_records_the_crawl(first_crawl):
    db = open_db(first_crawl[0], readonly=True)
    run = queries.get_last_run(db)
    assert run["status"] == "finished" and run["spiders"] == "foresight,8btc"
    assert run["requests"] >= first_crawl[1]["captures"]
    assert run["stats"]["archive/digests/new"] == SCALE


@pytest.mark.slow  # a second full crawl at scale 200; `make test-slow`
def test_second_full_crawl_changes_no_row_count(first_crawl, mirror, truth):
    path, before, _ = first_crawl
    result = run_cli("crawl", "--full", "--mirror", mirror.url, "--db", str(path))
    assert result.returncode == 0, result.stderr[-3000:]
    db = open_db(path, readonly=True)
    after = queries.get_counts(db)
    assert after["runs"] == before["runs"] + 1  # the log of runs is the one table that grows
    assert {k: v for k, v in after.items() if k != "runs"} == {
        k: v for k, v in before.items() if k != "runs"}
    stats = queries.get_last_run(db)["stats"]
    assert stats.get("archive/digests/unchanged") == SCALE and "archive/digests/new" not in stats
    assert diff_with_truth(db, truth) == []


def test_relative_bylines_resolve_against_their_capture_time(first_crawl, truth):
    """The mirror writes some 8btc bylines as ``N天前`` from the time of the request; the
    archive reads each against its own capture's fetched_at, to the day the text allows."""
    db = open_db(first_crawl[0], readonly=True)
    rows = db.execute(
        "SELECT a.canonical_url, a.published_at, a.published_raw, a.published_precision, "
        "a.published_source, c.fetched_at FROM articles a JOIN captures c "
        "ON c.id = a.capture_id WHERE a.published_raw LIKE '%天前'").fetchall()
    assert len(rows) >= 10
    for url, value, raw, precision, source, fetched_at in rows:
        fetched = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
        day = fetched.astimezone(BEIJING).date() - timedelta(days=int(raw.removesuffix("天前")))
        assert (value, precision, source) == (day.isoformat(), "day", "byline"), url
        assert value == truth["pages"][url]["published_at"], url
