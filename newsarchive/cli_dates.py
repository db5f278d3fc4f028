"""`newsarchive parse-date`: read one date text the way the crawler does, print the result.

The reader is crawler.parsers.dates (pure: no Scrapy, no clock), imported lazily like
every crawler module the CLI uses.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click


def _zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"{value!r} is not a time zone name (e.g. Asia/Shanghai)",
                                 param_hint="--tz") from None


def _anchor(value: str | None) -> str | None:
    """An ISO 8601 instant with a zone, or a YYYY-MM-DD day; anything else is a usage error."""
    if value is None:
        return None
    from datetime import date, datetime

    try:
        if len(value.strip()) == 10:
            date.fromisoformat(value.strip())
            return value.strip()
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time or YYYY-MM-DD day",
                                 param_hint="--anchor") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no time zone (add Z or +08:00)",
                                 param_hint="--anchor")
    return value.strip()


@click.command("parse-date")
@click.argument("text")
@click.option("--anchor", metavar="ISO", help="What relative and yearless dates are read "
              "against: an ISO 8601 time with a zone (a capture time) or a YYYY-MM-DD day "
              "(a digest's date). Without it, 3小时前 and 3 月 7 日 have no value.")
@click.option("--tz", "zone", metavar="ZONE", default="Asia/Shanghai", show_default=True,
              help="The zone of a time written without one (an IANA name).")
def parse_date(text: str, anchor: str | None, zone: str) -> None:
    """Read one date text and print {value, precision, raw, reason} as JSON. Exit 1 if it has
    no value."""
    tz = _zone(zone)
    anchor = _anchor(anchor)
    from crawler.parsers.dates import read_date

    reading = read_date(text, anchor, tz=tz)
    click.echo(json.dumps(reading.as_json(), ensure_ascii=False))
    if reading.value is None:
        click.get_current_context().exit(1)
