"""Backfill parts without a network: the limiter's turns, CDX answers, Memento checks, and
how far a walk may say it got."""

from __future__ import annotations

import json

import pytest

from crawler import settings
from crawler.archive_limiter import HostLimiter
from crawler.backfill_plan import BackfillPlan
from crawler.wayback import CdxRow, cdx_query, memento_problem, nearest_row, parse_cdx
from tests.support import run_cli

ROW = CdxRow("pro,foresightnews)/article/detail/1", "20230308010000",
             "https://foresightnews.pro/article/detail/1", "text/html", "200", "X")


def test_the_polite_defaults():
    assert settings.WAYBACK_CDX_PER_MINUTE <= 24
    assert settings.WAYBACK_PLAYBACK_PER_SECOND <= 1
    assert settings.ARCHIVE_PAUSE_429 >= 60
    from crawler.wayback_spider import WaybackSpider

    assert "crawler.archive_limiter.ArchiveLimiterMiddleware" in settings.DOWNLOADER_MIDDLEWARES
    assert WaybackSpider.archive_limits


def test_turns_are_one_interval_apart_and_a_pause_holds_the_whole_host():
    now = [100.0]
    limiter = HostLimiter(clock=lambda: now[0])
    waits = [limiter.reserve("cdx", 2.5) for _ in range(3)]
    assert waits == [0.0, 2.5, 5.0]
    assert limiter.reserve("playback", 1.0) == 0.0  # its own turns, same host
    limiter.pause(60)
    assert limiter.paused() and limiter.reserve("playback", 1.0) == 60.0
    now[0] += 61
    assert not limiter.paused()


def test_a_cdx_answer_with_a_resume_key_and_an_empty_one():
    fields = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest"]
    body = json.dumps([fields, [getattr(ROW, f) for f in fields], [], ["next%20key"]])
    rows, key = parse_cdx(body.encode())
    assert rows == [ROW] and key == "next%20key"
    assert parse_cdx(b"[]") == ([], None)
    url = cdx_query("foresightnews.pro/article/detail/", prefix=True, since="20230307160000")
    assert "matchType=prefix" in url and "showResumeKey=true" in url and "fl=urlkey" in url


def test_a_playback_of_another_time_or_url_is_refused():
    assert memento_problem(ROW, "Wed, 08 Mar 2023 01:00:00 GMT",
                           f'<{ROW.original}>; rel="original"') is None
    assert "not 20230308010000" in memento_problem(ROW, "Fri, 01 Sep 2023 00:00:00 GMT", None)
    assert "another URL" in memento_problem(ROW, None, '<https://x.test/>; rel="original"')


def test_the_capture_of_a_linked_page_is_the_first_readable_after_the_digest():
    rows = [ROW.__class__(ROW.urlkey, ts, ROW.original, "text/html", status, "D")
            for ts, status in (("20230101000000", "200"), ("20230309000000", "301"),
                               ("20230310000000", "-"), ("20230401000000", "200"))]
    assert nearest_row(rows, "20230308000000").timestamp == "20230310000000"
    assert nearest_row(rows, "20240101000000").timestamp == "20230401000000"
    assert nearest_row(rows[1:2], None) is None


def test_the_resume_key_moves_only_past_pages_whose_captures_are_all_stored():
    plan = BackfillPlan("wayback", "foresight", "p/")
    first, second = plan.open_page(), plan.open_page()
    plan.add(first)
    plan.add(second)
    plan.close_page(first, "k1")
    plan.close_page(second, "k2")
    plan.finish(second)
    assert plan.safe_key is None  # the first page still waits for a capture
    plan.finish(first)
    assert plan.safe_key == "k2" and not plan.complete
    last = plan.open_page()
    plan.close_page(last, None)
    assert plan.complete


@pytest.mark.parametrize("args, hint", [
    (("--since", "2023-03-09", "--until", "2023-03-08"), "--until"),
    (("--since", "yesterday"), "--since"),
    (("--mirror", "ftp://x"), "--mirror"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, hint):
    result = run_cli("backfill", "--from", "wayback", "--db", str(tmp_path / "a.db"), *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert hint in result.stderr and not (tmp_path / "a.db").exists()
