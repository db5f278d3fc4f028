"""Dedupe keys for every article and digest item, between normalise and store.

Computes, for each text, the sha256 of its normalised form, its folded content units and
its facts (archive.signature), and attaches them to the item as ``dedupe``. The store
pipeline then saves the row and places it in its story (archive.stories) in one
transaction, so a crash never leaves a row without its story or a story without its row.
Counts ``dedupe/articles`` and ``dedupe/digest_items`` in Scrapy's stats.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from archive.signature import sign
from crawler.items import Article, DedupeKeys, Digest, DigestItem


def dedupe_keys(text: str, headline: str | None = None) -> DedupeKeys:
    """The dedupe keys of one text (its headline is signed in front of a very short text)."""
    sig = sign(text, headline)
    return DedupeKeys(text_sha256=sig.text_sha256, body=sig.body, figures=sig.figures,
                      names=sig.names)


def with_keys(item: Article | Digest) -> Article | Digest:
    """The item with dedupe keys on the article, or on each of the digest's items."""
    if isinstance(item, Article):
        return dataclasses.replace(item, dedupe=dedupe_keys(item.text, item.title))
    items: tuple[DigestItem, ...] = tuple(
        dataclasses.replace(i, dedupe=dedupe_keys(i.text, i.headline)) for i in item.items)
    return dataclasses.replace(item, items=items)


class DedupePipeline:
    """Attaches dedupe keys to articles and digest items; captures pass through."""

    def __init__(self, stats: StatsCollector | None = None):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, (Article, Digest)):
            return item
        keyed = with_keys(item)
        if self.stats is not None:
            if isinstance(item, Article):
                self.stats.inc_value("dedupe/articles")
            else:
                self.stats.inc_value("dedupe/digest_items", len(item.items))
        return keyed
