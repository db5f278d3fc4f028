"""`newsarchive stories`: the largest recent stories, each with where it appeared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from archive.db import open_db
from archive.queries_stories import get_stories
from newsarchive.cli_options import db_option, to_window


@click.command()
@db_option
@click.option("--since", metavar="DATE", help="Only stories that appeared on or after DATE "
              "(YYYY-MM-DD, a Beijing day, or ISO 8601 with a zone).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many stories to print.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines, one story each.")
def stories(db_path: Path, since: str | None, limit: int, as_json: bool) -> None:
    """The largest recent stories (near-duplicate clusters), first reporter first."""
    window = to_window(since, None)
    db = open_db(db_path, readonly=True)
    found = get_stories(db, window.since, limit)
    db.close()
    for story in found:
        if as_json:
            click.echo(json.dumps(story, ensure_ascii=False))
        else:
            click.echo(format_story(story))


def format_story(story: dict[str, Any]) -> str:
    """A story as a header line and one indented line per appearance."""
    lines = [f"story #{story['id']}: {story['appearances']} appearances, "
             f"{story['sources']} sources  {story['headline']}"]
    lines += [f"  {m['published_at'] or '-':<20} {m['site']:<9} {m['url']}"
              for m in story["members"]]
    return "\n".join(lines)
