"""`newsarchive export`: a filtered table or view as JSONL, CSV or Parquet, with a manifest."""

from __future__ import annotations

from pathlib import Path

import click

from archive import export
from archive.db import open_db
from archive.export_manifest import build_manifest, write_manifest_and_card
from archive.search import SOURCES
from archive.searchform import QueryError
from newsarchive.cli_options import check_out, check_query, db_option, to_window
from newsarchive.progress import progress, wanted


@click.command(name="export")
@db_option
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), required=True,
              help="File format: jsonl, csv (UTF-8 with BOM, for Excel) or parquet.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write; OUT.manifest.json and OUT.README.md go beside it.")
@click.option("--table", type=click.Choice(list(export.EXPORTABLE)), default="news_items",
              show_default=True, help="The table or view to export.")
@click.option("--since", metavar="DATE", help="Rows published on or after DATE "
              "(YYYY-MM-DD, a Beijing day, or ISO 8601 with a zone).")
@click.option("--until", metavar="DATE", help="Rows published up to DATE, its day included.")
@click.option("--source", type=click.Choice(SOURCES), help="Only rows from this site.")
@click.option("--query", metavar="TEXT", help="Only rows the full-text search finds "
              "(as `newsarchive search`).")
def export_command(db_path: Path, fmt: str, out: Path, table: str, since: str | None,
                   until: str | None, source: str | None, query: str | None) -> None:
    """Export a table as a dataset file, written atomically, with a manifest and a card."""
    window = to_window(since, until)
    check_out(out, fmt, export.FORMATS)
    check_query(query, "--query")
    filters = export.Filters(since=window.since, until=window.until, source=source,
                             query=query)
    db = open_db(db_path, readonly=True)
    try:
        sql, params = export.build_select(table, filters)
        total = export.count_rows(db, sql, params) if wanted() else None
        with progress(total, f"exporting {table}") as step:
            result = export.write_export(db, out, fmt, table, filters, progress=step)
    except (export.ExportError, QueryError) as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:  # disk full, permissions: the temporary file is already gone
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    manifest = build_manifest(db, out=out, fmt=fmt, table=table, filters=filters.as_dict(),
                              result=result, command=_command_line())
    write_manifest_and_card(out, manifest)
    click.echo(f"{result['rows']} rows -> {out} (sha256 {manifest['sha256'][:12]}…)")


def _command_line() -> list[str]:
    """The command as it ran, options spelled out, so the manifest can rebuild the file."""
    ctx = click.get_current_context()
    words = ["newsarchive", "export"]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if value is not None:
            words += [max(param.opts, key=len), str(value)]
    return words
