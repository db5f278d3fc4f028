"""Run the spiders in this process: one crawl of one or both sites, one ``runs`` row.

Used by ``newsarchive crawl`` and ``newsarchive demo``. Scrapy's reactor cannot
restart, so this runs once per process.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from archive import store
from archive.db import open_db
from crawler.clock import utc_now
from crawler.spiders.eightbtc import EightbtcSpider
from crawler.spiders.foresight import ForesightSpider
from pipelines.store import finish_run

SPIDERS = {"foresight": ForesightSpider, "8btc": EightbtcSpider}
MIRROR_SETTINGS: dict[str, Any] = {
    # The mirror is ours and on loopback: no politeness delay, more parallelism.
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}

logger = logging.getLogger(__name__)


@dataclass
class CrawlResult:
    """What a crawl did, for the command line to report."""

    run_id: int
    status: str
    stats: dict[str, Any] = field(default_factory=dict)


def build_settings(db_path: str, mirror: str | None, overrides: dict[str, Any]) -> Settings:
    """Project settings with the archive path, the mirror and the user's -s overrides.

    The installed command runs from any folder: without a scrapy.cfg in sight, Scrapy
    would fall back to its bare defaults (no pipelines, no host map), so the project's
    settings module is named here unless the user named another.
    """
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    if mirror:
        settings.set("MIRROR_URL", mirror, priority="cmdline")
        settings.setdict(MIRROR_SETTINGS, priority="cmdline")
    settings.setdict(overrides, priority="cmdline")
    return settings


def run_crawl(db_path: str, sources: list[str], mirror: str | None = None,
              overrides: dict[str, Any] | None = None) -> CrawlResult:
    """Crawl ``sources`` into the archive at ``db_path``; blocks until done."""
    settings = build_settings(db_path, mirror, overrides or {})
    db = open_db(db_path)
    run_id = store.save_run_start(db, started_at=utc_now(), spiders=",".join(sources),
                                  target=mirror or "live")
    settings.set("ARCHIVE_RUN_ID", run_id, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for name in sources:
        crawler = process.create_crawler(SPIDERS[name])
        crawlers.append(crawler)
        process.crawl(crawler)
    process.start()
    stats = merge_stats([c.stats.get_stats() for c in crawlers if c.stats])
    status = finish_run(db, run_id, stats)
    db.close()
    return CrawlResult(run_id=run_id, status=status, stats=stats)


def merge_stats(all_stats: list[dict[str, Any]]) -> dict[str, Any]:
    """Add the numeric stats of several crawlers; keep the worst finish reason."""
    merged: dict[str, Any] = {}
    for stats in all_stats:
        for key, value in stats.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
    reasons = [s.get("finish_reason", "unknown") for s in all_stats]
    bad = [r for r in reasons if r != "finished"]
    merged["finish_reason"] = bad[0] if bad else "finished"
    return merged

