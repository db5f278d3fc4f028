"""A backfill run's bookkeeping: the plan each source's spider follows, read from the
archive before the spiders start, and where each walk stands, saved after they stop.

``BackfillJob`` is what ``newsarchive.run.run_crawl`` takes to run a backfill instead of a
crawl: the same lock, writer, budgets, run rows, health and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy.settings import Settings

from archive import backfill_state, cronstate
from archive.health import now_utc
from crawler.backfill_plan import BackfillPlan
from crawler.commoncrawl_spider import VIA as CC_VIA
from crawler.commoncrawl_spider import CommonCrawlSpider
from crawler.runtime import source_spider
from crawler.sites import CC_INDEX_HOST, WAYBACK_HOST, site_for_url
from crawler.wayback import PREFIXES, stamp
from crawler.wayback_spider import VIA, WaybackSpider

ARCHIVES = {"wayback": (VIA, WaybackSpider, WAYBACK_HOST),
            "commoncrawl": (CC_VIA, CommonCrawlSpider, CC_INDEX_HOST)}


@dataclass
class BackfillJob:
    """Backfill ``sources`` from ``archive`` over the window ``since``..``until`` (ISO UTC,
    both inclusive; None: open)."""

    archive: str
    since: str | None = None
    until: str | None = None
    mode: str = "archive"
    plans: dict[str, BackfillPlan] | None = None
    collections: tuple[str, ...] = ()
    """Common Crawl: the collections to walk (none: those overlapping the window)."""
    cache: str | None = None
    """Common Crawl: the file the collection list is cached in."""

    @property
    def host(self) -> str:
        return ARCHIVES[self.archive][2]

    def plan(self, db: Any, sources: list[str]) -> dict[str, BackfillPlan]:
        """One plan per source, from what the archive holds and the last walk's state."""
        via = ARCHIVES[self.archive][0]
        done = frozenset(backfill_state.get_stored_captures(db, via))
        known = frozenset(cronstate.get_known_urls(db))
        pending = cronstate.get_pending_links(db)
        dates = backfill_state.get_link_dates(db) if self.archive == "commoncrawl" else {}
        self.plans = {}
        for source in sources:
            plan = BackfillPlan(self.archive, source, PREFIXES[source],
                                since=stamp(self.since) if self.since else None,
                                until=stamp(self.until) if self.until else None,
                                done=done, known=known,
                                pending=tuple(u for u in pending if _site(u) == source),
                                collections=self.collections, cache=self.cache,
                                link_dates=dates)
            _resume(plan, backfill_state.get_state(db, self.archive, source))
            self.plans[source] = plan
        return self.plans

    def spider(self, settings: Settings, name: str) -> type:
        """The archive's spider for source ``name``, with that source's settings."""
        base = source_spider(settings, name)
        spider = ARCHIVES[self.archive][1]
        return type(f"{spider.__name__}_{name}", (spider,),
                    {"name": name, "custom_settings": base.custom_settings})

    def finish(self, db: Any, run_id: int, status: str) -> None:
        """Save where each walk stands, unless the archive may have lost items."""
        if status in ("storage_error", "failed"):
            return
        for source, plan in (self.plans or {}).items():
            if not plan.walk:
                continue
            backfill_state.save_state(db, {
                "archive": self.archive, "source": source, "query": plan.query,
                "resume_key": None if plan.complete else plan.safe_key,
                "complete": int(plan.complete), "run_id": run_id, "updated_at": now_utc_iso()})


def _resume(plan: BackfillPlan, state: dict[str, Any] | None) -> None:
    """Continue the same query where it stopped; a closed window walked to its end is not
    listed again, an open one is listed again (its stored captures are skipped)."""
    if state is None or state["query"] != plan.query:
        return
    if state["complete"] and plan.until:
        plan.walk = False
    elif not state["complete"]:
        plan.resume_key = plan.safe_key = state["resume_key"]


def _site(url: str) -> str | None:
    site = site_for_url(url)
    return site.name if site else None


def now_utc_iso() -> str:
    return now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")
