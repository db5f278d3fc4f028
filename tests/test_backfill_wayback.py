"""End to end: `newsarchive backfill --from wayback` against the mirror's Wayback Machine.

The backfill runs in a subprocess (one Twisted reactor per process). The day 2023-03-08
(Beijing) must store the digests captured that day and the articles they link, every field
as the mirror's truth says, with via = wayback; the archives' pitfalls are recorded as such;
a second run sends (almost) nothing and adds no row; the limits hold at a scaled-down rate.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from archive.db import open_db
from tests.backfill_support import DAY, WINDOW, assert_rates, counts, walk_in_slices, with_links
from tests.backfill_support import backfill as run_backfill
from tests.backfill_support import log as support_log
from tests.support import MirrorProcess, diff_with_truth

pytestmark = pytest.mark.crawl
FAST = ("-s", "WAYBACK_CDX_PER_MINUTE=6000", "-s", "WAYBACK_PLAYBACK_PER_SECOND=100",
        "-s", "LOG_LEVEL=WARNING")


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=20, seed=7) as running:
        yield running


@pytest.fixture(scope="module")
def truth(mirror):
    return mirror.get_json("/_mirror/truth.json")


@pytest.fixture(scope="module")
def rows(mirror):
    return mirror.get_json("/_mirror/wayback.json")["rows"]


def log(mirror) -> list[list]:
    return support_log(mirror, "wayback")


def backfill(mirror, db_path, *args: str):
    return run_backfill(mirror, "wayback", db_path, *args)


@pytest.fixture(scope="module")
def first(mirror, tmp_path_factory):
    path = tmp_path_factory.mktemp("wayback") / "archive.db"
    result, sent = backfill(mirror, path, *DAY, *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    return path, sent


def expected_pages(truth, rows, urlkey: str = "") -> dict:
    """The truth's pages a backfill of the window stores: what was captured in it (under
    ``urlkey``), and the pages its digests link."""
    kinds = ("page", "revisit")
    return with_links(truth, (r["original"] for r in rows
                              if WINDOW[0] <= r["timestamp"] <= WINDOW[1]
                              and r["kind"] in kinds and r["urlkey"].startswith(urlkey)))


def test_the_day_is_stored_exactly_as_the_truth_says(first, truth, rows):
    expected = expected_pages(truth, rows)
    db = open_db(first[0], readonly=True)
    problems = diff_with_truth(db, expected)
    assert not problems, "\n".join(problems[:30])
    digests = [u for u, p in expected["pages"].items() if p["kind"] == "digest"]
    assert truth["real_digest"] in digests and len(digests) >= 3
    assert {r[0] for r in db.execute("SELECT via FROM captures")} == {"wayback"}


def test_capture_times_are_the_archives(first, rows):
    db = open_db(first[0], readonly=True)
    times = {(r["original"], r["timestamp"]) for r in rows}
    for url, at in db.execute("SELECT url, fetched_at FROM captures"):
        stamp = at.replace("-", "").replace("T", "").replace(":", "").rstrip("Z")
        assert (url, stamp) in times


def test_a_duplicate_row_is_fetched_once_and_a_revisit_like_any_capture(first, rows):
    paths = [entry[3] for entry in first[1] if entry[1] == "playback"]
    assert len(paths) == len(set(paths))
    revisit = next(r for r in rows if r["kind"] == "revisit")
    assert f"/web/{revisit['timestamp']}id_/{revisit['original']}" in paths
    db = open_db(first[0], readonly=True)
    seen = db.execute("SELECT seen_count, last_seen_at FROM captures WHERE url = ? AND "
                      "page_kind = 'digest'", [revisit["original"]]).fetchone()
    assert seen[0] == 2 and seen[1].startswith("2023-03-08T09:00")


@pytest.mark.parametrize("kind, page_kind, error_kind", [
    ("redirect", "redirect", None),
    ("block", "blocked", "archived_block"),
    ("missing", "not_archived", "archived_missing"),
    ("moved", "archive_redirect", "archived_moved"),
])
def test_each_pitfall_is_recorded_as_such(first, rows, kind, page_kind, error_kind):
    row = next(r for r in rows if r["kind"] == kind)
    db = open_db(first[0], readonly=True)
    found = db.execute("SELECT page_kind, error_kind FROM captures WHERE url = ? AND "
                       "fetched_at = ?", [row["original"], _iso(row["timestamp"])]).fetchall()
    assert found == [(page_kind, error_kind)]


def test_a_second_run_sends_almost_nothing_and_adds_no_row(first, mirror):
    path, sent = first
    before = counts(path)
    result, again = backfill(mirror, path, *DAY, *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(again) <= 0.05 * len(sent) and len(sent) >= 20
    assert counts(path) == before


@pytest.mark.slow  # many budgeted runs in a row: `make test-slow` (CI runs it)
def test_a_budgeted_walk_goes_on_where_it_stopped(mirror, truth, rows, tmp_path):
    path = tmp_path / "slices.db"
    small = ("-s", "WAYBACK_CDX_PAGE_ROWS=3")
    keys = walk_in_slices(mirror, "wayback", path, (*DAY, *FAST, *small), 10, 12)
    assert len(keys) >= 3 and any(keys)  # a slice stopped inside the listing: a resume key
    db = open_db(path, readonly=True)
    assert not diff_with_truth(db, expected_pages(truth, rows))
    result, again = backfill(mirror, path, *DAY, *FAST, *small)
    assert result.returncode == 0 and again == []


def test_a_429_stops_the_host_and_503_backs_off(mirror, truth, rows, tmp_path):
    urllib.request.urlopen(f"{mirror.url}/_mirror/faults?host=web.archive.org"
                           "&mode=too_many&count=1").read()
    urllib.request.urlopen(f"{mirror.url}/_mirror/faults?host=web.archive.org"
                           "&mode=busy&count=2").read()
    path = tmp_path / "faults.db"  # one source: one request in flight when the 429 comes
    result, sent = backfill(mirror, path, *DAY, *FAST, "--source", "foresight",
                            "-s", "ARCHIVE_PAUSE_429=2",
                            "-s", "ARCHIVE_BACKOFF_5XX=1", "-s", "RETRY_TIMES=4")
    assert result.returncode == 0, result.stderr[-3000:]
    answers = [(t, status) for t, kind, status, _ in sent if kind != "robots"]
    statuses = [s for _, s in answers]
    assert statuses[:3] == [429, 503, 503]
    gaps = [answers[n + 1][0] - answers[n][0] for n in range(3)]
    assert gaps[0] >= 1.9 and gaps[1] >= 0.9 and gaps[2] >= 1.9  # 2 s, then 1 s doubled
    expected = expected_pages(truth, rows, "pro,foresightnews)")
    assert not diff_with_truth(open_db(path, readonly=True), expected)


def test_the_rate_limits_hold_per_host(mirror, tmp_path):
    # A scaled-down etiquette: 120 CDX requests a minute (one per 0.5 s), 5 playbacks a
    # second; the mirror's clock counts what arrived in every 2-second window.
    path = tmp_path / "rate.db"
    rates = {"cdx": 120 / 60, "playback": 5.0}
    result, sent = backfill(mirror, path, *DAY, "-s", "WAYBACK_CDX_PER_MINUTE=120",
                            "-s", "WAYBACK_PLAYBACK_PER_SECOND=5", "-s", "LOG_LEVEL=WARNING")
    assert result.returncode == 0, result.stderr[-2000:]
    assert_rates(sent, rates)


def _iso(stamp: str) -> str:
    return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:]}Z"


def test_the_log_names_every_request(first, mirror):
    assert all(len(entry) == 4 for entry in log(mirror))
    assert json.dumps(first[1])
