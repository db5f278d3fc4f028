"""The `newsarchive` command: thin click commands over archive, crawler and mirror.

Each command opens what it needs, calls one library function and formats the
result. Errors the user can fix print one line (``error: ...``) and exit non-zero:
1 for a failed operation, 2 for bad usage. The crawler is imported lazily, so
reading commands start fast and never load Scrapy. Shared options and checks are in
``newsarchive.cli_options``; a new group of commands goes in its own ``newsarchive.cli_*``
module, registered below with ``cli.add_command``.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click

from archive import queries
from archive.db import ArchiveError, check_target, open_db
from newsarchive import (
    cli_backfill,
    cli_distributed,
    cli_export,
    cli_recluster,
    cli_report,
    cli_search,
    cli_serve,
    cli_stories,
    cli_warc,
)
from newsarchive.cli_dates import parse_date
from newsarchive.cli_health import health_command
from newsarchive.cli_options import (
    ExitWith,
    check_iso,
    check_port,
    check_url,
    db_option,
    holding_lock,
    log_settings,
    parse_settings,
    read_page,
    to_utc,
    to_window,
)

SOURCES = ("foresight", "8btc")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """newsarchive: archive Chinese crypto and AI news (Foresight News, 8btc) in SQLite."""


@cli.command()
@db_option
@click.option("--scale", type=click.IntRange(min=1), default=30, show_default=True,
              help="How many digests the mirror generates.")
@click.option("--seed", type=int, default=1, show_default=True, help="The mirror's seed.")
def demo(db_path: Path, scale: int, seed: int) -> None:
    """Start the offline mirror, crawl it with the real spiders, print a summary."""
    check_target(db_path)
    from mirror.server import start_mirror
    from newsarchive.run import run_crawl

    with start_mirror(seed=seed, scale=scale) as mirror:
        click.echo(f"mirror of foresightnews.pro and www.8btc.com at {mirror.url}", err=True)
        result = run_crawl(str(db_path), list(SOURCES), mirror=mirror.url,
                           overrides={"LOG_LEVEL": "WARNING"})
    _report(db_path)
    _show_real_digest(db_path, mirror.real_digest_url)
    _check_result(result)


@cli.command()
@db_option
@click.option("--source", type=click.Choice(SOURCES), multiple=True,
              help="Crawl only this site (repeatable); default: both.")
@click.option("--mirror", metavar="URL", help="Crawl the offline mirror at URL instead of "
              "the live sites (see `newsarchive mirror`).")
@click.option("--max-pages", type=click.IntRange(min=0), default=0, show_default=True,
              help="Listing pages to walk per listing; 0 walks to the end.")
@click.option("--since", metavar="DATE", help="Backfill: walk history back to DATE "
              "(YYYY-MM-DD, a Beijing day, or ISO 8601 with a zone) and stop there.")
@click.option("--until", metavar="DATE", help="Backfill: only what was published up to "
              "DATE, its day included (needs --since).")
@click.option("--full", is_flag=True, help="Fetch every listed page again, ignoring what "
              "the archive holds (the listing marks are not used).")
@click.option("--recheck-hours", type=click.FloatRange(min=0), default=48, show_default=True,
              help="Re-fetch archived pages published this recently (conditional requests).")
@click.option("--max-requests", type=click.IntRange(min=0), default=0, show_default=True,
              help="Stop cleanly after sending N requests; 0 means no limit.")
@click.option("--max-minutes", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Stop cleanly after N minutes; 0 means no limit.")
@click.option("-s", "--set", "settings", metavar="NAME=VALUE", multiple=True,
              help="Override a Scrapy setting (repeatable), e.g. -s LOG_LEVEL=DEBUG.")
@click.option("--redis", "redis_url", metavar="URL", help="Run as a distributed worker on "
              "this Redis (scrapy-redis) instead of writing the archive; see `ingest`.")
@click.option("--idle-seconds", type=click.FloatRange(min=0), default=30, show_default=True,
              help="With --redis: end once the shared queue has been empty this long.")
@click.option("--warc-dir", type=click.Path(file_okay=False, path_type=Path),
              help="With --redis: write WARC files to this (shared) folder; default none.")
@click.option("-v", "--verbose", is_flag=True, help="Log Scrapy's INFO lines (progress every "
              "15 s, settings, stats); by default only warnings and errors.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the log to this file instead of stderr.")
def crawl(db_path: Path, source: tuple[str, ...], mirror: str | None, max_pages: int,
          since: str | None, until: str | None, full: bool, recheck_hours: float,
          max_requests: int, max_minutes: float, settings: tuple[str, ...],
          redis_url: str | None, idle_seconds: float, warc_dir: Path | None,
          verbose: bool, log_file: Path | None) -> None:
    """Crawl the sites into the archive: the job cron runs, fetching only what is new.

    Exit 0 healthy, 1 some errors, 2 bad usage, 3 another crawl holds the archive,
    4 a source is blocked or its layout drifted."""
    if mirror:
        check_url(mirror, "--mirror")
    overrides = {"LISTING_MAX_PAGES": max_pages, "LOGSTATS_INTERVAL": 15.0,
                 "BUDGET_MAX_REQUESTS": max_requests, "BUDGET_MAX_MINUTES": max_minutes,
                 **log_settings(verbose, log_file), **parse_settings(settings)}
    if redis_url:  # the plan (--since, --full...) is the writer's: `ingest` takes those
        if since or until or full:
            raise click.UsageError("with --redis, --since/--until/--full are given to "
                                   "`newsarchive ingest` (the writer makes the plan)")
        cli_distributed.run_worker_command(redis_url, list(source or SOURCES), mirror,
                                           overrides, idle_seconds, warc_dir)
        return
    cron = _cron_options(since, until, full, recheck_hours)
    check_target(db_path)  # another SQLite file, a missing folder: refused before locking
    from newsarchive.run import run_crawl

    with holding_lock(db_path):
        result = run_crawl(str(db_path), list(source or SOURCES), mirror=mirror,
                           overrides=overrides, cron=cron)
    click.echo(result.summary())
    _check_result(result)


def _cron_options(since: str | None, until: str | None, full: bool,
                  recheck_hours: float) -> Any:
    """The run's plan options from the command line; None for --full."""
    from crawler.plan import CronOptions

    if until and not since:
        raise click.UsageError("--until needs --since")
    if full and since:
        raise click.UsageError("--full and --since exclude each other")
    window = to_window(since, until)
    return None if full else CronOptions(since=window.since, until=window.until,
                                         recheck_hours=recheck_hours)


def _check_result(result: Any) -> None:
    """One line and the exit code: 4 blocked or drift, 1 errors or a failed run, else 0."""
    if result.exit_code == 4:
        raise ExitWith(result.message, 4)
    if result.status.startswith("budget_"):
        click.echo(f"note: {result.message}", err=True)
        return
    if result.status == "failed":
        errors = {k.rsplit("/", 1)[1]: v for k, v in result.stats.items()
                  if k.startswith("archive/errors/")}
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(errors.items())) or "none stored"
        raise click.ClickException(f"the crawl read nothing: every fetch failed ({detail})")
    if result.status != "finished":
        raise click.ClickException(result.message or f"the crawl ended early: {result.status}")
    if result.exit_code:
        raise ExitWith(f"some fetches failed: {result.message}", result.exit_code)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1; 0 takes a free one.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed of the generated content.")
@click.option("--scale", type=click.IntRange(min=1), default=30, show_default=True,
              help="How many digests to generate.")
@click.option("--faults", "fault_rate", type=click.FloatRange(0, 1), default=0.0,
              show_default=True, metavar="RATE",
              help="Share of article pages answered with a fault (docs/reliability.md).")
@click.option("--fault-seed", type=int, default=0, show_default=True,
              help="Seed choosing which pages get which fault.")
@click.option("--robots-5xx", is_flag=True, help="Answer every robots.txt with 503.")
def mirror(port: int, seed: int, scale: int, fault_rate: float, fault_seed: int,
           robots_5xx: bool) -> None:
    """Serve the offline mirror of both sites; the first line printed is its base URL."""
    from mirror.faults import FaultPlan
    from mirror.server import serve

    check_port("127.0.0.1", port)
    plan = FaultPlan(fault_rate, fault_seed, robots_5xx=robots_5xx)
    serve(seed=seed, scale=scale, port=port, faults=plan)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", required=True, help="The URL the page was saved from.")
@click.option("--fetched-at", metavar="ISO", help="When it was fetched (ISO 8601 with a "
              "zone): the anchor for relative dates such as 3小时前.")
def parse(file: Path, url: str, fetched_at: str | None) -> None:
    """Parse one saved page (HTML) and print it as one JSON object. Exit 1 if unreadable."""
    check_url(url, "--url")
    if fetched_at:
        check_iso(fetched_at)
    from crawler.parsers import to_output
    from pipelines.normalize import normalize_record

    record = normalize_record(read_page(file, url), to_utc(fetched_at))
    click.echo(json.dumps(to_output(record), ensure_ascii=False, indent=2))


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def stats(db_path: Path, as_json: bool) -> None:
    """Rows per table, newest items, failures by kind and the last run."""
    db = open_db(db_path, readonly=True)
    data = queries.get_stats(db)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(data))


def format_stats(data: dict[str, Any]) -> str:
    """The stats as a small aligned table."""
    lines = ["table                rows"]
    lines += [f"{name:<20} {count:>6}" for name, count in data["tables"].items()]
    lines.append(f"recommendations linked to a stored article: {data['linked_recommendations']}")
    for kind, count in data["capture_errors"].items():
        lines.append(f"unreadable captures ({kind}): {count}")
    for key in ("newest_digest", "newest_article"):
        if data[key]:
            lines.append(f"{key.replace('_', ' ')}: {data[key]['published_at']} "
                         f"{data[key]['title']}")
    run = data["last_run"]
    if run:
        lines.append(f"last run #{run['id']}: {run['status']}, {run['requests'] or 0} requests, "
                     f"{run['errors'] or 0} errors, {run['started_at']} .. {run['finished_at']}")
    return "\n".join(lines)


def _report(db_path: Path) -> None:
    db = open_db(db_path, readonly=True)
    click.echo(format_stats(queries.get_stats(db)))
    db.close()


def _show_real_digest(db_path: Path, url: str) -> None:
    db = open_db(db_path, readonly=True)
    digest = queries.get_digest(db, url)
    if digest is None:
        raise click.ClickException(f"the real digest {url} is not in the archive")
    click.echo(f"\nthe real digest: {digest['title']}\n  {url}, published {digest['published_at']}")
    for item in digest["items"]:
        click.echo(f"  item {item['position']}: {item['event_date'] or '-':<10} "
                   f"{item['attribution'] or '-':<12} {item['headline']}")
    for rec in digest["recommendations"]:
        linked = "linked" if rec["article_id"] else "NOT linked"
        click.echo(f"  read {rec['position']}: {rec['canonical_url']} ({linked}) {rec['title']}")


# Commands that live in their own module (newsarchive/cli_<topic>.py) are added here,
# one line each, so that work on different commands never edits the same lines.
cli.add_command(parse_date)
cli.add_command(cli_stories.stories)
cli.add_command(cli_search.search_command)
cli.add_command(cli_search.reindex)
cli.add_command(cli_export.export_command)
cli.add_command(cli_serve.serve)
cli.add_command(cli_report.report)
cli.add_command(health_command)
cli.add_command(cli_warc.reparse)
cli.add_command(cli_warc.import_command)
cli.add_command(cli_warc.check)
cli.add_command(cli_distributed.ingest)
cli.add_command(cli_backfill.backfill)
cli.add_command(cli_recluster.recluster_command)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command; turn known errors into one line and an exit code."""
    if not (sys.argv[1:] if argv is None else argv):  # bare `newsarchive`: its help
        with click.Context(cli, info_name="newsarchive") as ctx:
            click.echo(cli.get_help(ctx))
        return 0
    try:
        result = cli.main(args=argv, prog_name="newsarchive", standalone_mode=False)
    except click.UsageError as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return exc.exit_code
    except ArchiveError as exc:
        click.echo(f"error: {exc}", err=True)
        return 1
    except sqlite3.OperationalError as exc:  # disk full, I/O error: nothing half-written
        click.echo(f"error: cannot write the archive: {exc}", err=True)
        return 1
    except click.Abort:
        click.echo("error: interrupted", err=True)
        return 130
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
