"""Counts what run health needs from each item, per site: statuses, errors, null fields.

Both spiders may fetch pages of both sites (a Foresight digest recommends 8btc
articles), so the counts are keyed by the site of the page, not by the spider:
``health/<site>/status/<code>``, ``health/<site>/errors/<kind>``,
``health/<site>/blocks/<what gave the block away>``,
``health/<site>/<table>/seen`` and ``health/<site>/<table>/null/<field>`` for
digests and articles after normalisation. ``archive.health`` turns the merged
counts of a run into one ``source_health`` row per site.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import Article, Capture, Digest
from crawler.robots import RobotsBlocked

WATCHED_FIELDS = {
    "digests": ("published_at", "summary", "items"),
    "articles": ("author", "published_at", "summary", "tags"),
}
"""Fields whose null (or empty) share is watched for layout drift."""


class HealthPipeline:
    """Adds per-site status, error and null-field counts to the crawler's stats."""

    def __init__(self, stats: StatsCollector):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HealthPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        capture = item if isinstance(item, Capture) else getattr(item, "capture", None)
        if capture is None:
            return item
        site = capture.site or "other"
        self.stats.inc_value(f"health/{site}/status/{capture.status or 'none'}")
        if capture.error_kind:
            self.stats.inc_value(f"health/{site}/errors/{capture.error_kind}")
        if capture.error_kind == "blocked":
            why = (capture.error or "block").removeprefix(f"{RobotsBlocked.__name__}: ")
            self.stats.inc_value(f"health/{site}/blocks/{why.replace('/', ' ')}")
        table = ("digests" if isinstance(item, Digest)
                 else "articles" if isinstance(item, Article) else None)
        if table is None:
            return item
        self.stats.inc_value(f"health/{site}/{table}/seen")
        for name in WATCHED_FIELDS[table]:
            if not getattr(item, name):
                self.stats.inc_value(f"health/{site}/{table}/null/{name}")
        return item
