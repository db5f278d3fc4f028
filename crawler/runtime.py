"""The Scrapy side of a run: its settings, its spiders and its merged stats.

Shared by every process that crawls (``newsarchive.run`` for a crawl into the archive,
``crawler.worker`` for a distributed worker, ``pipelines.writer`` for the writer process):
plain Scrapy and the project's settings, nothing of the archive.
"""

from __future__ import annotations

import os
from typing import Any

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from crawler.spiders.eightbtc import EightbtcSpider
from crawler.spiders.foresight import ForesightSpider

SPIDERS = {"foresight": ForesightSpider, "8btc": EightbtcSpider}
MIRROR_SETTINGS: dict[str, Any] = {
    # The mirror is ours and on loopback: no politeness delay, more parallelism.
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


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


def source_spider(settings: Settings, name: str) -> type:
    """The spider of one source, carrying that source's politeness settings (SOURCE_SETTINGS)
    as its custom settings: above the project's, below the command line's and the mirror's."""
    spider = SPIDERS[name]
    per_source = settings.getdict("SOURCE_SETTINGS").get(name, {})
    return type(spider.__name__, (spider,),
                {"custom_settings": {**spider.custom_settings, **per_source}})


def merge_stats(all_stats: list[dict[str, Any]]) -> dict[str, Any]:
    """Add the numeric stats of several crawlers; keep the worst finish reason."""
    merged: dict[str, Any] = {}
    for stats in all_stats:
        for key, value in stats.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
            elif key == "archive/storage_error":  # the message of a write that failed
                merged.setdefault(key, value)
    # No finish reason: the reactor stopped before the spider closed (a second SIGTERM).
    reasons = [s.get("finish_reason", "forced_shutdown") for s in all_stats]
    bad = [r for r in reasons if r != "finished"]
    merged["finish_reason"] = bad[0] if bad else "finished"
    return merged
