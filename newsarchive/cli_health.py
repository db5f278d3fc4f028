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
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: the run and its sources' health rows.")
def health_command(db_path: Path, run_id: int | None, as_json: bool) -> None:
    """Per-source health of the last run: state, answers, new items, alarms.

    Exit 0 when the run was healthy (every source ok or idle), 4 when it was not, so
    monitoring can call it."""
    db = open_db(db_path, readonly=True)
    rows = health.iter_health(db, run_id)
    if not rows:
        raise click.ClickException(f"no run with health rows in {db_path}")
    run = db["runs"].get(rows[0]["run_id"])
    if as_json:
        fields = ("id", "status", "started_at", "finished_at", "requests", "exit_code",
                  "message")
        click.echo(json.dumps({"run": {k: run.get(k) for k in fields},
                               "sources": [{**r, "status_mix": json.loads(r["status_mix"])}
                                           for r in rows], "healthy": healthy(run, rows)},
                              ensure_ascii=False, indent=2))
    else:
        click.echo(f"run #{run['id']} {run['status']} {run['started_at']} .. "
                   f"{run['finished_at']}: {run['requests'] or 0} requests, "
                   f"exit {run['exit_code']}")
        click.echo(format_health(rows))
    if not healthy(run, rows):
        click.get_current_context().exit(4)


def healthy(run: dict[str, Any], rows: list[dict[str, Any]]) -> bool:
    """A run is healthy when it ended with exit 0 and every source is ok or idle."""
    return not run.get("exit_code") and all(r["state"] in ("ok", "idle") for r in rows)


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
