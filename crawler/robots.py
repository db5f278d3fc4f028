"""robots.txt as RFC 9309 reads it: a server error or no answer means "disallow all".

Scrapy's RobotsTxtMiddleware fails open: a robots.txt that answers 503, or never
answers, lets every request through. RFC 9309 §2.3.1.3-4 says an unreachable
robots.txt (5xx, network failure, timeout) means complete disallow; 4xx means no
rules. This subclass keeps Scrapy's caching per host and for the rest of the run
(a run that could not read robots.txt leaves that host alone until the next run),
and records the reason in the stats (``robots/disallow_all/<reason>``).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import Request

logger = logging.getLogger(__name__)


class DisallowAll:
    """A robots parser that allows nothing."""

    def __init__(self, reason: str):
        self.reason = reason

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        """Nothing is allowed."""
        return False


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware that treats a 5xx or unreachable robots.txt as disallow-all."""

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 500:
            await super()._parse_robots(response, netloc, request)
            return
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        self._disallow(netloc, f"HTTP {response.status}")

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # never sent (budget spent, not mirrored): no verdict
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc).__name__}")
        self._disallow(netloc, type(exc).__name__)

    def _disallow(self, netloc: str, reason: str) -> None:
        waiting: Any = self._parsers[netloc]
        parser = DisallowAll(reason)
        self._parsers[netloc] = parser
        self._count(reason, netloc)
        waiting.callback(parser)

    def _count(self, reason: str, netloc: str) -> None:
        logger.warning("robots.txt of %s unreachable (%s): disallowing the host for this run",
                       netloc, reason)
        self._stats.inc_value(f"robots/disallow_all/{reason}")
