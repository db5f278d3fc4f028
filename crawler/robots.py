"""robots.txt as RFC 9309 reads it: a server error or no answer means "disallow all".

Scrapy's RobotsTxtMiddleware fails open: a robots.txt that answers 503, or never
answers, lets every request through. RFC 9309 §2.3.1.3-4 says an unreachable
robots.txt (5xx, network failure, timeout) means complete disallow; 4xx means no
rules. This subclass keeps Scrapy's caching per host and for the rest of the run
(a run that could not read robots.txt leaves that host alone until the next run),
and records the reason in the stats (``robots/disallow_all/<reason>``).

The verdict is the run's, not the crawler's: `newsarchive crawl` runs one crawler per
source, each with its own middleware, and a Foresight digest links to 8btc articles.
A disallow-all verdict is kept per ARCHIVE_RUN_ID (as crawler.dupefilter keeps its
seen-set), so once www.8btc.com's robots.txt failed, no spider of that run fetches
from it, whatever its own copy of robots.txt said. ``ROBOTSTXT_DOWNLOAD_TIMEOUT``
bounds the wait for a robots.txt (0: DOWNLOAD_TIMEOUT); past it the host is disallowed.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import Request
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from crawler.blocks import block_reason
from crawler.netfail import network_kind

logger = logging.getLogger(__name__)


class DisallowAll:
    """A robots parser that allows nothing; ``blocked`` when robots.txt itself was a block,
    ``unreachable`` (a crawler.netfail kind) when no answer came at all."""

    def __init__(self, reason: str, blocked: bool = False, unreachable: str | None = None):
        self.reason = reason
        self.blocked = blocked
        self.unreachable = unreachable

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        """Nothing is allowed."""
        return False


class RobotsBlocked(IgnoreRequest):
    """Not sent: the host's robots.txt answered with a block (HTTP 567...), so the source
    blocks us; recorded as a block (``kind``), not as a robots refusal."""

    kind = "blocked"


class RobotsUnreachable(IgnoreRequest):
    """Not sent: the host's robots.txt got no answer (refused, DNS, timeout, TLS), so the
    host is unreachable this run; recorded under that failure's own kind, not as a robots
    refusal."""

    def __init__(self, reason: str, kind: str):
        super().__init__(reason)
        self.kind = kind


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware that treats a 5xx or unreachable robots.txt as disallow-all,
    for every crawler of the run."""

    _runs: ClassVar[dict[str, dict[str, DisallowAll]]] = {}
    """ARCHIVE_RUN_ID -> netloc -> the verdict on a robots.txt that could not be read."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        logging.getLogger(RobotsTxtMiddleware.__module__).addFilter(_no_download_traceback)
        run = crawler.settings.get("ARCHIVE_RUN_ID")
        self._verdicts = self._runs.setdefault(str(run), {}) if run is not None else {}
        self._timeout = crawler.settings.getfloat("ROBOTSTXT_DOWNLOAD_TIMEOUT", 0)

    async def process_request(self, request: Request) -> None:  # type: ignore[override]
        if request.meta.get("dont_obey_robotstxt"):
            if self._timeout and urlparse_cached(request).path == "/robots.txt":
                request.meta.setdefault("download_timeout", self._timeout)
            return
        await super().process_request(request)

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._verdicts:
            parser = await super().robot_parser(request)
            if netloc not in self._verdicts:
                return parser if parser is not None else self._settled(netloc)
        return self._verdicts[netloc]  # this run could not read it, whichever crawler asked

    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, DisallowAll) and rp.blocked:
            self._stats.inc_value("robotstxt/forbidden")
            raise RobotsBlocked(rp.reason)
        if isinstance(rp, DisallowAll) and rp.unreachable:
            self._stats.inc_value("robotstxt/forbidden")
            raise RobotsUnreachable(rp.reason, rp.unreachable)
        super().process_request_2(rp, request)

    def _settled(self, netloc: str) -> Any:
        """The parser stored for ``netloc`` once its robots.txt is settled.

        Scrapy makes every request for a host wait on one Deferred while its robots.txt
        is fetched; awaited as a future, a Deferred hands its result to the first waiter
        only (Twisted's ``asFuture`` callback returns None), so the others got None,
        which means "allow everything": they went out even when robots.txt said no.
        """
        parser = self._parsers.get(netloc)
        return None if isinstance(parser, Deferred) else parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 500:
            await super()._parse_robots(response, netloc, request)
            return
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        block = block_reason(response.status, response.body, content_type)
        reason = f"{block} on robots.txt" if block else f"HTTP {response.status}"
        self._disallow(netloc, reason, blocked=block is not None)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # never sent (budget spent, not mirrored): no verdict
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc).__name__}")
        kind = network_kind(exc)
        self._disallow(netloc, kind, unreachable=kind)

    def _disallow(self, netloc: str, reason: str, blocked: bool = False,
                  unreachable: str | None = None) -> None:
        parser = self._verdicts.setdefault(netloc, DisallowAll(reason, blocked, unreachable))
        waiting: Any = self._parsers[netloc]
        self._parsers[netloc] = parser
        self._count(reason, netloc)
        waiting.callback(parser)

    def _count(self, reason: str, netloc: str) -> None:
        logger.warning("robots.txt of %s unreachable (%s): disallowing the host for this run",
                       netloc, reason)
        self._stats.inc_value(f"robots/disallow_all/{reason}")


def _no_download_traceback(record: logging.LogRecord) -> bool:
    """Drop Scrapy's "Error downloading <robots.txt>" ERROR and its traceback: the failure
    is reported once, by name, in this middleware's own warning (_count)."""
    return not str(record.msg).startswith("Error downloading")
