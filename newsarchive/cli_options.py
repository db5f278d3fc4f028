"""Options and value checks shared by the `newsarchive` commands.

Command modules (``newsarchive.cli_*``) import from here, never from each other, so
adding a command touches one new module and one ``add_command`` line in cli.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click

from archive.db import DEFAULT_DB


def db_option(func: Any) -> Any:
    """--db PATH, shared by every command that touches the archive."""
    return click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                        default=DEFAULT_DB, show_default=True,
                        help="The SQLite archive file.")(func)


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    """-s NAME=VALUE pairs as a dict; a pair without = is a usage error."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s")
        out[name.strip()] = value
    return out


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


def check_date(value: str | None, option: str) -> str | None:
    """A YYYY-MM-DD date or an ISO 8601 time, returned as given; anything else is a usage
    error naming the option. None stays None."""
    if value is None:
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or ISO 8601 time",
                                 param_hint=option) from None
    return value


BEIJING = timezone(timedelta(hours=8))


def to_window_edge(value: str | None, option: str) -> str | None:
    """A --since/--until value as ISO UTC: YYYY-MM-DD is that day's 00:00 Beijing time
    (both sites write Beijing time); an ISO time needs a zone."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time(), BEIJING)
        else:
            check_iso(value, option)
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD) or an ISO time",
                                 param_hint=option) from None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
