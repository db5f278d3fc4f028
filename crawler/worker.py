"""A distributed crawl worker: ``newsarchive crawl --redis URL``.

The worker has no archive. It waits for the writer (``newsarchive ingest``) to publish
the run's plan in Redis, crawls with scrapy-redis's scheduler, duplicate filter and item
pipeline (``crawler.redisqueue``), keyed per source, and ends once its sources' shared
queues have been idle for ``idle_seconds``. A heartbeat thread keeps its ``alive`` key
fresh; a worker killed with kill -9 loses it within seconds, and whoever notices moves
its unfinished requests back to the queue. Items go to Redis as JSON; the writer stores
them. WARC: with ``warc_dir`` the worker writes its own WARC files there (a folder the
writer's archive shares), else none (the captures then have no record, which
``newsarchive check`` accepts).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.redisqueue import HEARTBEAT_TTL_MS, AckingSpider, Keys
from crawler.runtime import build_settings, merge_stats, source_spider
from crawler.sharedplan import plan_from_json, walk_to_json


class RedisUnavailable(Exception):
    """Redis cannot be reached, or the run's plan never appeared there."""


@dataclass
class WorkerResult:
    """What one worker did, for its summary line."""

    worker: str
    run_id: int
    seconds: float
    stats: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        pages = int(self.stats.get("response_received_count", 0))
        items = int(self.stats.get("redis/items_pushed", 0))
        reason = self.stats.get("finish_reason", "?")
        return (f"worker {self.worker} (run {self.run_id}): {pages} responses, {items} items "
                f"pushed, {self.seconds:.1f} s, ended: {reason}")


def connect(url: str) -> redis.Redis:
    """A client for ``url``, checked with PING; RedisUnavailable with the reason."""
    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        server.ping()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise RedisUnavailable(f"cannot reach Redis at {url}: {exc}") from None
    return server


def wait_for_run(server: redis.Redis, keys: Keys, timeout: float) -> tuple[int, bytes]:
    """The run id and plan the writer published; waits up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        run, plan = server.mget(keys.run, keys.plan)
        if run is not None and plan is not None:
            return int(run), plan
        if time.monotonic() >= deadline:
            raise RedisUnavailable(f"no run published in Redis after {timeout:.0f} s: start "
                                   "`newsarchive ingest --redis URL` (the writer) first")
        time.sleep(0.2)


def worker_settings(url: str, mirror: str | None, overrides: dict[str, Any], worker: str,
                    run_id: int, idle_seconds: float, warc_dir: str | None) -> Settings:
    """The project's settings with scrapy-redis in place of the local scheduler and store."""
    settings = build_settings("", mirror, overrides)
    keys = Keys(settings.get("REDIS_PREFIX") or "newsarchive")
    settings.setdict({
        "ARCHIVE_DB": "", "ARCHIVE_RUN_ID": run_id, "REDIS_URL": url,
        "REDIS_PREFIX": keys.prefix, "REDIS_WORKER_ID": worker,
        "REDIS_IDLE_SECONDS": idle_seconds,
        "SCHEDULER": "crawler.redisqueue.DistributedScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.redisqueue.ReliableQueue",
        "SCHEDULER_QUEUE_KEY": f"{keys.prefix}:%(spider)s:requests",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # one seen-set for both sources, as crawler.dupefilter has locally: a page is
        # fetched once per run whichever spider asks first
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "SCHEDULER_PERSIST": True, "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "CONCURRENT_ITEMS": 1,
        "ITEM_PIPELINES": {"crawler.redisqueue.RedisItemPipeline": 300},
        "SPIDER_MIDDLEWARES": {"crawler.redisqueue.AckMiddleware": 1},
        "WARC_ENABLED": bool(warc_dir), "WARC_DIR": warc_dir or "", "WARC_LABEL": worker,
    }, priority="cmdline")
    return settings


def worker_id() -> str:
    """host-pid: unique among the workers of a deployment."""
    return f"{socket.gethostname()}-{os.getpid()}"


def run_worker(url: str, sources: list[str], mirror: str | None = None,
               overrides: dict[str, Any] | None = None, idle_seconds: float = 30.0,
               warc_dir: str | None = None, wait_seconds: float = 60.0) -> WorkerResult:
    """Crawl ``sources`` as one worker of the run the writer published; blocks until idle."""
    server = connect(url)
    keys = Keys((overrides or {}).get("REDIS_PREFIX") or "newsarchive")
    run_id, plan_json = wait_for_run(server, keys, wait_seconds)
    me = worker_id()
    started = time.monotonic()
    beat = Heartbeat(server, keys, me)
    beat.start()
    settings = worker_settings(url, mirror, overrides or {}, me, run_id, idle_seconds, warc_dir)
    process = CrawlerProcess(settings)
    crawlers = []
    for name in sources:
        report = _walk_reporter(server, keys, me)
        spider = type(f"Worker{name}", (AckingSpider, source_spider(settings, name)), {})
        crawler = process.create_crawler(spider)
        process.crawl(crawler, plan=plan_from_json(plan_json, report))
        crawlers.append(crawler)
    try:
        process.start()
    finally:
        stats = merge_stats([c.stats.get_stats() for c in crawlers if c.stats])
        beat.stop(stats, sources)
    return WorkerResult(me, run_id, time.monotonic() - started, stats)


def _walk_reporter(server: redis.Redis, keys: Keys, me: str) -> Any:
    def report(listing: str, walk: Any) -> None:
        server.hset(keys.walks, f"{listing}|{me}", walk_to_json(walk))
    return report


class Heartbeat:
    """Registers the worker and keeps its ``alive`` key fresh from a thread; on a clean
    end, puts back what it popped but did not finish and leaves its stats."""

    def __init__(self, server: redis.Redis, keys: Keys, worker: str):
        self.server, self.keys, self.worker = server, keys, worker
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="redis-heartbeat", daemon=True)

    def start(self) -> None:
        self.server.set(self.keys.alive(self.worker), 1, px=HEARTBEAT_TTL_MS)
        self.server.sadd(self.keys.workers, self.worker)
        self.server.sadd(self.keys.ever, self.worker)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(1.0):
            try:
                self.server.set(self.keys.alive(self.worker), 1, px=HEARTBEAT_TTL_MS)
            except redis.RedisError:
                continue

    def stop(self, stats: dict[str, Any], sources: list[str]) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        for source in sources:
            src = self.keys.processing(source, self.worker)
            while self.server.lmove(src, self.keys.requests(source), "RIGHT", "RIGHT"):
                pass
        self.server.hset(self.keys.stats, self.worker, json.dumps(stats, default=str))
        self.server.srem(self.keys.workers, self.worker)
        self.server.delete(self.keys.alive(self.worker))
