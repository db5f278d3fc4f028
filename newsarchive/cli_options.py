"""Options and value checks shared by the `newsarchive` commands.

Command modules (``newsarchive.cli_*``) import from here, never from each other, so
adding a command touches one new module and one ``add_command`` line in cli.py.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click

from archive.db import DEFAULT_DB
from archive.lock import ArchiveLocked, archive_lock


class ExitWith(click.ClickException):
    """One line and a chosen exit code (1 errors, 3 locked, 4 blocked or drift)."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.exit_code = code


@contextlib.contextmanager
def holding_lock(db_path: Path) -> Iterator[None]:
    """The archive's run lock for a writing command; held by another run: exit 3."""
    try:
        with archive_lock(db_path):
            yield
    except ArchiveLocked as exc:
        raise ExitWith(str(exc), 3) from None


def db_option(func: Any) -> Any:
    """--db PATH, shared by every command that touches the archive."""
    return click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=DEFAULT_DB, show_default=True,
                        help="The SQLite archive file.")(func)


def json_options(func: Any) -> Any:
    """--json (one JSON array) and --nl (JSON Lines), as sqlite-utils spells them."""
    func = click.option("--nl", "as_nl", is_flag=True,
                        help="Print JSON Lines: one JSON object per line.")(func)
    return click.option("--json", "as_json", is_flag=True,
                        help="Print one JSON array of objects.")(func)


def echo_json(rows: list[dict[str, Any]], nl: bool) -> None:
    """``rows`` as one JSON array, or as JSON Lines with ``nl``."""
    if nl:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    """-s NAME=VALUE pairs as a dict; a pair without = is a usage error."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        out[name.strip()] = value
    return out


def log_settings(verbose: bool, log_file: Path | None) -> dict[str, Any]:
    """Scrapy's log settings for a crawl: cron-quiet (warnings and errors) unless
    ``verbose``; into ``log_file`` when given (its folder must exist)."""
    out: dict[str, Any] = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    if log_file is not None:
        if not log_file.parent.is_dir():
            raise click.BadParameter(f"no folder {log_file.parent}", param_hint="--log-file")
        out["LOG_FILE"] = str(log_file)
    return out


def read_page(path: Path, url: str) -> Any:
    """The parsed page in ``path`` (crawler.parsers, imported lazily); a file that is not
    a page of either site is one line and exit 1."""
    from crawler.parsers import ParseError, parse_page

    try:
        return parse_page(path.read_bytes(), url)
    except ParseError as exc:
        raise click.ClickException(
            f"cannot read {path} as a page: {exc} ({exc.kind})") from None


def check_out(out: Path, fmt: str | None = None, formats: tuple[str, ...] = ()) -> None:
    """Refuse an --out whose folder does not exist or is not a folder, and a file name whose
    extension names another of ``formats`` than ``fmt`` (``--format csv --out x.parquet``);
    checked before the archive is opened."""
    if not out.parent.is_dir():
        raise click.BadParameter(f"no folder {out.parent} to write {out.name} in",
                                 param_hint="--out")
    named = out.suffix.lower().lstrip(".")
    if named in formats and named != fmt:
        raise click.BadParameter(f"{out.name} names a {named} file but --format is {fmt}",
                                 param_hint="--out")


def check_query(query: str | None, option: str) -> None:
    """Refuse a search query with nothing to search for, before the archive is opened."""
    if query is None:
        return
    from archive.searchform import QueryError, to_match_query

    try:
        to_match_query(query)
    except QueryError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def check_port(host: str, port: int) -> None:
    """Refuse a port another process listens on, before a server says it is serving."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise click.BadParameter(f"cannot listen on {host}:{port}: {exc.strerror}",
                                     param_hint="--port") from None


def check_url(url: str, option: str) -> None:
    """Refuse anything but an absolute http(s) URL, naming the option."""
    if not url.startswith(("http://", "https://")) or len(url.split("/")) < 3:
        raise click.BadParameter(f"{url!r} is not an http(s) URL", param_hint=option)


def check_iso(value: str, option: str = "--fetched-at") -> None:
    """Refuse a time that is not ISO 8601 with a zone, naming the option."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time",
                                 param_hint=option) from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no time zone (add Z or +08:00)",
                                 param_hint=option)


def to_utc(value: str | None) -> str | None:
    """An ISO time with a zone as UTC ``...Z``; None stays None."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


BEIJING = timezone(timedelta(hours=8))
DATE_RULE = ("a bare date YYYY-MM-DD is a Beijing calendar day (UTC+8), --until includes its "
             "day; a time is ISO 8601 with a zone")


@dataclass(frozen=True)
class Window:
    """A --since/--until pair as a half-open UTC window ``[since, until)``; either end may
    be open (None). Both are ISO ``...Z`` strings, comparable with ``*_at`` columns."""

    since: str | None = None
    until: str | None = None


def to_window(since: str | None, until: str | None) -> Window:
    """The one rule for dates in every command: a bare date is a Beijing calendar day,
    --since starts at its 00:00 and --until includes it (ends at the next day's 00:00);
    a time needs a zone. A window that ends before it starts is a usage error."""
    start = _edge(since, "--since", 0)
    end = _edge(until, "--until", 1)
    if start is not None and end is not None and end <= start:
        raise click.BadParameter(f"{until} is before {since}", param_hint="--until")
    return Window(_iso(start), _iso(end))


def _edge(value: str | None, option: str, days_after: int) -> datetime | None:
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text) + timedelta(days=days_after)
            return datetime.combine(day, datetime.min.time(), BEIJING)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or an ISO 8601 time",
                                 param_hint=option) from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no time zone (add Z or +08:00)",
                                 param_hint=option)
    return moment


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
