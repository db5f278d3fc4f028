"""`newsarchive report`: a picture of the archive as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from archive.db import ArchiveError, open_db
from archive.report import write_report
from newsarchive.cli_options import check_out, db_option


@click.command()
@db_option
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (replaced atomically when complete).")
@click.option("--stories", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many of the largest stories to chart.")
@click.option("--attributions", type=click.IntRange(min=1), default=15, show_default=True,
              help="How many of the most credited outlets to chart.")
def report(db_path: Path, out: Path, stories: int, attributions: int) -> None:
    """Write an HTML report: items per day per source, largest stories, top attributions,
    source health. Inline SVG charts, no script: it opens offline."""
    check_out(out)
    db = open_db(db_path, readonly=True)
    try:
        data = write_report(db, out, stories=stories, attributions=attributions)
    except OSError as exc:
        raise ArchiveError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        db.close()
    days = len(data["per_day"])
    click.echo(f"wrote {out}: {days} source-days, {len(data['stories'])} stories, "
               f"{len(data['attributions'])} outlets", err=True)
