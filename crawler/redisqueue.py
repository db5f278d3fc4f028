"""scrapy-redis, made safe to share: keys, a reliable request queue, idle closing.

A distributed worker uses scrapy-redis's scheduler, duplicate filter and item
pipeline (``crawler.worker`` sets them up). Three things scrapy-redis does not do
are added here, each by subclassing one of its parts:

- **No lost page on kill -9.** scrapy-redis pops a request destructively: a worker
  killed while downloading or parsing it loses it. ``ReliableQueue`` pops with
  ``LMOVE`` into the worker's own processing list (Redis's reliable-queue pattern);
  the request is removed from there (acknowledged) only once everything its
  callback or errback produced was queued or pushed: their output ends with an
  ``AckRequest`` marker, and Scrapy hands outputs over one by one, in order
  (CONCURRENT_ITEMS 1), so the scheduler sees the marker last. (Acknowledging when
  the callback's iterator ends is too early: Scrapy reads up to two outputs ahead.)
  The seen-set entry and the queue entry of a request are written by one Lua
  script, so no kill can leave a request "seen" but not queued. A worker keeps a
  heartbeat key alive; any worker (or the writer) that finds a worker without
  heartbeat moves that worker's processing lists back to the queues.
- **Workers that end.** ``DistributedScheduler`` (with SCHEDULER_IDLE_BEFORE_CLOSE
  left at 0, so Redis is never polled with a blocking pop that would stall the
  reactor) lets the spider close once its source's queue and every worker's
  processing list have been empty for ``REDIS_IDLE_SECONDS``.
- **Item output for Scrapy 2.16+.** ``RedisItemPipeline`` has the new
  ``process_item(item)`` signature and writes items as JSON (``crawler.itemcodec``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from redis import Redis
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.pipelines import RedisPipeline
from scrapy_redis.queue import FifoQueue
from scrapy_redis.scheduler import Scheduler

from crawler import itemcodec

logger = logging.getLogger(__name__)

PREFIX = "newsarchive"
ACK_META = "redis_acks"
"""request.meta key: the raw queue entry a popped request answers for."""
HEARTBEAT_TTL_MS = 6000

PUSH_SCRIPT = """
-- KEYS: queue, processing list, seen-set. ARGV: request, fingerprint ('' = do not
-- filter), then the processing entries the request takes over (acknowledged either way).
local queued = 0
if ARGV[2] == '' or redis.call('SADD', KEYS[3], ARGV[2]) == 1 then
  redis.call('LPUSH', KEYS[1], ARGV[1])
  queued = 1
end
for i = 3, #ARGV do redis.call('LREM', KEYS[2], 1, ARGV[i]) end
return queued
"""


class Keys:
    """The Redis keys of one deployment (``REDIS_PREFIX``), per source where it matters."""

    def __init__(self, prefix: str = PREFIX):
        self.prefix = prefix
        self.run = f"{prefix}:run"
        """The current run's id, set by the writer when it has published the plan."""
        self.plan = f"{prefix}:plan"
        self.walks = f"{prefix}:walks"
        self.workers = f"{prefix}:workers"
        """Set of the workers that registered and have not ended."""
        self.ever = f"{prefix}:workers:ever"
        self.stats = f"{prefix}:stats"
        self.dupefilter = f"{prefix}:dupefilter"
        self.item_processing = f"{prefix}:items:processing"

    def requests(self, source: str) -> str:
        return f"{self.prefix}:{source}:requests"

    def items(self, source: str) -> str:
        return f"{self.prefix}:{source}:items"

    def processing(self, source: str, worker: str) -> str:
        return f"{self.requests(source)}:processing:{worker}"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"


SOURCES = ("foresight", "8btc")


def recover_dead(server: Redis, keys: Keys, sources: tuple[str, ...] = SOURCES) -> int:
    """Move the processing lists of workers without heartbeat back to their queues;
    returns the requests moved. Safe to run from several processes at once."""
    moved = 0
    for worker in server.smembers(keys.workers):
        worker = worker.decode() if isinstance(worker, bytes) else worker
        if server.exists(keys.alive(worker)):
            continue
        for source in sources:
            src = keys.processing(source, worker)
            while server.lmove(src, keys.requests(source), "RIGHT", "RIGHT") is not None:
                moved += 1
        server.srem(keys.workers, worker)
        logger.warning("worker %s has no heartbeat: its requests went back to the queue",
                       worker)
    return moved


def busy(server: Redis, keys: Keys, sources: tuple[str, ...] = SOURCES) -> int:
    """Requests queued or being worked on for ``sources``, all workers together."""
    total = 0
    workers = [w.decode() if isinstance(w, bytes) else w for w in server.smembers(keys.workers)]
    for source in sources:
        total += server.llen(keys.requests(source))
        total += sum(server.llen(keys.processing(source, w)) for w in workers)
    return total


class ReliableQueue(FifoQueue):
    """scrapy-redis's FIFO queue whose pop keeps a copy until the request is acknowledged."""

    worker = "anonymous"
    """Set by the scheduler before the first pop."""

    @property
    def processing_key(self) -> str:
        return f"{self.key}:processing:{self.worker}"

    _script: Any = None

    def push(self, request: Request, fingerprint: str | None = None,
             seen_key: str | None = None) -> bool:
        """Queue a request unless ``fingerprint`` is already in ``seen_key``; True if queued.

        The seen-set, the queue and the acknowledgement change in one script. A request
        the downloader made from a popped one (a redirect, a retry) takes over that
        request's entries: they are acknowledged with it, queued or not, and never
        travel inside it (nested, they would double in size per page)."""
        inherited = request.meta.pop(ACK_META, ())
        if self._script is None:
            self._script = self.server.register_script(PUSH_SCRIPT)
        keys = [self.key, self.processing_key, seen_key or self.key]
        args = [self._encode_request(request), fingerprint or "", *inherited]
        return bool(self._script(keys=keys, args=args))

    def pop(self, timeout: int = 0) -> Request | None:
        data = self.server.lmove(self.key, self.processing_key, "RIGHT", "LEFT")
        if data is None:
            return None
        request = self._decode_request(data)
        request.meta[ACK_META] = [data]
        return request

    def ack(self, request: Request) -> None:
        """Forget the queue entries this request answered for."""
        for data in request.meta.get(ACK_META, ()):
            self.server.lrem(self.processing_key, 1, data)


class DistributedScheduler(Scheduler):
    """scrapy-redis's scheduler with a reliable queue and closing after a shared idle time."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedScheduler:
        if crawler.settings.getint("CONCURRENT_ITEMS") != 1:
            raise ValueError("a Redis worker needs CONCURRENT_ITEMS = 1: its acknowledgements "
                             "rely on outputs being handled one by one, in order")
        scheduler = super().from_crawler(crawler)
        scheduler.keys = Keys(crawler.settings.get("REDIS_PREFIX", PREFIX))
        scheduler.worker = crawler.settings.get("REDIS_WORKER_ID")
        scheduler.idle_seconds = crawler.settings.getfloat("REDIS_IDLE_SECONDS", 30.0)
        scheduler.idle_since: float | None = None
        crawler.signals.connect(scheduler.on_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.queue.worker = self.worker
        recover_dead(self.server, self.keys)

    def ack(self, request: Request) -> None:
        self.queue.ack(request)

    def enqueue_request(self, request: Request) -> bool:
        """scrapy-redis's enqueue, with the seen check and the push made one step, and the
        acknowledgement markers taken here instead of queued."""
        if isinstance(request, AckRequest):
            self.ack(request)
            return True
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push(request, fingerprint, self.df.key):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis", spider=self.spider)
        return True

    def on_idle(self) -> None:
        """Keep the spider open until the shared queue of its source stayed empty long enough."""
        recover_dead(self.server, self.keys)
        if busy(self.server, self.keys, (self.spider.name,)):
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_seconds:
            raise DontCloseSpider
        logger.info("the %s queue has been empty for %.0f s: closing", self.spider.name,
                    now - self.idle_since)


class AckRequest(Request):
    """Not a page: the last output for a popped request, carrying its queue entries.

    The scheduler takes it (``DistributedScheduler.enqueue_request``) and acknowledges
    the entries; it is never queued or fetched."""

    def __init__(self, entries: list[bytes]):
        super().__init__("data:,acknowledge", dont_filter=True, meta={ACK_META: entries})


def acknowledged(outputs: Any, request: Request | None) -> Any:
    """``outputs`` (a callback's or errback's), then the marker acknowledging ``request``.

    The marker follows an exception too (then the exception goes on). Requests in the
    output are new work: they do not take over the entries of ``request``."""
    entries = _entries(request)
    try:
        for output in outputs:
            yield _unlinked(output)
    except Exception:
        if entries:
            yield AckRequest(entries)
        raise
    if entries:
        yield AckRequest(entries)


def _entries(request: Request | None) -> list[bytes]:
    return list(request.meta.get(ACK_META, ())) if request is not None else []


def _unlinked(output: Any) -> Any:
    if isinstance(output, Request):
        output.meta.pop(ACK_META, None)
    return output


class AckMiddleware:
    """Spider middleware, closest to the engine: ends each callback's output with the
    acknowledgement of its request. Errbacks bypass spider middlewares;
    ``AckingSpider`` covers them."""

    async def process_spider_output_async(self, response: Any, result: Any) -> Any:
        entries = _entries(response.request)
        try:
            async for output in result:
                yield _unlinked(output)
        except Exception:
            if entries:
                yield AckRequest(entries)
            raise
        if entries:
            yield AckRequest(entries)

    def process_spider_output(self, response: Any, result: Any) -> Any:
        yield from acknowledged(result, response.request)


class AckingSpider:
    """Mixin for a worker's spider: its errback's output ends with the acknowledgement."""

    def record_failure(self, failure: Any) -> Any:
        outputs = super().record_failure(failure)  # type: ignore[misc]
        yield from acknowledged(outputs, getattr(failure, "request", None))


class RedisItemPipeline(RedisPipeline):
    """Pushes each item, as JSON, to its source's item list (``PREFIX:<source>:items``)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemPipeline:
        pipeline = super().from_crawler(crawler)
        pipeline.keys = Keys(crawler.settings.get("REDIS_PREFIX", PREFIX))
        pipeline.source = crawler.spidercls.name
        pipeline.stats = crawler.stats
        return pipeline

    def process_item(self, item: Any) -> Any:  # Scrapy 2.16+: no spider argument
        self.server.rpush(self.keys.items(self.source), itemcodec.dumps(item))
        self.stats.inc_value("redis/items_pushed")
        return item
