"""Run the spiders in this process: one crawl of one or both sites, one ``runs`` row.

Used by ``newsarchive crawl`` and ``newsarchive demo``. Scrapy's reactor cannot
restart, so this runs once per process. Before the spiders start it reads the
archive into a plain ``CrawlPlan`` (what is archived, what is pending, the listing
marks); after they stop it moves the marks of complete walks and writes the run's
health (``archive.health``): one ``source_health`` row per site and the exit code.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive import cronstate, health, store
from archive.db import open_db
from crawler.clock import utc_now
from crawler.plan import CronOptions
from crawler.runtime import build_settings, merge_stats, source_spider
from newsarchive.progress import crawl_progress
from pipelines.backfill import BackfillJob
from pipelines.batch import WriteBatch
from pipelines.handoff import WriterProcess
from pipelines.runs import CrawlResult, assess, build_plan, snapshot
from pipelines.store import finish_run

__all__ = ["CronOptions", "CrawlResult", "run_crawl"]

logger = logging.getLogger(__name__)


def run_crawl(db_path: str, sources: list[str], mirror: str | None = None,
              overrides: dict[str, Any] | None = None,
              cron: CronOptions | None = None, job: BackfillJob | None = None) -> CrawlResult:
    """Crawl ``sources`` into the archive at ``db_path``; blocks until done.

    Without ``cron`` every listing is walked and every page fetched (the demo). With
    ``job`` the sources are read from a web archive instead (``newsarchive backfill``)."""
    settings = build_settings(db_path, mirror, overrides or {})
    db = open_db(db_path)
    run_id = store.save_run_start(db, started_at=utc_now(), spiders=",".join(sources),
                                  target=mirror or "live")
    settings.set("ARCHIVE_RUN_ID", run_id, priority="cmdline")
    before = snapshot(db)
    plan = build_plan(db, cron) if cron else None
    plans = job.plan(db, sources) if job else {}
    writer = start_writer(settings, db_path, mirror, overrides or {}, run_id)
    process = CrawlerProcess(settings)
    spider_for = job.spider if job else source_spider
    crawlers = [process.create_crawler(spider_for(settings, name)) for name in sources]
    for crawler, name in zip(crawlers, sources, strict=True):
        process.crawl(crawler, plan=plans.get(name, plan))
    with crawl_progress(crawlers):
        process.start()
    WriteBatch.release_all()
    stats = merge_stats([c.stats.get_stats() for c in crawlers if c.stats])
    if writer is not None:  # the crawl's end waits until the writer stored everything
        stats = with_writer_stats(stats, writer.finish())
    status = finish_run(db, run_id, stats)
    # Marks move only after a run that did all its work: a walk may have completed while
    # the pages it listed were still queued (or handed to the writer) when a signal, the
    # budget or a storage error stopped the run; a moved mark would hide them for good.
    if job is not None:
        job.finish(db, run_id, status)
    elif plan is not None and not plan.backfill and status == "finished":
        marks = {k: (w.source, w.newest) for k, w in plan.walks.items() if w.complete}
        cronstate.save_marks(db, marks, run_id, health.now_utc())
    mode = job.mode if job else "full" if cron is None else (
        "backfill" if cron.since else "incremental")
    result = assess(db, run_id, status, stats, sources, before, mode)
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


