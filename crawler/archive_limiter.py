"""Etiquette towards the web archives: one request limiter per host for the whole run.

A downloader middleware, enabled for spiders with ``archive_limits`` (the backfill's).
A request that carries ``meta["archive_kind"]`` (``cdx``, ``playback``, ``index``,
``record``) waits for its turn: the Wayback CDX API at most ``WAYBACK_CDX_PER_MINUTE`` (24)
requests a minute, playback at most ``WAYBACK_PLAYBACK_PER_SECOND`` (1) a second; Common
Crawl's index server at most ``CC_INDEX_PER_MINUTE`` (20) a minute, its WARC files at most
``CC_RECORDS_PER_SECOND`` (1) Range requests a second. The
limiters live in the process, keyed by host, so the spiders of one run share them.
An answer 429 stops the host for ``ARCHIVE_PAUSE_429`` seconds (60; archive.org escalates
firewall blocks for clients that ignore 429) or its Retry-After when longer; 503 and 504
(and CloudFront's 4xx refusals) stop it for ``ARCHIVE_BACKOFF_5XX`` seconds, doubled on
each further one in a row (at most 16 times). The retry middleware then asks again,
through this limiter.

Turns are reserved when a request arrives, so requests waiting together still leave
one interval between them; a pause that starts while they wait sends them to the back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import deferred_to_future
from twisted.internet.task import deferLater

KIND = "archive_kind"
"""The request meta key naming the limiter a request waits for."""


class HostLimiter:
    """The turns of one host: the next free time per kind, and a pause for the host."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.next_at: dict[str, float] = {}
        self.paused_until = 0.0
        self.strikes = 0

    def reserve(self, kind: str, interval: float) -> float:
        """Seconds to wait before sending a request of ``kind``; the turn is taken."""
        now = self.clock()
        start = max(now, self.next_at.get(kind, 0.0), self.paused_until)
        self.next_at[kind] = start + interval
        return start - now

    def pause(self, seconds: float) -> None:
        """Send nothing to the host for ``seconds`` from now."""
        self.paused_until = max(self.paused_until, self.clock() + seconds)

    def paused(self) -> bool:
        return self.clock() < self.paused_until


class ArchiveLimiterMiddleware:
    """Waits each archive request's turn; pauses a host on 429, backs off on 503/504."""

    hosts: ClassVar[dict[str, HostLimiter]] = {}

    def __init__(self, intervals: dict[str, float], pause_429: float, backoff: float):
        self.intervals, self.pause_429, self.backoff = intervals, pause_429, backoff

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveLimiterMiddleware:
        if not getattr(crawler.spidercls, "archive_limits", False):
            raise NotConfigured  # only the archive spiders wait for turns; no "Disabled" warning
        s = crawler.settings
        intervals = {"cdx": 60.0 / s.getfloat("WAYBACK_CDX_PER_MINUTE", 24),
                     "playback": 1.0 / s.getfloat("WAYBACK_PLAYBACK_PER_SECOND", 1),
                     "index": 60.0 / s.getfloat("CC_INDEX_PER_MINUTE", 20),
                     "record": 1.0 / s.getfloat("CC_RECORDS_PER_SECOND", 1)}
        return cls(intervals, s.getfloat("ARCHIVE_PAUSE_429", 60),
                   s.getfloat("ARCHIVE_BACKOFF_5XX", 10))

    def limiter(self, request: Request) -> HostLimiter:
        host = (urlsplit(request.url).hostname or "").lower()
        return self.hosts.setdefault(host, HostLimiter())

    async def process_request(self, request: Request) -> None:
        kind = request.meta.get(KIND)
        if kind not in self.intervals:
            return
        limiter = self.limiter(request)
        while True:
            wait = limiter.reserve(kind, self.intervals[kind])
            if wait > 0:
                from twisted.internet import reactor  # the one Scrapy installed

                await deferred_to_future(deferLater(reactor, wait, lambda: None))
            if not limiter.paused():
                return

    def process_response(self, request: Request, response: Response) -> Any:
        if request.meta.get(KIND) not in self.intervals:
            return response
        limiter = self.limiter(request)
        if response.status == 429:
            limiter.pause(max(self.pause_429, _retry_after(response)))
        elif response.status in (503, 504) or cloudfront_refusal(response):
            limiter.strikes = min(limiter.strikes + 1, 5)
            limiter.pause(max(self.backoff * 2 ** (limiter.strikes - 1), _retry_after(response)))
        else:
            limiter.strikes = 0
        return response


def cloudfront_refusal(response: Response) -> bool:
    """A 4xx from CloudFront (Common Crawl's data host when it sheds load, e.g. 403), not
    from the archive's own server: backed off like a 503."""
    if not 400 <= response.status < 500 or response.status in (400, 404, 416, 429):
        return False
    via = b" ".join(response.headers.getlist(b"Via") + response.headers.getlist(b"X-Cache"))
    server = response.headers.get(b"Server", b"")
    return b"cloudfront" in (via + b" " + server).lower()


def _retry_after(response: Response) -> float:
    value = response.headers.get(b"Retry-After", b"").decode("latin-1").strip()
    return float(value) if value.isdigit() else 0.0
