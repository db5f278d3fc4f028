"""`newsarchive serve`: the archive in Datasette, with metadata and Chinese search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from archive.datasette_config import build_metadata
from archive.db import open_db
from newsarchive.cli_options import check_port, db_option


def make_datasette(db_path: Path) -> Any:
    """A Datasette instance over the archive, with our metadata and plugin registered."""
    try:
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise click.ClickException("Datasette is not installed: "
                                   "pip install 'newsarchive[serve]'") from None
    from archive import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="newsarchive")
    return Datasette([str(db_path)], metadata=build_metadata(db_path.stem),
                     settings={"facet_time_limit_ms": 500, "sql_time_limit_ms": 3000})


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 exposes the archive to the network).")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on.")
def serve(db_path: Path, host: str, port: int) -> None:
    """Open the archive in Datasette: descriptions, facets, Chinese search, canned queries."""
    check_port(host, port)
    open_db(db_path, readonly=True).close()  # no archive, or not one: one line, not HTTP 500
    datasette = make_datasette(db_path)
    import uvicorn

    click.echo(f"serving {db_path} at http://{host}:{port}/", err=True)
    from archive.serve_guard import guard

    uvicorn.run(guard(datasette.app(), host, db_path), host=host, port=port,
                log_level="warning")
