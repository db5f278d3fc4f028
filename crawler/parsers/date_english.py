"""English dates (``March 7, 2023 10:34 AM``, ``Tue, 07 Mar 2023 02:34:00 GMT``) via
python-dateutil, with the year, zone and precision rules of crawler.parsers.dates.

dateutil fills what the text leaves out from a default; this module reads it twice with
two defaults to tell a written year from a filled one, so a yearless ``Mar 7`` takes the
year nearest the anchor like ``3 月 7 日`` does.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta, timezone

from dateutil import parser as du_parser

from crawler.parsers.date_forms import Context, Found, NoValue, nearest_year

ENGLISH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?![a-z])"
    r"|\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b", re.I)
"""A month or weekday name: only then is dateutil asked (it reads almost anything else)."""
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_CLOCK = (r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
          r"(?:\s+(?:[A-Z]{2,4}|[+-]\d{2}:?\d{2}))?)?")
SPAN = re.compile(
    r"(?:\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?"
    r"(?:\b" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+\d{4})?"
    r"|\b" + _MONTH + r",?\s+\d{4})(?![\d:])" + _CLOCK, re.I)
"""An English date inside a sentence (``Published on March 7, 2023``): a month name with
a day and/or a year, an optional weekday before and clock time after."""
_SECONDS = re.compile(r"\d:\d{2}:\d{2}")
_MINUTES = re.compile(r"\d:\d{2}|\d\s*[ap]\.?m\b", re.I)
_MONTH_YEAR = re.compile(r"[A-Za-z]+\.?,?\s+\d{4}")
_ZONES = {name: timezone(timedelta(hours=h)) for name, h in (
    ("EST", -5), ("EDT", -4), ("CST", 8), ("PST", -8), ("PDT", -7), ("HKT", 8), ("SGT", 8),
    ("JST", 9), ("KST", 9), ("BST", 1), ("CET", 1), ("CEST", 2))}
"""Zone names dateutil does not know. CST is China Standard Time on our sources."""
_DEFAULTS = (datetime(2004, 1, 1), datetime(2008, 1, 1))
"""Two leap years: ``Feb 29`` without a year reads under both, and differing years mean none
was written."""
_MAX_CHARS = 80


def _parse(text: str, default: datetime) -> datetime:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return du_parser.parse(text, default=default, tzinfos=_ZONES)


def read_english(text: str, ctx: Context) -> Found:
    """A whole English date; NoValue with dateutil's reason when it reads none."""
    if len(text) > _MAX_CHARS:
        raise NoValue("too long for a date")
    try:
        first, second = (_parse(text, d) for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError) as exc:
        raise NoValue(f"not a date: {exc}") from None
    if _MONTH_YEAR.fullmatch(text) and first.year == second.year:
        return Found(date(first.year, first.month, 1), "month")
    day = first.date()
    if first.year != second.year:
        day = nearest_year(first.month, first.day, ctx)
    if _SECONDS.search(text) or _MINUTES.search(text):
        moment = first.replace(year=day.year, month=day.month, day=day.day)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ctx.tz)
        return Found(moment.replace(microsecond=0),
                     "second" if _SECONDS.search(text) else "minute")
    return Found(day, "day")
