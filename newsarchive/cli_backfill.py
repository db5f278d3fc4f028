"""``newsarchive backfill``: history the sites will not serve us, read from web archives.

A backfill is a crawl whose pages come from an archive's captures (``pipelines.backfill``,
``crawler.wayback_spider``): the same lock, budgets, run rows, health and exit codes as
``crawl``. --since/--until are capture days (Beijing time), both included.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import click

from archive.db import check_target
from crawler.sites import CC_DATA_HOST, CC_INDEX_HOST, MIRRORED_HOSTS, WAYBACK_HOST
from newsarchive.cli_options import (
    ExitWith,
    check_url,
    db_option,
    holding_lock,
    parse_settings,
    to_window,
)

SOURCES = ("foresight", "8btc")
ARCHIVES = ("wayback", "commoncrawl")


@click.command("backfill")
@click.option("--from", "archive", type=click.Choice(ARCHIVES), required=True,
              help="The web archive to read: the Wayback Machine (web.archive.org) or "
              "Common Crawl (index.commoncrawl.org, data.commoncrawl.org).")
@db_option
@click.option("--source", type=click.Choice(SOURCES), multiple=True,
              help="Backfill only this site (repeatable); default: both.")
@click.option("--since", metavar="DATE", help="Captures made on or after DATE (YYYY-MM-DD, "
              "Beijing time, or ISO 8601 with a zone).")
@click.option("--until", metavar="DATE", help="Captures made on or before DATE (a day is "
              "included whole).")
@click.option("--collection", "collections", metavar="ID", multiple=True,
              help="Common Crawl: walk this collection (repeatable, e.g. CC-MAIN-2023-14); "
              "default: every collection whose crawl overlaps --since/--until.")
@click.option("--max-requests", type=click.IntRange(min=0), default=0, show_default=True,
              help="Stop cleanly after sending N requests; 0 means no limit.")
@click.option("--max-minutes", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Stop cleanly after N minutes; 0 means no limit.")
@click.option("--mirror", metavar="URL", help="Read the offline mirror's archive at URL "
              "instead of the real one (see `newsarchive mirror`).")
@click.option("-s", "--set", "settings", metavar="NAME=VALUE", multiple=True,
              help="Override a Scrapy setting (repeatable), e.g. -s WAYBACK_CDX_PER_MINUTE=12 "
              "or -s CC_INDEX_PER_MINUTE=10.")
def backfill(archive: str, db_path: Path, source: tuple[str, ...], since: str | None,
             until: str | None, collections: tuple[str, ...], max_requests: int,
             max_minutes: float, mirror: str | None, settings: tuple[str, ...]) -> None:
    """Store the sites' pages from a web archive's captures; each run goes on where the
    last one stopped; Common Crawl's collection list is cached for a day in
    DB.collinfo.json. Exit codes as `crawl`: 0, 1 errors, 2 usage, 3 locked, 4 blocked."""
    if mirror:
        check_url(mirror, "--mirror")
    window = to_window(since, until)  # the one date rule (cli_options)
    start, end = window.since, _last_second(window.until)
    if collections and archive != "commoncrawl":
        raise click.BadParameter("only Common Crawl has collections", param_hint="--collection")
    check_target(db_path)  # another SQLite file, a missing folder: refused before locking
    hosts = [*MIRRORED_HOSTS, WAYBACK_HOST, CC_INDEX_HOST, CC_DATA_HOST]
    overrides = {"BUDGET_MAX_REQUESTS": max_requests, "BUDGET_MAX_MINUTES": max_minutes,
                 "LOGSTATS_INTERVAL": 15.0, "SAFETY_ALLOWED_HOSTS": hosts,
                 "MIRROR_HOSTS": hosts, **parse_settings(settings)}
    from newsarchive.run import run_crawl
    from pipelines.backfill import BackfillJob

    job = BackfillJob(archive, start, end, collections=collections,
                      cache=f"{db_path}.collinfo.json")
    with holding_lock(db_path):
        result = run_crawl(str(db_path), list(source or SOURCES), mirror=mirror,
                           overrides=overrides, job=job)
    click.echo(f"backfill from {archive}: run {result.run_id} {result.status}, "
               f"{int(result.stats.get('downloader/request_count', 0))} requests")
    _check_collections(result.stats)
    if result.status.startswith("budget_"):
        click.echo(f"note: {result.message}", err=True)
    elif result.exit_code or result.status != "finished":
        raise ExitWith(result.message or f"the backfill ended {result.status}",
                    result.exit_code or 1)


def _check_collections(stats: dict) -> None:
    """A --collection Common Crawl does not have is a usage error, named in one line (the
    run stored what the other named collections hold)."""
    from crawler.commoncrawl import UNKNOWN_COLLECTION

    unknown = sorted(k.removeprefix(UNKNOWN_COLLECTION) for k in stats
                     if k.startswith(UNKNOWN_COLLECTION))
    if unknown:
        raise ExitWith(f"no such Common Crawl collection: {', '.join(unknown)} (see "
                    "https://index.commoncrawl.org/collinfo.json)", 2)


def _last_second(until: str | None) -> str | None:
    """The half-open window's end as the last second the backfill includes (the archive's
    listing filters by capture times with both ends included)."""
    if until is None:
        return None
    moment = datetime.fromisoformat(until.replace("Z", "+00:00")) - timedelta(seconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
