"""The date forms our sources write, each a pattern and a reader (used by crawler.parsers.dates).

A reader gets the match and a :class:`Context` (zone, anchor) and returns a
:class:`Found` (a datetime or date and its precision), or raises :class:`NoValue` with the
reason. Patterns run on text whose full-width ASCII was already folded to ASCII, so
``２０２３年`` and ``10：34`` read like ``2023年`` and ``10:34``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo


class NoValue(ValueError):
    """The text matched a form but names no real moment (2023-02-29, 25:00, no anchor)."""


class NeedsAnchor(NoValue):
    """The text is relative or yearless and no anchor was given to read it against."""


@dataclass(frozen=True, slots=True)
class Context:
    """What a reader may use besides the text: never the machine's clock."""

    tz: tzinfo
    """The zone of a time written without one."""
    instant: datetime | None
    """The anchor as an aware instant (capture time); None when only a day is known."""
    day: date | None
    """The anchor's calendar day in ``tz`` (the digest's date, or the capture's day)."""


@dataclass(frozen=True, slots=True)
class Found:
    """A moment read from text: an aware datetime, or a date (day/month precision)."""

    moment: datetime | date
    precision: str


_PM = frozenset({"下午", "晚上", "傍晚", "晚", "午后", "夜里", "夜间", "夜晚"})
"""Parts of the day after noon: 1-11 o'clock in them is 13-23."""
_PART = (r"(?:(上午|下午|早上|早晨|清晨|晚上|傍晚|凌晨|中午|午后|夜里|夜间|夜晚|早|晚)\s*)?")
_T = (_PART + r"(\d{1,2})(?:\s*:\s*(\d{2})(?:\s*:\s*(\d{2})(?:[.,](\d{1,9}))?)?"
      r"|\s*[时時点點](?:\s*(\d{1,2}|半)(?:\s*分(?:\s*(\d{1,2})\s*秒)?)?)?)(?!\d)")
"""A clock time (CLOCK_GROUPS groups): optional part of day (上午, 晚, 凌晨...), then
HH:MM[:SS[.fraction]] or the Chinese 10点05 / 09时30分 / 21時40分 / 10点半 / 8点."""
CLOCK_GROUPS = 7
_ZONE = r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?(?![\d:])"
_DAY_NAME = (r"(?:\s*[(（]\s*(?:星期|周|週|礼拜|禮拜)?[一二三四五六日天]\s*[)）]"
             r"|\s*(?:星期|周|週|礼拜|禮拜)[一二三四五六日天])?")
"""The day's name after a date: ``(日)``, ``（周三）``, `` 星期三``."""

NUMERIC = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)"
                     r"(?:(?:T|\s+)" + _T + _ZONE + ")?")
CHINESE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*(?:[日号號]|(?!\d))"
                     + _DAY_NAME + r"(?:\s*" + _T + ")?")
YEAR_MONTH = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]" + _DAY_NAME
                       + r"(?:\s*" + _T + ")?")
SHORT = re.compile(r"(?<![\d\-/.:])(\d{1,2})[-/](\d{1,2})\s+" + _T + r"(?![\d:])")
DAY_WORD = re.compile(r"(今天|昨天|前天|今日|昨日|前日)(?:\s*" + _T + ")?")
TIME_ONLY = re.compile(_T)
UNIX = re.compile(r"\d{9,13}(?:\.\d+)?")

_MS_THRESHOLD = 100_000_000_000
"""Unix values at or above this are milliseconds (1e11 s is the year 5138)."""
_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2, "今日": 0, "昨日": 1, "前日": 2}


def make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise NoValue(f"impossible date {year:04d}-{month:02d}-{day:02d}") from None


def _hour_of_day(part: str | None, hour: int) -> int:
    """The 24-hour clock hour of ``hour`` said in ``part`` of the day (晚8点 is 20)."""
    if part in _PM and hour < 12:
        return hour + 12
    if part == "中午" and hour < 11:
        return hour + 12
    if part == "凌晨" and hour == 12:
        return 0
    return hour


def clock(groups: tuple[str | None, ...]) -> tuple[int, int, int, int, str]:
    """(hour, minute, second, microsecond, precision) from the CLOCK_GROUPS groups of ``_T``."""
    part, hh, mm, ss, fraction, cn_mm, cn_ss = groups
    if cn_mm == "半":
        cn_mm = "30"
    minutes, seconds = mm or cn_mm, ss or cn_ss
    hour = _hour_of_day(part, int(hh or 0))
    minute, second = int(minutes or 0), int(seconds or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise NoValue(f"impossible time {hh}:{minutes}" + (f":{seconds}" if seconds else ""))
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    precision = "second" if seconds else "minute" if minutes else "hour"
    return hour, minute, second, micro, precision


def clock_groups(m: re.Match[str], first: int) -> tuple[str | None, ...]:
    """The CLOCK_GROUPS groups of the clock time that starts at group ``first`` of ``m``."""
    return m.groups()[first - 1:first - 1 + CLOCK_GROUPS]


def at(day: date, groups: tuple[str | None, ...], tz: tzinfo) -> Found:
    """``day`` at the clock time of ``groups`` in ``tz``; a day-precision date without one."""
    if groups[1] is None:
        return Found(day, "day")
    hour, minute, second, micro, precision = clock(groups)
    return Found(datetime(day.year, day.month, day.day, hour, minute, second, micro,
                          tzinfo=tz), precision)


def parse_zone(text: str | None) -> tzinfo | None:
    """``Z``/``UTC``/``GMT``/``+08:00``/``+0800``/``-05`` as a zone; None when absent."""
    if not text:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise NoValue(f"impossible zone offset {text}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def nearest_year(month: int, day: int, ctx: Context) -> date:
    """``month``/``day`` in the year that puts it closest to the anchor day (earlier on a tie).

    The year is chosen by calendar position first and the date checked after, so ``2 月 29
    日`` whose closest year is not a leap year is impossible, not moved to a far year.
    """
    if ctx.day is None:
        raise NeedsAnchor("a date without a year needs an anchor")
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise NoValue(f"impossible date --{month:02d}-{day:02d}")
    anchor = ctx.day
    year = min((anchor.year - 1, anchor.year, anchor.year + 1),
               key=lambda y: abs((date(y, month, 1) + timedelta(days=day - 1) - anchor).days))
    return make_date(year, month, day)


def read_numeric(m: re.Match[str], ctx: Context) -> Found:
    year, _sep, month, day = m.group(1, 2, 3, 4)
    found = at(make_date(int(year), int(month), int(day)), clock_groups(m, 5), ctx.tz)
    zone = parse_zone(m.group(5 + CLOCK_GROUPS))
    if zone is not None and isinstance(found.moment, datetime):
        return Found(found.moment.replace(tzinfo=zone), found.precision)
    return found


def read_chinese(m: re.Match[str], ctx: Context) -> Found:
    day = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return at(day, clock_groups(m, 4), ctx.tz)


def read_year_month(m: re.Match[str], ctx: Context) -> Found:
    return Found(make_date(int(m.group(1)), int(m.group(2)), 1), "month")


def read_month_day(m: re.Match[str], ctx: Context) -> Found:
    return at(nearest_year(int(m.group(1)), int(m.group(2)), ctx), clock_groups(m, 3), ctx.tz)


def read_short(m: re.Match[str], ctx: Context) -> Found:
    return read_month_day(m, ctx)


def read_day_word(m: re.Match[str], ctx: Context) -> Found:
    if ctx.day is None:
        raise NeedsAnchor(f"{m.group(1)!r} is relative: it needs an anchor")
    return at(ctx.day - timedelta(days=_DAYS_BACK[m.group(1)]), clock_groups(m, 2), ctx.tz)


def read_time_only(m: re.Match[str], ctx: Context) -> Found:
    """``10:34`` alone: on the day (anchor day, the day before or after) that puts it
    closest to the anchor instant (earlier on a tie); on the anchor day when only a day
    is known."""
    if ctx.day is None:
        raise NeedsAnchor(f"{m.group(0)!r} is a time without a day: it needs an anchor")
    groups = clock_groups(m, 1)
    found = at(ctx.day, groups, ctx.tz)
    if ctx.instant is None:
        return found
    instant = ctx.instant
    options = [at(ctx.day + timedelta(days=shift), groups, ctx.tz) for shift in (-1, 0, 1)]
    return min(options, key=lambda f: (abs(f.moment - instant), f.moment))


def read_unix(number: float) -> Found:
    """Unix seconds, or milliseconds from 1e11 up."""
    if number <= 0:
        raise NoValue(f"unix time {number} is not after 1970")
    if number >= _MS_THRESHOLD:
        number = number / 1000
    try:
        return Found(datetime.fromtimestamp(int(number), tz=UTC), "second")
    except (OverflowError, OSError, ValueError):
        raise NoValue(f"unix time {number} is out of range") from None


Reader = Callable[[re.Match[str], Context], Found]

ABSOLUTE: tuple[tuple[re.Pattern[str], Reader], ...] = (
    (NUMERIC, read_numeric),
    (CHINESE, read_chinese),
    (YEAR_MONTH, read_year_month),
    (MONTH_DAY, read_month_day),
    (SHORT, read_short),
    (DAY_WORD, read_day_word),
)
"""Forms found anywhere in a text (a byline, a lead sentence), with the relative forms of
crawler.parsers.date_relative; on the same start, the first listed wins. A bare number or
a bare time is read only as a whole value."""
