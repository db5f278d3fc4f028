"""Requests sent, per site: what ``source_health.requests`` reports.

Scrapy counts the requests its downloader sends (``downloader/request_count``) for the
whole crawler, and a crawler of one source also fetches the other's pages (a Foresight
digest recommends 8btc articles). This downloader middleware sits just before the
download handler, after robots.txt, the budget and the safety checks turned requests
away, so it sees exactly what goes out (robots.txt fetches and retries included), and
counts it by the site of the URL: ``health/<site>/requests``.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.sites import site_for_url


class SentPerSiteMiddleware:
    """Counts every request about to be sent, by site."""

    def __init__(self, stats: StatsCollector):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SentPerSiteMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        site = site_for_url(request.url)
        self.stats.inc_value(f"health/{site.name if site else 'other'}/requests")
