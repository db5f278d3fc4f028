"""End to end: `newsarchive backfill --from commoncrawl` against the mirror's Common Crawl.

The backfill runs in a subprocess. The day 2023-03-08 (Beijing) must store the digests
captured that day and the articles they link, every field as the mirror's truth says, with
via = commoncrawl; a duplicate row is fetched once, a record of another URL is refused and
recorded; a second run sends (almost) nothing and adds no row; a 503 backs the index off.
"""

from __future__ import annotations

import urllib.request

import pytest

from archive.db import open_db
from tests.backfill_support import DAY, WINDOW, assert_rates, counts, walk_in_slices, with_links
from tests.backfill_support import backfill as run_backfill
from tests.backfill_support import log as support_log
from tests.support import MirrorProcess, diff_with_truth

pytestmark = pytest.mark.crawl
FAST = ("-s", "CC_INDEX_PER_MINUTE=6000", "-s", "CC_RECORDS_PER_SECOND=100",
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
    return mirror.get_json("/_mirror/commoncrawl.json")["rows"]


def log(mirror) -> list[list]:
    return support_log(mirror, "commoncrawl")


def backfill(mirror, db_path, *args: str):
    return run_backfill(mirror, "commoncrawl", db_path, *args)


@pytest.fixture(scope="module")
def first(mirror, tmp_path_factory):
    path = tmp_path_factory.mktemp("commoncrawl") / "archive.db"
    result, sent = backfill(mirror, path, *DAY, *FAST)
    assert result.returncode == 0, result.stderr[-3000:]
    return path, sent


def expected_pages(truth, rows, urlkey: str = "") -> dict:
    """The truth's pages a backfill of the window stores: what was captured in it (under
    ``urlkey``), and the pages its digests link."""
    return with_links(truth, (r["url"] for r in rows
                              if WINDOW[0] <= r["timestamp"] <= WINDOW[1]
                              and r["kind"] in ("page",) and r["urlkey"].startswith(urlkey)))


def test_the_day_is_stored_exactly_as_the_truth_says(first, truth, rows):
    expected = expected_pages(truth, rows)
    db = open_db(first[0], readonly=True)
    problems = diff_with_truth(db, expected)
    assert not problems, "\n".join(problems[:30])
    digests = [u for u, p in expected["pages"].items() if p["kind"] == "digest"]
    assert truth["real_digest"] in digests and len(digests) >= 3
    assert {r[0] for r in db.execute("SELECT via FROM captures")} == {"commoncrawl"}


def test_capture_times_are_the_archives_and_records_are_kept(first, rows):
    db = open_db(first[0], readonly=True)
    times = {(r["url"], r["timestamp"]) for r in rows}
    for url, at, warc_type in db.execute("SELECT url, fetched_at, warc_type FROM captures"):
        stamp = at.replace("-", "").replace("T", "").replace(":", "").rstrip("Z")
        assert (url, stamp) in times
        assert warc_type == "response"


def test_a_duplicate_row_is_fetched_once(first, rows):
    dup = next(r for r in rows if r["kind"] == "duplicate")
    wanted = f"/{dup['filename']} bytes={dup['offset']}-{dup['offset'] + dup['length'] - 1}"
    sharing = {(r["url"], r["timestamp"]) for r in rows if r["filename"] == dup["filename"]
               and r["offset"] == dup["offset"]}  # listed three times, two captures
    assert [e[3] for e in first[1] if e[1] == "record"].count(wanted) == len(sharing) == 2
    db = open_db(first[0], readonly=True)
    assert db.execute("SELECT count(*) FROM captures WHERE url = ?",
                      [dup["url"]]).fetchone()[0] == 1


def test_a_record_of_another_url_is_refused_and_recorded(first, rows):
    wrong = next(r for r in rows if r["kind"] == "wrong")
    stamp = wrong["timestamp"]
    at = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:{stamp[12:]}Z"
    db = open_db(first[0], readonly=True)
    found = db.execute("SELECT page_kind, error_kind FROM captures WHERE url = ? AND "
                       "fetched_at = ?", [wrong["url"], at]).fetchall()
    assert found == [("wrong_record", "archived_wrong_target")]


def test_the_listing_ends_on_page_invalid(first):
    index = [(status, path) for _, kind, status, path in first[1] if kind == "index"]
    assert any(status == 400 and "matchType=prefix" in path for status, path in index)
    assert all(status in (200, 400, 404) for status, _ in index)
    assert [kind for _, kind, _, _ in first[1]].count("collinfo") == 1  # shared by the spiders


def test_a_second_run_sends_almost_nothing_and_adds_no_row(first, mirror):
    path, sent = first
    before = counts(path)
    result, again = backfill(mirror, path, *DAY, *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(again) <= 0.05 * len(sent) and len(sent) >= 20
    assert counts(path) == before


def with_faults(mirror, path, host: str, mode: str, count: int, setting: str):
    """A foresight backfill whose host's next ``count`` requests answer ``mode``."""
    urllib.request.urlopen(f"{mirror.url}/_mirror/faults?host={host}&mode={mode}"
                           f"&count={count}").read()
    result, sent = backfill(mirror, path, *DAY, *FAST, "--source", "foresight",
                            "-s", setting, "-s", "RETRY_TIMES=4")
    assert result.returncode == 0, result.stderr[-3000:]
    return sent


def test_a_503_backs_the_index_off(mirror, truth, rows, tmp_path):
    path = tmp_path / "faults.db"
    sent = with_faults(mirror, path, "index.commoncrawl.org", "busy", 2, "ARCHIVE_BACKOFF_5XX=1")
    answers = [(t, status) for t, kind, status, _ in sent if kind != "robots"]
    assert [s for _, s in answers][:3] == [503, 503, 200]
    assert answers[1][0] - answers[0][0] >= 0.9 and answers[2][0] - answers[1][0] >= 1.9
    expected = expected_pages(truth, rows, "pro,foresightnews)")
    assert not diff_with_truth(open_db(path, readonly=True), expected)


@pytest.mark.slow  # many budgeted runs in a row: `make test-slow` (CI runs it)
def test_a_budgeted_walk_goes_on_where_it_stopped(mirror, truth, rows, tmp_path):
    path = tmp_path / "slices.db"
    small = ("-s", "CC_INDEX_PAGE_SIZE=2")
    keys = walk_in_slices(mirror, "commoncrawl", path, (*DAY, *FAST, *small), 12, 20)
    assert len(keys) >= 3 and any(k and k.startswith("CC-MAIN-") for k in keys)
    assert not diff_with_truth(open_db(path, readonly=True), expected_pages(truth, rows))
    result, again = backfill(mirror, path, *DAY, *FAST, *small)
    assert result.returncode == 0 and [e for e in again if e[1] != "robots"] == []


def test_the_rate_limits_hold_per_host(mirror, tmp_path):
    # A scaled-down etiquette: 120 index requests a minute (collinfo included), 5 Range
    # requests a second, counted by the mirror's clock.
    path = tmp_path / "rate.db"
    result, sent = backfill(mirror, path, *DAY, "-s", "CC_INDEX_PER_MINUTE=120",
                            "-s", "CC_RECORDS_PER_SECOND=5", "-s", "LOG_LEVEL=WARNING")
    assert result.returncode == 0, result.stderr[-2000:]
    assert_rates(sent, {"collinfo+index": 120 / 60, "record": 5.0})


def test_a_429_from_the_data_host_stops_it(mirror, truth, rows, tmp_path):
    path = tmp_path / "429.db"
    sent = with_faults(mirror, path, "data.commoncrawl.org", "too_many", 1, "ARCHIVE_PAUSE_429=2")
    records = [(t, status, path) for t, kind, status, path in sent if kind == "record"]
    (at, status, refused), rest = records[0], records[1:]
    assert status == 429 and all(s == 206 for _, s, _ in rest)
    assert max(t for t, _, path in rest if path == refused) - at >= 1.9  # asked again, later
    # nothing is sent while the host is paused (what was in flight when the 429 came excepted)
    assert not [t for t, _, _ in rest if at + 0.5 < t < at + 1.9]
    expected = expected_pages(truth, rows, "pro,foresightnews)")
    assert not diff_with_truth(open_db(path, readonly=True), expected)


def test_collections_can_be_named(mirror, truth, rows, tmp_path):
    colls = mirror.get_json("/_mirror/commoncrawl.json")["collections"]
    march = next(c["id"] for c in colls if c["from"].startswith("2023-03"))
    path = tmp_path / "named.db"
    result, sent = backfill(mirror, path, *DAY, *FAST, "--collection", march,
                            "--collection", "CC-MAIN-1999-01")
    assert result.returncode == 2, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if "CC-MAIN-1999-01" in line]
    assert errors == [errors[0]] and errors[0].startswith(
        "error: no such Common Crawl collection: CC-MAIN-1999-01"), result.stderr[-2000:]
    listed = {p.split("?")[0] for _, k, _, p in sent if k == "index" and "matchType" in p}
    assert listed == {f"/{march}-index"}
    assert not diff_with_truth(open_db(path, readonly=True), expected_pages(truth, rows))
