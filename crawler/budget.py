"""A run's budget: at most N requests and M minutes, across every spider of the run.

``newsarchive crawl --max-requests N --max-minutes M``. Scrapy's CloseSpider
extension counts per crawler (per source) and counts responses; a cron job's budget
is for the whole run and for what it sends. This downloader middleware counts every
request about to be sent (robots.txt included) in a counter shared by the crawlers
of one run (keyed on ARCHIVE_RUN_ID, as the duplicate filter is). Once the budget
is spent it turns further requests away (``BudgetExhausted``, which the spiders do
not record as failures) and closes the spider with reason ``budget``. What was
fetched is stored; what was not is found again by the next run (``crawler.plan``).
"""

from __future__ import annotations

import logging
import time
from typing import Any, ClassVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)


class BudgetExhausted(IgnoreRequest):
    """The run's request or time budget is spent; the request was not sent."""


class RunBudget:
    """Counter and clock of one run, shared by its crawlers."""

    def __init__(self, max_requests: int, max_seconds: float):
        self.max_requests = max_requests
        self.max_seconds = max_seconds
        self.sent = 0
        self.started = time.monotonic()

    def spent(self) -> str | None:
        """Which budget is spent ('requests', 'minutes'), or None."""
        if self.max_requests and self.sent >= self.max_requests:
            return "requests"
        if self.max_seconds and time.monotonic() - self.started >= self.max_seconds:
            return "minutes"
        return None


class BudgetMiddleware:
    """Downloader middleware enforcing BUDGET_MAX_REQUESTS and BUDGET_MAX_MINUTES."""

    _runs: ClassVar[dict[str, RunBudget]] = {}

    def __init__(self, crawler: Crawler, budget: RunBudget):
        self.crawler = crawler
        self.budget = budget
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BudgetMiddleware:
        max_requests = crawler.settings.getint("BUDGET_MAX_REQUESTS", 0)
        max_seconds = crawler.settings.getfloat("BUDGET_MAX_MINUTES", 0) * 60
        if max_requests <= 0 and max_seconds <= 0:
            raise NotConfigured  # no budget is the normal case: no "Disabled" warning
        run = str(crawler.settings.get("ARCHIVE_RUN_ID") or id(crawler))
        budget = cls._runs.setdefault(run, RunBudget(max_requests, max_seconds))
        return cls(crawler, budget)

    def process_request(self, request: Request) -> Any:
        spent = self.budget.spent()
        if spent is None:
            self.budget.sent += 1
            return None
        self.crawler.stats.inc_value(f"budget/refused/{spent}")
        if not self.closing:
            self.closing = True
            logger.info("budget of %s spent: closing %s", spent, self.crawler.spider.name)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=f"budget_{spent}"))
        raise BudgetExhausted(f"budget of {spent} spent")
