"""`newsarchive stories`: the largest recent stories, each with where it appeared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.db import open_db
from archive.queries_stories import get_stories
from archive.words import plural
from newsarchive.cli_options import db_option, echo_json, json_options, to_window


@click.command()
@db_option
@click.option("--since", metavar="DATE", help="Only stories that appeared on or after DATE "
              "(YYYY-MM-DD, a Beijing day, or ISO 8601 with a zone).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many stories to print.")
@json_options
def stories(db_path: Path, since: str | None, limit: int, as_json: bool, as_nl: bool) -> None:
    """The largest recent stories (near-duplicate clusters), first reporter first."""
    window = to_window(since, None)
    db = open_db(db_path, readonly=True)
    found = get_stories(db, window.since, limit)
    db.close()
    if as_json or as_nl:
        echo_json(found, as_nl)
        return
    for story in found:
        click.echo(format_story(story))


def format_story(story: dict[str, Any]) -> str:
    """A story as a header line and one indented line per appearance."""
    lines = [f"story #{story['id']}: {plural(story['appearances'], 'appearance')}, "
             f"{plural(story['sources'], 'source')}  {story['headline']}"]
    lines += [f"  {m['published_at'] or '-':<20} {m['site']:<9} {m['url']}"
              for m in story["members"]]
    return "\n".join(lines)
