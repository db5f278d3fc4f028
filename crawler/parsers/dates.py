"""The date forms the two sites write, read into UTC ``YYYY-MM-DDTHH:MM:SSZ``.

Forms read (reference/sites.md §5): ``YYYY-MM-DD[ HH:MM[:SS]]``, ``YYYY/MM/DD[ HH:MM]``,
``YYYY.MM.DD``, ``YYYY年M月D日[ HH:MM]``, ISO 8601 with or without a zone (``Z``, ``+08:00``,
``+0800``, fractions of a second), unix seconds and milliseconds (int or digit string).
A time written without a zone is Beijing time. Anything unreadable or invalid (2023-02-29)
gives None, never an exception. Nothing here reads the machine clock.

Relative bylines (``刚刚``, ``N秒前`` / ``N分钟前`` / ``N小时前``,
``今天`` / ``昨天`` / ``前天 HH:MM``) are found as raw text here and resolved by
:func:`resolve_relative` against an anchor the caller supplies (the capture time), never
the clock. The full Chinese date module (``N天前``, dates without a year in running text,
precision and provenance) is a later task.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from crawler.sites import BEIJING

_TIME = r"(?:[ T]\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:[.,](\d{1,9}))?)?)?"
_ZONE = r"\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?"
_NUMERIC = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME + _ZONE)
_CHINESE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*"
    r"(?:(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?"
)
_MONTH_DAY = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_UNIX = re.compile(r"\d{9,13}")
_RELATIVE = re.compile(
    r"刚刚|(\d{1,4})\s*(秒|分钟|小时)\s*前|(今天|昨天|前天)\s*(\d{1,2})\s*[:：]\s*(\d{2})")
_SECONDS = {"秒": 1, "分钟": 60, "小时": 3600}
_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2}

_MS_THRESHOLD = 100_000_000_000
"""Unix values at or above this are milliseconds (1e11 s is the year 5138)."""


def to_iso_utc(moment: datetime) -> str:
    """An aware (or Beijing-naive) datetime as UTC ``YYYY-MM-DDTHH:MM:SSZ``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_unix(value: int | float | str | None) -> str | None:
    """Unix seconds or milliseconds (int, float or digit string) as UTC ISO; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not _UNIX.fullmatch(value):
            return None
        number: float = int(value)
    elif isinstance(value, int | float):
        number = value
    else:
        return None
    if number <= 0:
        return None
    if number >= _MS_THRESHOLD:
        number = number / 1000
    try:
        return to_iso_utc(datetime.fromtimestamp(number, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"bad offset {text}")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(groups: tuple[str | None, ...], zone: str | None = None) -> str | None:
    """Year, month, day, hour, minute, second, fraction (strings or None) to UTC ISO."""
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in groups[:6])
    try:
        tz = _zone(zone) or BEIJING
        return to_iso_utc(datetime(year, month, day, hour, minute, second, tzinfo=tz))
    except ValueError:
        return None


def _from_match(m: re.Match[str], chinese: bool) -> str | None:
    if chinese:
        return _build(m.groups())
    year, _sep, month, day, hour, minute, second, _fraction, zone = m.groups()
    return _build((year, month, day, hour, minute, second), zone)


def parse_datetime(value: str | int | float | None) -> str | None:
    """A whole value in one of the module's forms, as UTC ISO; None when unreadable/invalid."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return from_unix(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return from_unix(text)
    m = _NUMERIC.fullmatch(text)
    if m:
        return _from_match(m, chinese=False)
    m = _CHINESE.fullmatch(text)
    if m:
        return _from_match(m, chinese=True)
    return None


def find_datetime(text: str | None) -> tuple[str, str] | None:
    """The first date (with its time when written) inside free text: ``(raw, utc_iso)``.

    For bylines such as ``kyle 2018-01-19 11:32发布在 比特币 13721``; bare numbers are not
    taken as unix times here (a byline's view count is not a date).
    """
    if not text:
        return None
    found = []
    for pattern, chinese in ((_NUMERIC, False), (_CHINESE, True)):
        m = pattern.search(text)
        if m:
            found.append((m.start(), m, chinese))
    for _start, m, chinese in sorted(found, key=lambda f: f[0]):
        iso = _from_match(m, chinese)
        if iso:
            return m.group(0).strip(), iso
    return None


def beijing_date(iso_utc: str | None) -> date | None:
    """The Beijing calendar date of a UTC ISO instant (as produced by this module)."""
    if not iso_utc:
        return None
    try:
        moment = datetime.strptime(iso_utc, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment.astimezone(BEIJING).date()


def find_month_day(text: str | None) -> tuple[str, int | None, int, int] | None:
    """The first ``[YYYY 年] M 月 D 日`` in text (spaces optional): (raw, year, month, day)."""
    if not text:
        return None
    m = _MONTH_DAY.search(text)
    if not m:
        return None
    year = int(m.group(1)) if m.group(1) else None
    return m.group(0), year, int(m.group(2)), int(m.group(3))


def resolve_month_day(
    month: int, day: int, anchor: date | None, year: int | None = None
) -> date | None:
    """The date ``month``/``day``; without ``year``, the year that puts it closest to ``anchor``.

    ``12 月 30 日`` anchored on 2024-01-02 is 2023-12-30. Without a year and without an anchor
    there is no year: None. The year is chosen by calendar position first and the date checked
    after, so an invalid date (``2 月 30 日``; ``2 月 29 日`` whose closest year is not a leap
    year) gives None rather than a far-away valid one. On a tie the earlier year wins.
    """
    if year is None:
        if anchor is None or not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        year = min(
            (anchor.year - 1, anchor.year, anchor.year + 1),
            key=lambda y: abs((date(y, month, 1) + timedelta(days=day - 1) - anchor).days),
        )
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_relative(text: str | None) -> str | None:
    """The first relative time in text (``3小时前``, ``昨天 10:20``, ``刚刚``), as written."""
    m = _RELATIVE.search(text) if text else None
    return m.group(0) if m else None


def resolve_relative(raw: str | None, anchor: str | None) -> str | None:
    """A relative time read against ``anchor`` (UTC ``...Z``, when the page was fetched).

    ``今天/昨天/前天 HH:MM`` count days in Beijing time. Anything else, or no anchor: None.
    """
    m = _RELATIVE.fullmatch(raw.strip()) if raw else None
    if not m or not anchor:
        return None
    try:
        moment = datetime.fromisoformat(anchor.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    if m.group(1):
        return to_iso_utc(moment - timedelta(seconds=int(m.group(1)) * _SECONDS[m.group(2)]))
    if not m.group(3):
        return to_iso_utc(moment)  # 刚刚: just now
    hour, minute = int(m.group(4)), int(m.group(5))
    if hour > 23 or minute > 59:
        return None
    day = moment.astimezone(BEIJING).date() - timedelta(days=_DAYS_BACK[m.group(3)])
    return to_iso_utc(datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING))
