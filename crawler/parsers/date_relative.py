"""Relative dates in both scripts: ``刚刚``, ``3小时前``, ``5 分鐘前``, ``半小时前``, ``12 個月前``,
``2年前``, ``上個月`` and compound forms (``1年，1月，1周，1天，1小时，1分钟前``, summed).

A reader gets the match and a :class:`Context`; it needs the anchor instant when the text
counts seconds, minutes or hours, and the anchor day otherwise. Months and years are
calendar steps (the 31st less a month is the month's last day); weeks and days are days.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime, timedelta

from crawler.parsers.date_forms import Context, Found, NeedsAnchor, NoValue

_UNITS = {
    "秒": "second", "秒钟": "second", "秒鐘": "second",
    "分": "minute", "分钟": "minute", "分鐘": "minute",
    "小时": "hour", "小時": "hour", "个小时": "hour", "個小時": "hour", "個小时": "hour",
    "钟头": "hour", "鐘頭": "hour", "个钟头": "hour", "個鐘頭": "hour",
    "天": "day", "周": "week", "週": "week", "星期": "week", "个星期": "week", "個星期": "week",
    "个礼拜": "week", "個禮拜": "week", "个月": "month", "個月": "month", "月": "month",
    "年": "year",
}
_UNIT = "|".join(sorted((u for u in _UNITS if u != "月"), key=len, reverse=True))
_AMOUNT = r"(\d{1,9}(?:\s*[个個]半)?|半)"
"""A count, ``半`` (half) or ``1个半`` (one and a half)."""
_PART = (r"(?:\d{1,9}(?:\s*[个個]半)?|半)\s*(?:" + _UNIT + r"|月(?=\s*[，,、和又]?\s*(?:\d|半)))")
"""One ``N unit``; a bare 月 only before another part (``3月前`` alone is 'before March')."""
RELATIVE = re.compile(r"刚刚|剛剛|(?:" + _PART + r"\s*[，,、和又]?\s*)+前|(上个月|上個月)")
_COMPONENT = re.compile(_AMOUNT + r"\s*(" + _UNIT + r"|月)")
_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_RANK = ("second", "minute", "hour", "day", "week", "month", "year")
_HALF = {"second": ("second", 0), "minute": ("second", 30), "hour": ("minute", 30),
         "day": ("hour", 12), "week": ("hour", 84), "month": ("day", 15), "year": ("month", 6)}
"""Half of a unit as a count of a smaller one (半小时 is 30 minutes, 半天 12 hours)."""


def _need_instant(ctx: Context, raw: str) -> datetime:
    if ctx.instant is None:
        raise NeedsAnchor(f"{raw!r} is relative: it needs an anchor time")
    return ctx.instant


def _need_day(ctx: Context, raw: str) -> date:
    if ctx.day is None:
        raise NeedsAnchor(f"{raw!r} is relative: it needs an anchor")
    return ctx.day


def months_back(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months back, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    if year < 1:
        raise NoValue("too far back")
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _sum(raw: str) -> tuple[int, int, str]:
    """(calendar months, seconds, finest unit) of all the ``N unit`` parts of ``raw``."""
    months = seconds = 0
    finest = "year"
    parts = []
    for amount, word in _COMPONENT.findall(raw):
        whole = amount.rstrip("半个個 ")
        if whole:
            parts.append((_UNITS[word], int(whole)))
        if amount.endswith("半"):
            parts.append(_HALF[_UNITS[word]])
    for unit, count in parts:
        if unit in ("month", "year"):
            months += count * (12 if unit == "year" else 1)
        else:
            seconds += count * _SECONDS[unit]
        finest = min(finest, unit, key=_RANK.index)
    return months, seconds, finest


def read_relative(m: re.Match[str], ctx: Context) -> Found:
    raw = m.group(0)
    if raw in ("刚刚", "剛剛"):
        return Found(_need_instant(ctx, raw), "minute")
    if m.group(1):  # 上个月: last month
        return Found(months_back(_need_day(ctx, raw), 1).replace(day=1), "month")
    months, seconds, finest = _sum(raw)
    if finest in ("second", "minute", "hour"):
        instant = _need_instant(ctx, raw).astimezone(ctx.tz)
        try:
            day = months_back(instant.date(), months)
            moment = instant.replace(year=day.year, month=day.month, day=day.day)
            return Found(moment - timedelta(seconds=seconds), finest)
        except (OverflowError, ValueError):
            raise NoValue(f"{raw!r} is too far back") from None
    anchor = _need_day(ctx, raw)
    try:
        day = months_back(anchor, months) - timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        raise NoValue(f"{raw!r} is too far back") from None
    return Found(day.replace(day=1), "month") if finest == "month" else Found(day, "day")
