"""Distributed crawling on scrapy-redis: ``newsarchive ingest`` and ``crawl --redis``.

``ingest`` is the single writer: it publishes the run's plan in Redis and stores what
the workers send (pipelines.ingest). ``crawl --redis URL`` runs a worker instead of a
local crawl (crawler.worker); cli.py hands it over to ``run_worker_command``. Each
prints one summary line. Redis and Scrapy are imported lazily (the ``redis`` extra).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.db import check_target
from newsarchive.cli_options import ExitWith, check_url, db_option, holding_lock, to_window

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def check_redis_url(url: str) -> None:
    """Refuse anything but a redis://, rediss:// or unix:// URL."""
    if not url.startswith(REDIS_SCHEMES) or len(url) <= len("redis://"):
        raise click.BadParameter(f"{url!r} is not a redis:// URL", param_hint="--redis")


def _connect(url: str) -> Any:
    try:
        from crawler.worker import RedisUnavailable, connect
    except ImportError as exc:  # the `redis` extra is not installed
        raise click.ClickException(f"distributed mode needs the redis extra "
                                   f"(pip install -e '.[redis]'): {exc}") from None
    try:
        return connect(url)
    except RedisUnavailable as exc:
        raise click.ClickException(str(exc)) from None


@click.command("ingest")
@click.option("--redis", "redis_url", required=True, metavar="URL",
              help="The Redis the workers share, e.g. redis://10.0.0.5:6379/0.")
@db_option
@click.option("--idle-seconds", type=click.FloatRange(min=0), default=60, show_default=True,
              help="End when no worker has been alive and no item has arrived for this long "
                   "(also how long to wait for the first worker).")
@click.option("--since", metavar="DATE", help="Backfill: walk history back to DATE "
              "(YYYY-MM-DD, Beijing time, or ISO 8601 with a zone).")
@click.option("--until", metavar="DATE", help="Backfill: only what was published up to DATE, "
              "its day included.")
@click.option("--full", is_flag=True, help="Let the workers fetch everything again, "
              "ignoring what the archive holds.")
@click.option("--recheck-hours", type=click.FloatRange(min=0), default=48, show_default=True,
              help="Re-fetch archived pages published this recently (conditional requests).")
def ingest(redis_url: str, db_path: Path, idle_seconds: float, since: str | None,
           until: str | None, full: bool, recheck_hours: float) -> None:
    """The single writer of a distributed crawl: publish the plan, store the workers' items.

    Ends when every worker has ended and the queues are empty. Exit codes as `crawl`."""
    check_redis_url(redis_url)
    if until and not since:
        raise click.UsageError("--until needs --since")
    if full and since:
        raise click.UsageError("--full and --since exclude each other")
    window = to_window(since, until)
    check_target(db_path)  # another SQLite file, a missing folder: refused before anything
    server = _connect(redis_url)
    from crawler.plan import CronOptions
    from pipelines.ingest import run_ingest

    cron = None if full else CronOptions(since=window.since, until=window.until,
                                         recheck_hours=recheck_hours)
    with holding_lock(db_path):
        result = run_ingest(server, str(db_path), cron, idle_seconds)
    click.echo(result.summary())
    if not result.workers:
        raise ExitWith(f"no worker joined the run in {idle_seconds:.0f} s: start "
                    "`newsarchive crawl --redis URL` on the crawling machines", 1)
    if result.left:
        raise ExitWith(f"{result.left} requests were left in the queue", 1)
    if result.crawl.exit_code:
        raise ExitWith(result.crawl.message or f"the run ended {result.crawl.status}",
                    result.crawl.exit_code)


def run_worker_command(redis_url: str, sources: list[str], mirror: str | None,
                       overrides: dict[str, Any], idle_seconds: float,
                       warc_dir: Path | None) -> None:
    """`crawl --redis URL`: one worker; prints its summary line."""
    check_redis_url(redis_url)
    if mirror:
        check_url(mirror, "--mirror")
    _connect(redis_url)
    from crawler.worker import RedisUnavailable, run_worker

    try:
        result = run_worker(redis_url, sources, mirror, overrides, idle_seconds,
                            str(warc_dir) if warc_dir else None)
    except RedisUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.summary())
