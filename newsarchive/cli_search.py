"""`newsarchive search` and `newsarchive reindex`: the Chinese full-text index."""

from __future__ import annotations

import click

from archive import search
from archive.db import ArchiveError, open_db
from archive.searchform import QueryError
from archive.tx import write_transaction
from archive.words import plural
from newsarchive.cli_options import check_query, db_option, echo_json, json_options, to_window
from newsarchive.progress import progress, wanted


@click.command(name="search")
@click.argument("query")
@db_option
@click.option("--since", metavar="DATE", help="Only items published on or after DATE "
              "(YYYY-MM-DD, a Beijing day, or ISO 8601 with a zone).")
@click.option("--until", metavar="DATE", help="Only items published up to DATE (a day is "
              "included whole; an ISO time is excluded).")
@click.option("--source", type=click.Choice(search.SOURCES), help="Only this site.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many results.")
@click.option("--rank-all", is_flag=True, help="Rank every hit with SQLite's bm25(); by "
              f"default a word with more than {search.RANK_WINDOW} hits in a table is ranked "
              "among its newest hits there, its IDF estimated from them (fast whatever the "
              "archive's size).")
@json_options
def search_command(query: str, db_path, since: str | None, until: str | None,
                   source: str | None, limit: int, rank_all: bool, as_json: bool,
                   as_nl: bool) -> None:
    """Search news items and articles in Chinese or Latin words, best first (bm25).

    Words separated by spaces must all occur; Traditional and Simplified, full- and
    half-width forms match each other; a Latin word also matches as a prefix (NFT finds NFTs).
    """
    window = to_window(since, until)  # the one date rule (cli_options)
    check_query(query, "QUERY")
    db = open_db(db_path, readonly=True)
    try:
        rows = list(search.iter_search(db, query, since=window.since, until=window.until,
                                       source=source, limit=limit,
                                       rank_window=None if rank_all else search.RANK_WINDOW))
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    if as_json or as_nl:
        echo_json(rows, as_nl)
        return
    for row in rows:
        click.echo(f"{row['published_at'] or '-':<20} {row['source']:<9} {row['kind']:<11} "
                   f"{row['title']}\n    {' '.join(row['snippet'].split())}\n    {row['url']}")
    click.echo(plural(len(rows), "result"), err=True)


@click.command()
@db_option
def reindex(db_path) -> None:
    """Rebuild the full-text search index from the archive's tables, in one transaction."""
    if not db_path.exists():
        raise ArchiveError(f"no archive at {db_path}")
    db = open_db(db_path)
    total = sum(db[t].count for t in search.FTS_COLUMNS) if wanted() else None
    with write_transaction(db), progress(total, "indexing") as step:
        counts = search.rebuild(db, progress=step)
    click.echo(", ".join(f"{table}: {n} indexed" for table, n in counts.items()))
