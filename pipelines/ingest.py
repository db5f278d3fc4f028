"""The single writer of a distributed run: ``newsarchive ingest --redis URL``.

It is the only process that opens the archive. It starts a run (a ``runs`` row),
publishes the run's plan in Redis (``crawler.sharedplan``: what is archived, the
pending links, the listing marks, the re-check window), then drains the workers'
item lists through the very pipelines a local crawl uses (ITEM_PIPELINES: normalise,
dedupe, health, store, validators) and ends once every worker has ended and the queues
are empty. Last, like a local run, it merges the walks the workers reported into the
listing marks and writes the run's health.

Each item is moved (``LMOVE``) to a processing list before it is stored and removed
after, so a writer killed mid-item finds it again when restarted.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from archive import cronstate, health, store
from archive.db import open_db
from crawler import itemcodec
from crawler.clock import utc_now
from crawler.plan import CrawlPlan, CronOptions
from crawler.redisqueue import SOURCES, Keys, busy, recover_dead
from crawler.runtime import build_settings, merge_stats
from crawler.sharedplan import merge_walks, plan_to_json
from pipelines.itemcheck import PoisonItem, check_item
from pipelines.itempath import Stats, build_pipelines, process
from pipelines.runs import assess, build_plan, snapshot
from pipelines.store import finish_run

logger = logging.getLogger(__name__)
__all__ = ["IngestResult", "Stats", "build_pipelines", "process", "run_ingest"]


@dataclass
class IngestResult:
    """What the writer did, for its summary line and exit code."""

    run_id: int
    items: int
    workers: int
    left: int
    seconds: float
    stored: dict[str, int] = field(default_factory=dict)
    crawl: Any = None
    """pipelines.runs.CrawlResult: status, health rows, exit code, message."""
    dead: int = 0
    """Items set aside as malformed (``set_aside``), and the list that holds them."""
    dead_key: str = ""

    def summary(self) -> str:
        tables = ", ".join(f"{t} {n}" for t, n in sorted(self.stored.items())) or "nothing"
        tail = ("queue empty" if not self.left else
                f"{self.left} requests left in the queue: start a worker to finish them")
        if self.dead:
            tail += f"; {self.dead} malformed items set aside in {self.dead_key}"
        return (f"ingest: run {self.run_id} stored {self.items} items ({tables}) from "
                f"{self.workers} workers in {self.seconds:.1f} s; {tail}")


def publish_run(server: Any, keys: Keys, run_id: int, plan: CrawlPlan) -> None:
    """Clear what an earlier run left (not its items) and publish this run's plan."""
    while server.lmove(keys.item_processing, keys.items(SOURCES[0]), "RIGHT", "LEFT"):
        pass
    stale = [keys.run, keys.plan, keys.walks, keys.stats, keys.dupefilter, keys.ever,
             keys.workers, *(keys.requests(s) for s in SOURCES)]
    stale += list(server.scan_iter(f"{keys.prefix}:*:processing:*"))
    server.delete(*stale)
    server.set(keys.plan, plan_to_json(plan))
    server.set(keys.run, run_id)


def drain(server: Any, keys: Keys, pipelines: list[Any], stats: Stats,
          idle_seconds: float) -> int:
    """Store items until the workers ended and the queues are empty; returns the requests
    left queued when no worker was alive for ``idle_seconds``."""
    quiet_since = time.monotonic()
    while True:
        if drain_some(server, keys, pipelines, stats):
            quiet_since = time.monotonic()
            continue
        recover_dead(server, keys)
        if server.scard(keys.workers):
            quiet_since = time.monotonic()
        else:
            left = busy(server, keys)
            if server.scard(keys.ever) and not left:
                while drain_some(server, keys, pipelines, stats):  # what the last worker
                    pass                                            # pushed before it ended
                return 0
            if time.monotonic() - quiet_since >= idle_seconds:
                return left
        time.sleep(0.2)


def drain_some(server: Any, keys: Keys, pipelines: list[Any], stats: Stats,
               limit: int = 500) -> int:
    """Store up to ``limit`` queued items; returns how many."""
    done = 0
    for source in SOURCES:
        while done < limit:
            data = server.lmove(keys.items(source), keys.item_processing, "LEFT", "LEFT")
            if data is None:
                break
            try:
                item = itemcodec.loads(data)
                check_item(item)
                process(pipelines, item, stats)
            except (itemcodec.ItemCodecError, PoisonItem) as exc:
                set_aside(server, keys, data, str(exc), stats)
            server.lrem(keys.item_processing, 1, data)
            done += 1
    return done


def set_aside(server: Any, keys: Keys, data: bytes, reason: str, stats: Stats) -> None:
    """A poison item into the dead-letter list ``PREFIX:items:dead`` with its reason,
    counted in the run (``ingest/items_dead``); the writer goes on with the next."""
    logger.warning("ingest: item set aside (%s)", reason[:200])
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    server.rpush(dead_letter_key(keys), json.dumps(
        {"reason": reason[:500], "at": utc_now(), "item": text[:1_000_000]}, ensure_ascii=False))
    stats.inc_value("ingest/items_dead")


def dead_letter_key(keys: Keys) -> str:
    """The list where poison items wait for a person: ``PREFIX:items:dead``."""
    return f"{keys.prefix}:items:dead"


def run_ingest(server: Any, db_path: str, cron: CronOptions | None,
               idle_seconds: float = 30.0, prefix: str = "newsarchive") -> IngestResult:
    """Publish a run, store what the workers send, close the run; blocks until done."""
    started = time.monotonic()
    keys = Keys(prefix)
    settings = build_settings(db_path, None, {})
    db = open_db(db_path)
    run_id = store.save_run_start(db, started_at=utc_now(), spiders=",".join(SOURCES),
                                  target="redis")
    settings.set("ARCHIVE_RUN_ID", run_id, priority="cmdline")
    before = snapshot(db)
    plan = build_plan(db, cron) if cron else CrawlPlan()
    publish_run(server, keys, run_id, plan)
    stats = Stats()
    pipelines = build_pipelines(settings, stats)
    for pipeline in pipelines:
        getattr(pipeline, "open_spider", lambda: None)()
    try:
        left = drain(server, keys, pipelines, stats, idle_seconds)
    finally:
        server.delete(keys.run, keys.plan)
        for pipeline in pipelines:
            getattr(pipeline, "close_spider", lambda: None)()
    result = _close_run(db, server, keys, run_id, stats, before, cron, left)
    db.close()
    result.seconds = time.monotonic() - started
    return result


def _close_run(db: Any, server: Any, keys: Keys, run_id: int, stats: Stats,
               before: dict[str, Any], cron: CronOptions | None, left: int) -> IngestResult:
    """Merge the workers' stats and walks into the run's row, marks and health."""
    workers = [json.loads(v) for v in server.hvals(keys.stats)]
    stats.set_value("finish_reason", "finished" if not left else "requests_left")
    merged = merge_stats([stats.values, *workers])
    status = finish_run(db, run_id, merged)
    if cron is not None and not cron.since and status == "finished":  # see newsarchive.run
        reports: dict[str, list[bytes]] = {}
        for field_, text in server.hgetall(keys.walks).items():
            listing = field_.decode().rsplit("|", 1)[0]
            reports.setdefault(listing, []).append(text)
        walks = {k: merge_walks(v) for k, v in reports.items()}
        marks = {k: (w.source, w.newest) for k, w in walks.items() if w and w.complete}
        cronstate.save_marks(db, marks, run_id, health.now_utc())
    mode = "full" if cron is None else "backfill" if cron.since else "incremental"
    crawl = assess(db, run_id, status, merged, list(SOURCES), before, mode)
    return IngestResult(run_id, int(stats.values.get("ingest/items_stored", 0)),
                        int(server.scard(keys.ever)), left, 0.0, _per_table(stats.values), crawl,
                        int(stats.values.get("ingest/items_dead", 0)), dead_letter_key(keys))


def _per_table(values: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in values.items():
        parts = key.split("/")
        if len(parts) == 3 and parts[0] == "archive" and parts[1] != "errors":
            out[parts[1]] = out.get(parts[1], 0) + int(value)
    return out
