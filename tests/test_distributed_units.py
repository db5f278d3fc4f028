"""The parts of distributed mode that need no crawl: item JSON, shared plans, the reliable
queue against a real redis-server, and the commands' bad-input answers."""

from __future__ import annotations

import asyncio

import pytest
import scrapy
from scrapy.http import HtmlResponse
from scrapy.utils.asyncio import _parallel_asyncio  # what Scrapy's scraper hands outputs to
from scrapy.utils.test import get_crawler
from scrapy_redis.dupefilter import RFPDupeFilter

from crawler import itemcodec
from crawler.items import Article, Capture, DedupeKeys, Digest, DigestItem, Recommendation
from crawler.plan import CrawlPlan
from crawler.redisqueue import (
    AckingSpider,
    AckMiddleware,
    AckRequest,
    DistributedScheduler,
    Keys,
    ReliableQueue,
    busy,
    recover_dead,
)
from crawler.sharedplan import merge_walks, plan_from_json, plan_to_json, walk_to_json
from tests.redis_support import RedisServer
from tests.support import run_cli

CAPTURE = Capture(url="https://www.8btc.com/article/1", final_url="https://www.8btc.com/article/1",
                  status=200, fetched_at="2023-03-07T16:02:00Z", body_sha256="ab" * 32,
                  warc_offset=12, site="8btc")


def test_a_digest_round_trips_to_the_same_frozen_dataclasses():
    digest = Digest(url="https://foresightnews.pro/article/detail/1",
                    canonical_url="https://foresightnews.pro/article/detail/1", site="foresight",
                    title="元宇宙每日必读", published_raw="3 月 7 日", published_at=None,
                    summary="摘要",
                    items=(DigestItem(position=1, headline="头条", text="据新浪科技报道…",
                                      attribution="新浪科技"),),
                    recommendations=(Recommendation(position=1, title="读", blurb=None,
                                                    url="https://www.8btc.com/article/1"),),
                    capture=CAPTURE)
    back = itemcodec.loads(itemcodec.dumps(digest))
    assert back == digest
    assert isinstance(back.items, tuple) and isinstance(back.items[0], DigestItem)


def test_an_article_with_dedupe_keys_round_trips_nested_items_and_tuples():
    article = Article(url="u", canonical_url="u", site="8btc", site_id="1", title="t",
                      author=None, published_raw=None, published_at=None, summary=None,
                      text="正文", tags=("a", "b"), images=(), capture=CAPTURE,
                      dedupe=DedupeKeys(text_sha256="0" * 64, body="正文\n\n第二段",
                                        figures=("1.5e+06usd",), names=("arbitrum", "币安")))
    assert itemcodec.loads(itemcodec.dumps(article)) == article


def test_a_bare_capture_round_trips():
    assert itemcodec.loads(itemcodec.dumps(CAPTURE)) == CAPTURE


@pytest.mark.parametrize("text", ["not json", '{"__item__": "Evil", "x": 1}', "[1, 2]",
                                  '{"__item__": "Capture", "nope": 1}'])
def test_a_text_that_is_no_item_is_refused(text):
    with pytest.raises(itemcodec.ItemCodecError):
        itemcodec.loads(text)


def test_a_plan_survives_json_and_reports_its_walks():
    plan = CrawlPlan(known=frozenset({"a", "b"}), recheck={"a": ("etag", None)},
                     pending=("c",), marks={"8btc": "2023-03-07T00:00:00Z"}, since=None)
    reports = []
    shared = plan_from_json(plan_to_json(plan), lambda listing, walk: reports.append(
        (listing, walk_to_json(walk))))
    assert (shared.known, shared.recheck, shared.pending, shared.marks) == (
        plan.known, plan.recheck, plan.pending, plan.marks)
    assert shared.walk_on("8btc", "8btc", []) is False
    assert reports and reports[0][0] == "8btc"


def test_walk_reports_merge_into_the_newest_and_complete_walk():
    merged = merge_walks(['{"source": "8btc", "newest": "2023-03-07T00:00:00Z", '
                          '"complete": false}',
                          '{"source": "8btc", "newest": "2023-03-01T00:00:00Z", '
                          '"complete": true}'])
    assert (merged.newest, merged.complete) == ("2023-03-07T00:00:00Z", True)
    assert merge_walks([]) is None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as running:
        yield running.client()


class Spider(scrapy.Spider):
    name = "8btc"

    def parse(self, response):  # pragma: no cover - never called
        yield from ()


def test_a_popped_request_stays_in_processing_until_acknowledged(server):
    keys = Keys("unit1")
    queue = ReliableQueue(server, Spider(), keys.requests("%(spider)s"))
    queue.worker = "w1"
    queue.push(scrapy.Request("https://www.8btc.com/article/1"))
    request = queue.pop()
    assert request.url == "https://www.8btc.com/article/1"
    assert server.llen(keys.processing("8btc", "w1")) == 1
    server.sadd(keys.workers, "w1")
    server.set(keys.alive("w1"), 1)
    assert busy(server, keys, ("8btc",)) == 1
    queue.ack(request)
    assert server.llen(keys.processing("8btc", "w1")) == 0
    assert busy(server, keys, ("8btc",)) == 0


def test_a_request_made_from_a_popped_one_takes_over_its_entry(server):
    keys = Keys("unit3")
    queue = ReliableQueue(server, Spider(), keys.requests("%(spider)s"))
    queue.worker = "w1"
    queue.push(scrapy.Request("https://www.8btc.com/list?page=1"))
    for page in range(2, 12):  # a listing walked page after page, like the spiders do
        request = queue.pop()
        queue.push(request.replace(url=f"https://www.8btc.com/list?page={page}"))
        assert server.llen(keys.processing("8btc", "w1")) == 0
    entry = server.lindex(keys.requests("8btc"), 0)
    assert len(entry) < 2000  # the entries do not nest inside each other


def test_a_dead_workers_requests_go_back_to_the_queue(server):
    keys = Keys("unit2")
    queue = ReliableQueue(server, Spider(), keys.requests("%(spider)s"))
    queue.worker = "dead"
    queue.push(scrapy.Request("https://www.8btc.com/article/2"))
    queue.pop()
    server.sadd(keys.workers, "dead")  # registered, but its heartbeat key is gone
    assert recover_dead(server, keys) == 1
    assert server.llen(keys.requests("8btc")) == 1
    assert server.smembers(keys.workers) == set()
    again = ReliableQueue(server, Spider(), keys.requests("%(spider)s"))
    again.worker = "alive"
    assert again.pop().url == "https://www.8btc.com/article/2"


def scheduler_for(server, keys, worker):
    """The worker's scheduler, opened on ``Spider`` without a crawl."""
    scheduler = DistributedScheduler(
        server, persist=True, queue_key=f"{keys.prefix}:%(spider)s:requests",
        queue_cls="crawler.redisqueue.ReliableQueue",
        dupefilter=RFPDupeFilter(server, keys.dupefilter))
    scheduler.keys, scheduler.worker = keys, worker
    scheduler.open(Spider())
    return scheduler


def popped(server, prefix, url):
    """(keys, scheduler, request): ``url`` queued by a fresh worker "w1" and popped again."""
    keys = Keys(prefix)
    scheduler = scheduler_for(server, keys, "w1")
    scheduler.enqueue_request(scrapy.Request(url))
    return keys, scheduler, scheduler.next_request()


def handle_like_scrapy(scheduler, outputs, response, processing):
    """Drive ``outputs`` through Scrapy's own output loop (CONCURRENT_ITEMS 1): requests go
    to the scheduler, items to an awaiting pipeline. Returns, per output, the processing
    list's length once that output was handled."""
    handled = []

    async def handle(output, response):
        if isinstance(output, scrapy.Request):
            scheduler.enqueue_request(output)
        else:
            await asyncio.sleep(0)  # an item pipeline that yields to the loop
        handled.append((output, scheduler.server.llen(processing)))

    asyncio.run(_parallel_asyncio(outputs, 1, handle, response))
    return handled


def test_a_request_is_acknowledged_only_after_every_output_was_handled(server):
    keys, scheduler, request = popped(server, "unit4", "https://www.8btc.com/list?page=1")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)

    async def callback():  # a listing page: an item, the next page, an article, an item
        yield {"n": 1}
        yield request.replace(url="https://www.8btc.com/list?page=2")
        yield scrapy.Request("https://www.8btc.com/article/9")
        yield {"n": 2}

    outputs = AckMiddleware().process_spider_output_async(response, callback())
    handled = handle_like_scrapy(scheduler, outputs, response, keys.processing("8btc", "w1"))
    # the popped request stays in processing until the last output was handled
    assert [n for _, n in handled] == [1, 1, 1, 1, 0]
    assert isinstance(handled[-1][0], AckRequest)
    assert server.llen(keys.requests("8btc")) == 2  # the next page and the article


def test_an_errback_ends_with_the_acknowledgement_too(server):
    keys, scheduler, request = popped(server, "unit5", "https://www.8btc.com/article/3")

    class Base:
        def record_failure(self, failure):
            yield {"failed": failure.request.url}

    class Failure:
        pass

    failure = Failure()
    failure.request = request
    spider = type("WorkerSpider", (AckingSpider, Base), {})()
    outputs = list(spider.record_failure(failure))
    assert outputs[0] == {"failed": request.url} and isinstance(outputs[-1], AckRequest)
    assert server.llen(keys.processing("8btc", "w1")) == 1  # the errback ran, not yet handled
    scheduler.enqueue_request(outputs[-1])
    assert server.llen(keys.processing("8btc", "w1")) == 0


def test_a_callback_that_raises_still_acknowledges_what_it_got_to(server):
    keys, scheduler, request = popped(server, "unit6", "https://www.8btc.com/article/4")
    response = HtmlResponse(request.url, body=b"", request=request)

    def callback():
        yield {"n": 1}
        raise RuntimeError("parser bug")

    outputs = AckMiddleware().process_spider_output(response, callback())
    assert next(outputs) == {"n": 1}
    assert isinstance(next(outputs), AckRequest)
    with pytest.raises(RuntimeError, match="parser bug"):
        next(outputs)


def test_a_seen_request_is_not_queued_and_a_redirect_to_one_still_acknowledges(server):
    keys = Keys("unit7")
    scheduler = scheduler_for(server, keys, "w1")
    assert scheduler.enqueue_request(scrapy.Request("https://www.8btc.com/article/5"))
    assert not scheduler.enqueue_request(scrapy.Request("https://www.8btc.com/article/5"))
    assert server.llen(keys.requests("8btc")) == 1
    assert server.scard(keys.dupefilter) == 1
    scheduler.enqueue_request(scrapy.Request("https://www.8btc.com/article/6"))
    popped = scheduler.next_request()  # article/5 (FIFO)
    # the downloader redirects it to a page already seen: dropped, but the entry is freed
    redirect = popped.replace(url="https://www.8btc.com/article/6")
    assert not scheduler.enqueue_request(redirect)
    assert server.llen(keys.processing("8btc", "w1")) == 0


def test_a_worker_refuses_concurrent_items_above_one(server):
    port = server.connection_pool.connection_kwargs["port"]
    crawler = get_crawler(Spider, {"CONCURRENT_ITEMS": 8,
                                   "REDIS_URL": f"redis://127.0.0.1:{port}/0"})
    with pytest.raises(ValueError, match="CONCURRENT_ITEMS = 1"):
        DistributedScheduler.from_crawler(crawler)


@pytest.mark.parametrize("args, message", [
    (["ingest", "--redis", "http://127.0.0.1:1"], "is not a redis:// URL"),
    (["crawl", "--redis", "redis://"], "is not a redis:// URL"),
    (["crawl", "--redis", "redis://127.0.0.1:6379", "--full"], "--full"),
])
def test_bad_redis_usage_is_one_error_line_and_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["ingest"], ["crawl"]])
def test_an_unreachable_redis_is_one_error_line_and_exit_1(command, tmp_path):
    from tests.redis_support import free_port

    result = run_cli(*command, "--redis", f"redis://127.0.0.1:{free_port()}/0",
                     "--db", str(tmp_path / "a.db"))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: cannot reach Redis at redis://127.0.0.1:")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "a.db").exists()
