"""A run's bookkeeping in the archive: the plan it reads before the spiders start, and the
health, exit code and one-line message it writes after they stop.

Shared by ``newsarchive.run`` (a crawl in this process) and ``pipelines.ingest`` (the writer
of a distributed crawl).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive import cronstate, health
from archive.words import plural
from crawler.plan import CrawlPlan, CronOptions

CONTENT_TABLES = ("digests", "digest_items", "recommendations", "articles", "digest_links",
                  "captures")

@dataclass
class CrawlResult:
    """What a crawl did, for the command line to report."""

    run_id: int
    status: str
    stats: dict[str, Any] = field(default_factory=dict)
    exit_code: int = 0
    message: str | None = None
    health: list[dict[str, Any]] = field(default_factory=list)
    new_rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """The run's closing line: what it added, its errors and its status."""
        sent = int(self.stats.get("downloader/request_count", 0))
        added = ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in self.new_rows.items()
                          if n and t in ("digests", "digest_items", "articles")) or "nothing"
        errors = sum(v for k, v in self.stats.items() if k.startswith("archive/errors/"))
        return (f"run #{self.run_id} {self.status}: {plural(sent, 'request')}, added {added}, "
                f"{plural(int(errors), 'error')}, exit {self.exit_code}")


def build_plan(db: Any, cron: CronOptions) -> CrawlPlan:
    """Read what the archive already holds into the plan the spiders follow."""
    now = health.now_utc()
    return CrawlPlan(known=frozenset(cronstate.get_known_urls(db)),
                     recheck=cronstate.get_recheck(db, now, cron.recheck_hours),
                     pending=tuple(cronstate.get_pending_links(db)),
                     marks=cronstate.get_marks(db), since=cron.since, until=cron.until)


def snapshot(db: Any) -> dict[str, Any]:
    return {"baseline": health.get_baseline(db), "pages": health.get_page_counts(db),
            "tables": health.get_table_counts(db, CONTENT_TABLES)}


def assess(db: Any, run_id: int, status: str, stats: dict[str, Any], sources: list[str],
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
                       message=message, health=rows, new_rows=new_rows)


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
