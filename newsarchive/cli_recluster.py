"""`newsarchive recluster`: place every stored item in its story again, with today's rules."""

from __future__ import annotations

from pathlib import Path

import click

from archive.db import ArchiveError, check_target, open_db
from archive.recluster import count_rows, recluster
from archive.tx import write_transaction
from newsarchive.cli_options import db_option, holding_lock
from newsarchive.progress import progress, wanted


@click.command("recluster")
@db_option
def recluster_command(db_path: Path) -> None:
    """Re-place every article and digest item in its story with the current rules, in one
    transaction; prints how many items changed story. Exit 3 if a crawl holds the archive."""
    check_target(db_path)  # another SQLite file, a missing folder: refused before locking
    if not db_path.exists():
        raise ArchiveError(f"no archive at {db_path}")
    with holding_lock(db_path):
        db = open_db(db_path)
        total = count_rows(db) if wanted() else None
        with write_transaction(db), progress(total, "reclustering", "item") as step:
            result = recluster(db, progress=step)
        db.close()
    click.echo(result.summary())
