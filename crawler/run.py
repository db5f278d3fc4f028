"""Run the spiders in this process: one crawl of one or both sites, one ``runs`` row.

Used by ``newsarchive crawl`` and ``newsarchive demo``. Scrapy's reactor cannot
restart, so this runs once per process. Before the spiders start it reads the
archive into a plain ``CrawlPlan`` (what is archived, what is pending, the listing
marks); after they stop it moves the marks of complete walks and writes the run's
health (``archive.health``): one ``source_health`` row per site and the exit code.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from archive import cronstate, health, store
from archive.db import open_db
from crawler.clock import utc_now
from crawler.plan import CrawlPlan
from crawler.spiders.eightbtc import EightbtcSpider
from crawler.spiders.foresight import ForesightSpider
from pipelines.batch import WriteBatch
from pipelines.handoff import WriterProcess
from pipelines.store import finish_run

SPIDERS = {"foresight": ForesightSpider, "8btc": EightbtcSpider}
CONTENT_TABLES = ("digests", "digest_items", "recommendations", "articles", "digest_links",
                  "captures")
MIRROR_SETTINGS: dict[str, Any] = {
    # The mirror is ours and on loopback: no politeness delay, more parallelism.
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}

logger = logging.getLogger(__name__)


@dataclass
class CronOptions:
    """How a run chooses what to fetch: incremental (the default) or a backfill window."""

    since: str | None = None
    """Backfill: fetch what was published at or after this ISO UTC time."""
    until: str | None = None
    """Backfill: ... and before this one."""
    recheck_hours: float = 48.0
    """Re-fetch archived pages published this recently, conditionally."""


@dataclass
class CrawlResult:
    """What a crawl did, for the command line to report."""

    run_id: int
    status: str
    stats: dict[str, Any] = field(default_factory=dict)
    exit_code: int = 0
    message: str | None = None
    health: list[dict[str, Any]] = field(default_factory=list)


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


def build_plan(db: Any, cron: CronOptions) -> CrawlPlan:
    """Read what the archive already holds into the plan the spiders follow."""
    now = health.now_utc()
    return CrawlPlan(known=frozenset(cronstate.get_known_urls(db)),
                     recheck=cronstate.get_recheck(db, now, cron.recheck_hours),
                     pending=tuple(cronstate.get_pending_links(db)),
                     marks=cronstate.get_marks(db), since=cron.since, until=cron.until)


def source_spider(settings: Settings, name: str) -> type:
    """The spider of one source, carrying that source's politeness settings (SOURCE_SETTINGS)
    as its custom settings: above the project's, below the command line's and the mirror's."""
    spider = SPIDERS[name]
    per_source = settings.getdict("SOURCE_SETTINGS").get(name, {})
    return type(spider.__name__, (spider,),
                {"custom_settings": {**spider.custom_settings, **per_source}})


def run_crawl(db_path: str, sources: list[str], mirror: str | None = None,
              overrides: dict[str, Any] | None = None,
              cron: CronOptions | None = None) -> CrawlResult:
    """Crawl ``sources`` into the archive at ``db_path``; blocks until done.

    Without ``cron`` every listing is walked and every page fetched (the demo)."""
    settings = build_settings(db_path, mirror, overrides or {})
    db = open_db(db_path)
    run_id = store.save_run_start(db, started_at=utc_now(), spiders=",".join(sources),
                                  target=mirror or "live")
    settings.set("ARCHIVE_RUN_ID", run_id, priority="cmdline")
    before = _snapshot(db)
    plan = build_plan(db, cron) if cron else None
    writer = start_writer(settings, db_path, mirror, overrides or {}, run_id)
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(source_spider(settings, name)) for name in sources]
    for crawler in crawlers:
        process.crawl(crawler, plan=plan)
    process.start()
    WriteBatch.release_all()
    stats = merge_stats([c.stats.get_stats() for c in crawlers if c.stats])
    if writer is not None:  # the crawl's end waits until the writer stored everything
        stats = with_writer_stats(stats, writer.finish())
    status = finish_run(db, run_id, stats)
    # Marks move only after a run that did all its work: a walk may have completed while
    # the pages it listed were still queued (or handed to the writer) when a signal, the
    # budget or a storage error stopped the run; a moved mark would hide them for good.
    if plan is not None and not plan.backfill and status == "finished":
        marks = {k: (w.source, w.newest) for k, w in plan.walks.items() if w.complete}
        cronstate.save_marks(db, marks, run_id, health.now_utc())
    result = _assess(db, run_id, status, stats, sources, before,
                     "full" if cron is None else "backfill" if cron.since else "incremental")
    db.close()
    return result


def start_writer(settings: Settings, db_path: str, mirror: str | None,
                 overrides: dict[str, Any], run_id: int) -> WriterProcess | None:
    """With ARCHIVE_WRITER = "process", the run's writer process (pipelines.writer), and
    the crawlers' only item pipeline hands items to it; None stores inline."""
    mode = settings.get("ARCHIVE_WRITER") or "inline"
    if mode not in ("process", "inline"):
        raise ValueError(f"ARCHIVE_WRITER must be 'process' or 'inline', not {mode!r}")
    if mode == "inline":
        return None
    settings.set("ITEM_PIPELINES", {"pipelines.handoff.HandoffPipeline": 300},
                 priority="cmdline")
    return WriterProcess.start(db_path, mirror, overrides, run_id)


def with_writer_stats(stats: dict[str, Any], writer: dict[str, Any]) -> dict[str, Any]:
    """The crawl's stats with the writer's added (the pipelines' counts are the writer's).
    A writer that failed after the spiders closed still makes the run a storage error."""
    merged = merge_stats([stats, {**writer, "finish_reason": "finished"}])
    merged["finish_reason"] = stats.get("finish_reason", merged["finish_reason"])
    if merged.get("archive/storage_error") and merged["finish_reason"] == "finished":
        merged["finish_reason"] = "storage_error"
    return merged


def _snapshot(db: Any) -> dict[str, Any]:
    return {"baseline": health.get_baseline(db), "pages": health.get_page_counts(db),
            "tables": health.get_table_counts(db, CONTENT_TABLES)}


def _assess(db: Any, run_id: int, status: str, stats: dict[str, Any], sources: list[str],
            before: dict[str, Any], mode: str) -> CrawlResult:
    """Health rows, exit code and message of a finished run; written to the archive."""
    now = health.now_utc()
    pages = health.get_page_counts(db)
    rows = [health.assess_site(
        site, stats, before["baseline"].get(site, {}),
        pages.get(site, (0, None))[0] - before["pages"].get(site, (0, None))[0],
        pages.get(site, (0, None))[1], now) for site in sources]
    tables = health.get_table_counts(db, CONTENT_TABLES)
    new_rows = {t: tables[t] - before["tables"][t] for t in CONTENT_TABLES}
    errors = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("archive/errors/")}
    code = health.exit_code(rows, status == "failed" or stopped_early(status)
                            or bool(stats.get("writer/item_errors")))
    message = run_message(status, rows, stats)
    health.save_health(db, run_id, rows)
    health.save_run_health(db, run_id, mode=mode, new_rows=new_rows, error_kinds=errors,
                           code=code, message=message)
    return CrawlResult(run_id=run_id, status=status, stats=stats, exit_code=code,
                       message=message, health=rows)


def stopped_early(status: str) -> bool:
    """A run that ended before its work was done, neither by its budget nor by failing:
    a signal (``shutdown``, ``forced_shutdown``) or an error that closed the spiders."""
    return status not in ("finished", "failed") and not status.startswith("budget_")


def run_message(status: str, rows: list[dict[str, Any]], stats: dict[str, Any]) -> str | None:
    """The one line a cron log needs: an early stop, the alarms, errors, a budget stop."""
    sent = int(stats.get("downloader/request_count", 0))
    if stats.get("archive/storage_error"):
        return (f"cannot write the archive ({stats['archive/storage_error']}): stopped after "
                f"{sent} requests; what was stored before is intact, rerun when it is fixed")
    if stopped_early(status):
        return (f"stopped early ({status}) after {sent} requests; what was fetched is "
                "stored and the next run continues from there")
    if stats.get("writer/item_errors"):
        return (f"the writer could not store {stats['writer/item_errors']} items (the "
                "log has each error); the rest is stored, a rerun fetches those pages again")
    for states in (("blocked", "drift"), ("errors",)):
        bad = [f"{r['source']} {r['state']}: {r['detail']}" for r in rows if r["state"] in states]
        if bad:
            return "; ".join(bad)
    if status.startswith("budget_"):
        return (f"stopped at the {status.removeprefix('budget_')} budget after {sent} "
                "requests; the next run continues from there")
    return None


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
