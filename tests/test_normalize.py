"""pipelines.normalize and the relative dates it resolves against the capture time."""

from __future__ import annotations

import dataclasses

import pytest

from crawler.items import Capture, Digest, DigestItem, Recommendation
from crawler.parsers import parse_page
from crawler.parsers.dates import first_reading, read_date
from pipelines.normalize import NormalizePipeline, clean_text, normalize_record

ANCHOR = "2024-05-20T02:30:00Z"  # 10:30 in Beijing


@pytest.mark.parametrize("raw, expected", [
    ("刚刚", "2024-05-20T02:30:00Z"),
    ("45秒前", "2024-05-20T02:29:15Z"),
    ("5分钟前", "2024-05-20T02:25:00Z"),
    ("3 小时前", "2024-05-19T23:30:00Z"),
    ("今天 08:00", "2024-05-20T00:00:00Z"),
    ("昨天 10:20", "2024-05-19T02:20:00Z"),
    ("前天 23:59", "2024-05-18T15:59:00Z"),
])
def test_relative_forms_against_the_anchor(raw, expected):
    assert read_date(raw, ANCHOR).value == expected


def test_yesterday_counts_beijing_days_not_utc_days():
    # 2024-05-19T20:00Z is already 05-20 04:00 in Beijing: 昨天 is the 19th there.
    assert read_date("昨天 10:00", "2024-05-19T20:00:00Z").value == "2024-05-19T02:00:00Z"


@pytest.mark.parametrize("raw, anchor", [
    ("3小时前", None), ("昨天 25:00", ANCHOR), ("", ANCHOR), ("刚刚", "not a time"),
])
def test_unreadable_relative_forms_give_no_value_and_a_reason(raw, anchor):
    reading = read_date(raw, anchor)
    assert reading.value is None and reading.reason


def test_a_relative_byline_waits_for_its_anchor():
    reading = first_reading(["kyle 3小时前 发布在 比特币 1234"])
    assert (reading.raw, reading.value, reading.needs_anchor) == ("3小时前", None, True)
    reading = first_reading(["kyle 2018-01-19 11:32 发布在"])
    assert reading.value == "2018-01-19T03:32:00Z" and reading.precision == "minute"


RELATIVE_PAGE = """<html><head><title>标题_巴比特_服务于区块链创新者</title></head><body>
<div class="main__header"><div class="header__main"><div class="bbt-container"><h1>标题</h1>
<div class="header__info"><span class="header__info-item"><a href="/author/1">kyle</a></span>
<span class="header__info-item">3小时前 发布在 <a href="javascript:;">比特币</a></span></div>
</div></div></div><div class="bbt-html"><p>正文。</p></div></body></html>"""


def test_parser_keeps_a_relative_byline_raw_and_unresolved():
    article = parse_page(RELATIVE_PAGE, "https://www.8btc.com/article/5")
    assert (article.published_raw, article.published_at) == ("3小时前", None)


def test_pipeline_reads_it_against_the_capture_time():
    article = parse_page(RELATIVE_PAGE, "https://www.8btc.com/article/5")
    capture = Capture(url=article.url, final_url=article.url, status=200, fetched_at=ANCHOR)
    item = NormalizePipeline().process_item(dataclasses.replace(article, capture=capture))
    assert item.published_at == "2024-05-19T23:30:00Z" and item.published_raw == "3小时前"
    assert (item.published_precision, item.published_source, item.published_reason) == (
        "hour", "byline", None)


@pytest.mark.parametrize("published, kept", [
    ("2024-05-21T02:30:00Z", True),  # exactly a day after the capture
    ("2024-05-21T02:31:00Z", False),
    ("2024-05-21", True), ("2024-05-22", False), ("2024-06", False), ("2024-05", True),
])
def test_a_publication_time_more_than_a_day_after_capture_is_refused(published, kept):
    article = dataclasses.replace(parse_page(RELATIVE_PAGE, "https://www.8btc.com/article/5"),
                                  published_raw="x", published_at=published,
                                  published_precision="minute", published_reason=None)
    got = normalize_record(article, ANCHOR)
    assert got.published_raw == "x"
    if kept:
        assert got.published_at == published and got.published_reason is None
    else:
        assert got.published_at is None and got.published_precision is None
        assert "more than a day after the capture" in got.published_reason

def test_digest_items_get_their_year_once_the_digest_date_is_known():
    digest = Digest(
        url="https://foresightnews.pro/article/detail/9",
        canonical_url="https://foresightnews.pro/article/detail/9", site="foresight",
        title="t", published_raw="昨天 00:02", published_at=None, summary=None,
        items=(DigestItem(position=1, headline="h", text="12 月 31 日消息，x",
                          event_date_raw="12 月 31 日", event_date=None),),
    )
    got = normalize_record(digest, "2024-01-01T20:00:00Z")  # 2024-01-02 04:00 Beijing
    assert got.published_at == "2023-12-31T16:02:00Z"  # 2024-01-01 00:02 Beijing
    assert got.items[0].event_date == "2023-12-31"


def test_canonical_urls_of_page_and_recommendations():
    digest = Digest(
        url="https://a.foresightnews.pro/foresightnews/article/detail/9#top",
        canonical_url="", site="foresight", title="t", published_raw=None,
        published_at=None, summary=None,
        recommendations=(Recommendation(position=1, title="r", blurb=None,
                                        url="http://m.8btc.com/article/7?utm_source=fs"),),
    )
    got = normalize_record(digest)
    assert got.canonical_url == "https://foresightnews.pro/article/detail/9"
    assert got.recommendations[0].canonical_url == "https://www.8btc.com/article/7"
    assert got.recommendations[0].url == "http://m.8btc.com/article/7?utm_source=fs"


def test_clean_text_removes_controls_and_bidi_overrides_but_keeps_newlines():
    assert clean_text("a\x00b\u202ec\u200bd\ne\tf") == "abcd\ne f"
    assert clean_text("e\u0301") == "\u00e9"  # NFC
    assert clean_text(None) is None
