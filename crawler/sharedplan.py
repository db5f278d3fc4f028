"""A crawl plan that several processes share: as JSON, and with walks reported out.

In a distributed run the writer (``newsarchive ingest``) is the only process with the
archive: it reads the plan (``crawler.plan``) from it and publishes it as JSON; each
worker rebuilds it with ``plan_from_json``. The pages of one listing are walked by
whichever worker pops them, so a walk's progress cannot stay in one process: a
``SharedPlan`` hands every ``walk_on`` result to a callback (the worker writes it to
Redis) and the writer merges them into the listing marks. Pure: no Scrapy, no Redis.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from crawler.items import ListingEntry
from crawler.plan import CrawlPlan, Walk


def plan_to_json(plan: CrawlPlan) -> str:
    """The plan's inputs (not its walks) as one JSON text."""
    return json.dumps({
        "known": sorted(plan.known), "pending": list(plan.pending),
        "recheck": {url: list(pair) for url, pair in plan.recheck.items()},
        "marks": plan.marks, "since": plan.since, "until": plan.until,
    }, ensure_ascii=False)


def plan_from_json(text: str | bytes, report: Callable[[str, Walk], None] | None = None
                   ) -> CrawlPlan:
    """The plan ``plan_to_json`` wrote; a SharedPlan reporting walks when ``report`` is given."""
    data = json.loads(text)
    fields: dict[str, Any] = {
        "known": frozenset(data["known"]), "pending": tuple(data["pending"]),
        "recheck": {url: (pair[0], pair[1]) for url, pair in data["recheck"].items()},
        "marks": dict(data["marks"]), "since": data["since"], "until": data["until"]}
    if report is None:
        return CrawlPlan(**fields)
    plan = SharedPlan(**fields)
    plan.report = report
    return plan


class SharedPlan(CrawlPlan):
    """A CrawlPlan that reports each listing's walk after every page it records."""

    report: Callable[[str, Walk], None] | None = None

    def walk_on(self, listing: str, source: str, entries: Iterable[ListingEntry]) -> bool:
        go_on = super().walk_on(listing, source, entries)
        if self.report is not None:
            self.report(listing, self.walks[listing])
        return go_on


def walk_to_json(walk: Walk) -> str:
    """One listing's walk as JSON (source, newest, complete)."""
    return json.dumps({"source": walk.source, "newest": walk.newest, "complete": walk.complete})


def merge_walks(texts: Iterable[str | bytes]) -> Walk | None:
    """One listing's walk from the reports of its pages: newest of all, complete if any
    page ended the walk. None without reports."""
    merged: Walk | None = None
    for text in texts:
        data = json.loads(text)
        if merged is None:
            merged = Walk(data["source"])
        newest = data.get("newest")
        if newest and (merged.newest is None or newest > merged.newest):
            merged.newest = newest
        merged.complete = merged.complete or bool(data.get("complete"))
    return merged
