"""The project's item pipelines outside Scrapy: how a writer that is not a crawl stores items.

Two writers drain items that crawlers produced elsewhere through the very pipelines a
local crawl uses (ITEM_PIPELINES: normalise, dedupe, health, store, validators): the
distributed run's ``newsarchive ingest`` (pipelines.ingest, items from Redis) and a local
crawl's writer process (pipelines.writer, items from the crawl through a pipe). Both
build the pipelines here and push each item through ``process``. No Redis, no reactor.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.misc import load_object

SKIPPED_PIPELINES = ("crawler.redisqueue.RedisItemPipeline", "pipelines.handoff.HandoffPipeline")
"""Pipelines that hand items to a writer: a writer never builds them."""


class Stats:
    """The part of Scrapy's StatsCollector the pipelines use, without a crawler."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        self.values[key] = self.values.get(key, start) + count

    def set_value(self, key: str, value: Any, spider: Any = None) -> None:
        self.values[key] = value

    def get_value(self, key: str, default: Any = None, spider: Any = None) -> Any:
        return self.values.get(key, default)

    def get_stats(self, spider: Any = None) -> dict[str, Any]:
        return self.values


def build_pipelines(settings: Settings, stats: Stats, name: str = "ingest") -> list[Any]:
    """The project's item pipelines, in order, built as Scrapy builds them."""
    crawler = SimpleNamespace(settings=settings, stats=stats,
                              spidercls=SimpleNamespace(name=name))
    order = sorted(settings.getwithbase("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
    pipelines = []
    for path, priority in order:
        if priority is None or path in SKIPPED_PIPELINES:
            continue
        cls = load_object(path)
        pipelines.append(cls.from_crawler(crawler) if hasattr(cls, "from_crawler") else cls())
    return pipelines


def process(pipelines: list[Any], item: Any, stats: Stats,
            stored_key: str = "ingest/items_stored") -> None:
    """One item through every pipeline; a DropItem is counted as Scrapy counts it."""
    try:
        for pipeline in pipelines:
            item = pipeline.process_item(item)
    except DropItem as exc:
        stats.inc_value(f"item_dropped_reasons_count/{type(exc).__name__}")
        return
    stats.inc_value(stored_key)
