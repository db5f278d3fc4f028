"""Spider callbacks and the store pipeline, without a crawl: every fetch yields one item.

A page that cannot be read gives a Capture with its reason; stored, it leaves a
captures row with the error and no digest or article row. A good page gives its
record with the capture attached, and a digest also gives requests for the
articles it recommends.
"""

from __future__ import annotations

import base64
import json
import zlib

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from archive import queries
from archive.db import open_db
from crawler.items import Article, Capture, Digest
from crawler.spiders.eightbtc import EightbtcSpider
from crawler.spiders.foresight import ForesightSpider
from pipelines.normalize import NormalizePipeline
from pipelines.store import StorePipeline

ARTICLE_URL = "https://www.8btc.com/article/123"
GOOD = """<html><head><title>标题_巴比特_服务于区块链创新者</title></head><body>
<div class="main__header"><div class="header__main"><div class="bbt-container"><h1>标题</h1>
<div class="header__info"><span class="header__info-item"><a href="/author/1">kyle</a></span>
<span class="header__info-item"><time>2024-05-20 10:00</time>发布在</span></div></div></div></div>
<div class="bbt-html"><p>第一段正文。</p><p>第二段正文。</p></div></body></html>"""
DIGEST = """<html><head><title>元宇宙每日必读</title></head><body><h1>元宇宙每日必读</h1>
<div class="detail-body"><p>摘要：今日要闻。</p><p>热点资讯</p>
<p><strong>新闻标题</strong></p><p>3 月 7 日消息，正文。</p><p>元宇宙荐读</p>
<p><strong>《推荐文章》</strong></p><p>简介。</p><p>https://m.8btc.com/article/77?utm_source=x</p>
</div></body></html>"""


def html(url: str, body: str, status: int = 200) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), status=status, encoding="utf-8",
                        headers={"Content-Type": "text/html; charset=utf-8"},
                        request=Request(url))


@pytest.fixture
def spider():
    crawler = get_crawler(EightbtcSpider)
    return crawler.spidercls.from_crawler(crawler)


@pytest.mark.parametrize("body, kind", [
    ("", "missing_field"),
    ("<html></html>", "missing_field"),
    ("<html><body><h1>标题</h1></body></html>", "missing_field"),
    ('{"code": 1, "data": []}', "wrong_kind"),
    ('<html><body><div id="app"><p>404</p><p>页面不存在</p></div></body></html>', "not_found"),
])
def test_unreadable_page_gives_one_capture_with_its_reason(spider, body, kind):
    out = list(spider.parse_page(html(ARTICLE_URL, body)))
    assert len(out) == 1 and isinstance(out[0], Capture)
    assert out[0].error_kind == kind and out[0].error
    assert out[0].status == 200 and out[0].body_length == len(body.encode())


def test_good_page_gives_the_record_with_its_capture(spider):
    (item,) = spider.parse_page(html(ARTICLE_URL, GOOD))
    assert isinstance(item, Article) and item.title == "标题"
    assert item.capture.page_kind == "article" and item.capture.error is None
    assert item.capture.url == ARTICLE_URL and len(item.capture.body_sha256) == 64


def test_digest_follows_its_recommendations_in_canonical_form(spider):
    out = list(spider.parse_page(html("https://foresightnews.pro/article/detail/5", DIGEST)))
    assert isinstance(out[0], Digest)
    requests = [o for o in out[1:] if isinstance(o, scrapy.Request)]
    assert [r.url for r in requests] == ["https://www.8btc.com/article/77"]


def test_redirected_capture_keeps_the_requested_url(spider):
    response = html(ARTICLE_URL, GOOD)
    response.meta["redirect_urls"] = ["https://m.8btc.com/article/123"]
    (item,) = spider.parse_page(response)
    assert (item.capture.url, item.capture.final_url) == ("https://m.8btc.com/article/123",
                                                          ARTICLE_URL)


def foresight_listing(posts: list[dict]) -> TextResponse:
    data = base64.b64encode(zlib.compress(json.dumps(posts).encode())).decode().rstrip("=")
    url = "https://api.foresightnews.pro/v1/articles?column_id=1154&page=1&size=20"
    request = Request(url, cb_kwargs={"column": 1154, "page": 1})
    return TextResponse(url, body=json.dumps({"code": 1, "msg": "success", "data": data}).encode(),
                        headers={"Content-Type": "application/json"}, request=request)


def test_listing_yields_capture_detail_requests_and_next_page():
    crawler = get_crawler(ForesightSpider)
    spider = crawler.spidercls.from_crawler(crawler)
    response = foresight_listing([{"id": 9, "title": "t", "published_at": 1678204920}])
    out = list(spider.parse_listing(response, column=1154, page=1))
    assert isinstance(out[0], Capture) and out[0].page_kind == "listing"
    assert [r.url for r in out[1:]] == [
        "https://foresightnews.pro/article/detail/9",
        "https://api.foresightnews.pro/v1/articles?column_id=1154&page=2&size=20"]


def test_empty_listing_ends_the_walk():
    crawler = get_crawler(ForesightSpider)
    spider = crawler.spidercls.from_crawler(crawler)
    out = list(spider.parse_listing(foresight_listing([]), column=1154, page=3))
    assert len(out) == 1 and isinstance(out[0], Capture)


def test_undecodable_listing_is_recorded_not_raised():
    crawler = get_crawler(ForesightSpider)
    spider = crawler.spidercls.from_crawler(crawler)
    response = foresight_listing([]).replace(body=b'{"code": 1, "data": "%%%not base64"}')
    (capture,) = spider.parse_listing(response, column=1154, page=1)
    assert capture.error_kind == "bad_payload" and capture.page_kind == "listing"


def test_through_the_pipelines_a_broken_page_stores_only_its_capture(tmp_path, spider):
    crawler = get_crawler(EightbtcSpider, {"ARCHIVE_DB": str(tmp_path / "a.db")})
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    normalize = NormalizePipeline()
    items = [*spider.parse_page(html(ARTICLE_URL, "<html><body><h1>x</h1></body></html>")),
             *spider.parse_page(html("https://www.8btc.com/article/124", GOOD))]
    for item in items:
        store.process_item(normalize.process_item(item))
    store.close_spider()
    db = open_db(tmp_path / "a.db", readonly=True)
    counts = queries.get_counts(db)
    assert (counts["captures"], counts["articles"], counts["runs"]) == (2, 1, 1)
    bad = next(db["captures"].rows_where("url = ?", [ARTICLE_URL]))
    assert bad["error_kind"] == "missing_field" and bad["error"]
    assert next(db["articles"].rows)["canonical_url"] == "https://www.8btc.com/article/124"


def test_spiders_of_one_run_share_their_duplicate_filter():
    from crawler.dupefilter import RunDupeFilter

    first = RunDupeFilter.from_crawler(get_crawler(ForesightSpider, {"ARCHIVE_RUN_ID": 41}))
    second = RunDupeFilter.from_crawler(get_crawler(EightbtcSpider, {"ARCHIVE_RUN_ID": 41}))
    other_run = RunDupeFilter.from_crawler(get_crawler(EightbtcSpider, {"ARCHIVE_RUN_ID": 42}))
    request = Request("https://www.8btc.com/article/6807648")
    assert not first.request_seen(request)
    assert second.request_seen(request)
    assert not other_run.request_seen(request)


def test_without_a_run_the_filter_is_scrapys_own():
    from crawler.dupefilter import RunDupeFilter

    one = RunDupeFilter.from_crawler(get_crawler(ForesightSpider))
    two = RunDupeFilter.from_crawler(get_crawler(EightbtcSpider))
    request = Request("https://www.8btc.com/article/1")
    assert not one.request_seen(request) and one.request_seen(request)
    assert not two.request_seen(request)


@pytest.mark.parametrize("stats, status", [
    ({"finish_reason": "finished", "archive/articles/new": 3}, "finished"),
    ({"finish_reason": "finished", "archive/captures/saved": 2,
      "archive/errors/network": 2}, "failed"),
    ({"finish_reason": "finished"}, "failed"),
    ({"finish_reason": "shutdown", "archive/articles/new": 3}, "shutdown"),
    ({"finish_reason": "finished", "archive/captures/saved": 3, "archive/errors/not_found": 2},
     "finished"),
])
def test_run_status(stats, status):
    from pipelines.store import run_status

    assert run_status(stats) == status
