"""Units of cron-grade runs: block detection, the crawl plan, health states, the lock."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from archive import health
from archive.db import open_db
from archive.lock import ArchiveLocked, archive_lock
from crawler.blocks import block_reason
from crawler.items import ListingEntry
from crawler.plan import CrawlPlan
from mirror.conditions import _CHALLENGE, _SHELL
from pipelines.health import WATCHED_FIELDS

NOW = datetime(2026, 1, 1, tzinfo=UTC)
PAGE = ("<html><body><div id=\"app\"><h1>标题</h1><p>" + "正文" * 200
        + "</p></div></body></html>").encode()


@pytest.mark.parametrize(("status", "body", "reason"), [
    (403, b"Forbidden", "HTTP 403"), (429, b"", "HTTP 429"), (567, b"", "HTTP 567"),
    (200, _CHALLENGE.encode(), "WAF challenge page (acw_sc__v2)"),
    (200, _SHELL.encode(), "empty Vue shell"),
    (200, PAGE, None), (404, b"not found", None), (500, b"oops", None),
])
def test_block_reason(status, body, reason):
    assert block_reason(status, body, "text/html") == reason


def entry(n: int, day: str) -> ListingEntry:
    return ListingEntry(site="8btc", site_id=str(n), url=f"https://www.8btc.com/article/{n}",
                        published_at=f"{day}T00:00:00Z")


def test_plan_walk_stops_at_the_first_page_with_nothing_new():
    plan = CrawlPlan(known=frozenset({entry(1, "2023-01-02").url, entry(2, "2023-01-01").url}),
                     marks={"8btc": "2023-01-02T00:00:00Z"})
    assert plan.walk_on("8btc", "8btc", [entry(3, "2023-01-03"), entry(1, "2023-01-02")])
    assert not plan.walk_on("8btc", "8btc", [entry(1, "2023-01-02"), entry(2, "2023-01-01")])
    assert plan.walks["8btc"].complete and plan.walks["8btc"].newest == "2023-01-03T00:00:00Z"


def test_plan_walks_on_past_archived_pages_newer_than_the_mark():
    # a run cut short archived entries 1 and 2 but never completed its walk
    plan = CrawlPlan(known=frozenset({entry(1, "2023-01-02").url, entry(2, "2023-01-01").url}),
                     marks={"8btc": "2022-12-01T00:00:00Z"})
    assert plan.walk_on("8btc", "8btc", [entry(1, "2023-01-02"), entry(2, "2023-01-01")])
    assert not plan.walks["8btc"].complete


def test_plan_without_a_mark_walks_to_the_end():
    plan = CrawlPlan(known=frozenset({entry(1, "2023-01-02").url}))
    assert plan.walk_on("8btc", "8btc", [entry(1, "2023-01-02")])
    assert not plan.walk_on("8btc", "8btc", [])
    assert plan.walks["8btc"].complete


def test_plan_backfill_fetches_inside_the_window_and_stops_at_its_edge():
    plan = CrawlPlan(since="2023-01-02T00:00:00Z", until="2023-01-04T00:00:00Z")
    assert not plan.wants(entry(5, "2023-01-05").url, "2023-01-05T00:00:00Z")
    assert plan.wants(entry(3, "2023-01-03").url, "2023-01-03T00:00:00Z")
    assert not plan.wants(entry(1, "2023-01-01").url, "2023-01-01T00:00:00Z")
    assert plan.walk_on("x", "8btc", [entry(3, "2023-01-03"), entry(2, "2023-01-02")])
    assert not plan.walk_on("x", "8btc", [entry(2, "2023-01-02"), entry(1, "2023-01-01")])


def test_plan_rechecks_recent_pages_with_validators():
    url = entry(1, "2023-01-02").url
    plan = CrawlPlan(known=frozenset({url}), recheck={url: ('"abc"', "Tue, 07 Mar 2023")})
    assert plan.wants(url)
    assert plan.validators(url) == {"If-None-Match": '"abc"',
                                    "If-Modified-Since": "Tue, 07 Mar 2023"}


def test_pipeline_and_archive_watch_the_same_fields():
    assert {t: set(f) for t, f in WATCHED_FIELDS.items()} == {
        t: set(f) for t, f in health.NULL_SQL.items()}


def stats(site: str, **counts: int) -> dict[str, int]:
    return {f"health/{site}/{k.replace('__', '/')}": v for k, v in counts.items()}


BASE = {"sizes": {"articles": 50, "digests": 10},
        "null_shares": {"articles.author": 0.02, "articles.summary": 0.05}}


def test_blocked_site():
    row = health.assess_site("foresight", stats("foresight", status__403=6, errors__blocked=6),
                             BASE, 0, None, NOW)
    assert row["state"] == "blocked" and "6 of 6 answers were blocks (HTTP 403 x6)" in row[
        "detail"]
    assert health.exit_code([row], False) == 4


def test_drift_when_a_null_share_jumps():
    row = health.assess_site("8btc", stats("8btc", status__200=10, articles__seen=10,
                                           articles__null__author=9), BASE, 10, None, NOW)
    assert row["state"] == "drift" and row["detail"].startswith("articles.author null in 90%")
    assert json.loads(row["null_shares"])["articles.author"] == 0.9


def test_no_drift_without_a_baseline_or_on_small_samples():
    crawl = stats("8btc", status__200=10, articles__seen=10, articles__null__author=10)
    assert health.assess_site("8btc", crawl, {}, 10, None, NOW)["state"] == "ok"
    few = stats("8btc", status__200=3, articles__seen=3, articles__null__author=3)
    assert health.assess_site("8btc", few, BASE, 3, None, NOW)["state"] == "ok"


def test_errors_and_not_found():
    gone = stats("8btc", status__200=9, status__404=1, errors__not_found=1)
    assert health.assess_site("8btc", gone, BASE, 0, None, NOW)["state"] == "ok"
    failed = stats("8btc", status__200=9, status__none=1, errors__timeout=1)
    row = health.assess_site("8btc", failed, BASE, 0, "2025-12-31T12:00:00Z", NOW)
    assert (row["state"], row["detail"], row["hours_since_new"]) == ("errors", "timeout 1", 12.0)
    assert health.exit_code([row], False) == 1


def test_the_lock_refuses_a_second_holder(tmp_path):
    path = tmp_path / "a.db"
    with (archive_lock(path),
          pytest.raises(ArchiveLocked, match=r"another crawl is running on .* \(pid \d+"),
          archive_lock(path)):
        pass
    with archive_lock(path):
        pass


def test_m005_tables(tmp_path):
    db = open_db(tmp_path / "a.db")
    assert {"source_health", "listing_marks", "page_validators"} <= set(db.table_names())
    assert {"mode", "new_rows", "error_kinds", "exit_code", "message"} <= set(
        db["runs"].columns_dict)


def test_requests_are_the_requests_sent_not_the_pages_recorded():
    row = health.assess_site("8btc", stats("8btc", status__none=20,
                                           errors__robots_disallowed=20, requests=6),
                             BASE, 0, None, NOW)
    assert (row["requests"], row["pages"]) == (6, 20)
    assert health.assess_site("8btc", stats("8btc", status__200=3), BASE, 0, None,
                              NOW)["requests"] == 0


def test_the_sent_counter_counts_by_site_of_the_url():
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler.sent import SentPerSiteMiddleware

    crawler = get_crawler()
    crawler.stats.open_spider()
    middleware = SentPerSiteMiddleware.from_crawler(crawler)
    for url in ("https://www.8btc.com/robots.txt", "https://webapi.8btc.com/bbt_api/news/list",
                "https://api.foresightnews.pro/v1/articles", "https://example.com/"):
        assert middleware.process_request(Request(url)) is None
    assert {k: v for k, v in crawler.stats.get_stats().items() if k.endswith("/requests")} == {
        "health/8btc/requests": 2, "health/foresight/requests": 1, "health/other/requests": 1}
