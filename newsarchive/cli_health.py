"""`newsarchive health`: the source_health rows of the last run, one line per source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from archive import health
from archive.db import open_db
from newsarchive.cli_options import db_option


@click.command("health")
@db_option
@click.option("--run", "run_id", type=click.IntRange(min=1),
              help="Show this run instead of the last one.")
def health_command(db_path: Path, run_id: int | None) -> None:
    """Per-source health of the last run: state, answers, new items, alarms."""
    db = open_db(db_path, readonly=True)
    rows = health.iter_health(db, run_id)
    if not rows:
        raise click.ClickException(f"no run with health rows in {db_path}")
    run = db["runs"].get(rows[0]["run_id"])
    click.echo(f"run #{run['id']} {run['status']} {run['started_at']} .. "
               f"{run['finished_at']}: {run['requests'] or 0} requests, exit {run['exit_code']}")
    click.echo(format_health(rows))


def format_health(rows: list[dict[str, Any]]) -> str:
    """The rows as an aligned table; the detail (why) at the end of each line."""
    lines = [f"{'source':<10} {'state':<8} {'answers':>7} {'new':>5} {'unread':>6} "
             f"{'since new (h)':>13}  status mix / detail"]
    for row in rows:
        mix = ",".join(f"{k}:{v}" for k, v in json.loads(row["status_mix"]).items())
        since = "-" if row["hours_since_new"] is None else f"{row['hours_since_new']:.1f}"
        lines.append(f"{row['source']:<10} {row['state']:<8} {row['pages']:>7} "
                     f"{row['new_items']:>5} {row['parse_failure_share']:>6.0%} {since:>13}  "
                     f"{mix or '-'}{'  ' + row['detail'] if row['detail'] else ''}")
    return "\n".join(lines)
