"""Commands over the WARC evidence: ``reparse``, ``import`` and ``check``.

None of them touches the network. ``reparse`` and ``import`` load the parsers
(and Scrapy's response classes) lazily; ``check`` needs only the archive.
"""

from __future__ import annotations

from pathlib import Path

import click

from archive.db import open_db
from archive.warc import warc_dir_for
from archive.words import plural
from newsarchive.cli_options import check_iso, check_url, db_option, read_page, to_utc, to_window
from newsarchive.progress import progress

SOURCES = ("foresight", "8btc")


def _existing_db(db_path: Path) -> None:
    if not db_path.exists():
        raise click.ClickException(f"no archive at {db_path}")


@click.command()
@db_option
@click.option("--since", metavar="DATE", help="Only captures fetched at or after DATE "
              "(YYYY-MM-DD, a Beijing day, or ISO 8601 with a zone).")
@click.option("--source", type=click.Choice(SOURCES), help="Only captures of this site.")
def reparse(db_path: Path, since: str | None, source: str | None) -> None:
    """Re-run the current parsers over the stored WARC records (no network) and update
    the rows; prints how many rows changed which field."""
    _existing_db(db_path)
    since_utc = _since(since)
    from pipelines.reparse import count_captures
    from pipelines.reparse import reparse as run_reparse

    db = open_db(db_path)
    with progress(count_captures(db, since_utc, source), "re-parsing", "capture") as step:
        report = run_reparse(db, str(warc_dir_for(db_path)), since_utc, source, step)
    click.echo(f"re-parsed {report.captures} captures: "
               + (", ".join(f"{k} {n}" for k, n in sorted(report.outcomes.items())) or "none"))
    for name, count in sorted(report.fields.items()):
        click.echo(f"  changed {name}: {count} rows")
    for line in report.now_unreadable:
        click.echo(f"  no longer readable (rows kept): {line}")
    for line in report.missing_records:
        click.echo(f"  record missing: {line}")
    if report.missing_records:
        raise click.ClickException(f"{len(report.missing_records)} captures have no "
                                   "readable WARC record (run `newsarchive check`)")


@click.command(name="import")
@db_option
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="The URL a saved HTML page was saved from (one HTML file).")
@click.option("--fetched-at", metavar="ISO", help="When the HTML page was saved (ISO 8601 "
              "with a zone); default: the file's modification time.")
def import_command(db_path: Path, paths: tuple[Path, ...], url: str | None,
                   fetched_at: str | None) -> None:
    """Import WARC, ARC or WACZ files (from this tool, wget, Heritrix, Browsertrix...)
    or a saved HTML page (with --url), parsed and stored exactly as a crawl would."""
    from pipelines.importer import Importer, sniff

    kinds = {p: sniff(p) for p in paths}
    archives = [p for p in paths if kinds[p].is_archive]
    pages = [p for p in paths if p not in archives]
    _check_import_args(pages, url, fetched_at)
    for page in pages:  # as `parse` does: a file that is not a page is refused, not stored
        read_page(page, url or "")
    importer = Importer(open_db(db_path), str(db_path), str(warc_dir_for(db_path)))
    try:
        with progress(None, "importing", "record") as step:
            for path in archives:
                importer.import_file(path, kinds[path], step)
        for path in pages:
            importer.import_html(path, url, to_utc(fetched_at))
    finally:
        report = importer.finish()
    click.echo(f"read {plural(report.records, 'record')} from {plural(report.files, 'file')} "
               f"(run #{report.run_id}): "
               + (", ".join(f"{k} {n}" for k, n in sorted(report.outcomes.items()))
                  or "nothing new to store"))
    for reason, count in sorted(report.skipped.items()):
        click.echo(f"  skipped ({reason}): {count}")
    for reason, count in sorted(report.refused.items()):
        click.echo(f"  refused ({reason}): {count}")
    if report.problems:
        raise click.ClickException(report.problems.line())


def _check_import_args(pages: list[Path], url: str | None, fetched_at: str | None) -> None:
    if pages and not url:
        raise click.UsageError(f"{pages[0]} is not a WARC, ARC or WACZ file: to import it "
                               "as a saved HTML page, give the page's URL with --url")
    if len(pages) > 1:
        raise click.UsageError("--url names one page: import saved HTML files one at a time")
    if url:
        check_url(url, "--url")
        if not pages:
            raise click.UsageError("--url is for a saved HTML page, and every PATH is "
                                   "WARC, ARC or WACZ")
    if fetched_at:
        check_iso(fetched_at)


@click.command()
@db_option
def check(db_path: Path) -> None:
    """Verify the archive: every capture's WARC record exists and matches its digest,
    every row points at an existing capture, SQLite integrity_check is ok. Exit 1 and
    list the problems otherwise."""
    _existing_db(db_path)
    from archive.check import check_archive, count_captures

    db = open_db(db_path, readonly=True)
    with progress(count_captures(db), "checking", "capture") as step:
        report = check_archive(db, str(warc_dir_for(db_path)), step)
    click.echo(f"checked {report.captures} captures: {report.records_ok} records ok, "
               f"{report.without_record} stored before WARC writing")
    for problem in report.problems:
        click.echo(f"  {problem}")
    if not report.ok:
        raise click.ClickException(f"{len(report.problems)} problems in {db_path}")


def _since(value: str | None) -> str | None:
    """--since as an ISO UTC time, by the rule every command shares (cli_options)."""
    return to_window(value, None).since
