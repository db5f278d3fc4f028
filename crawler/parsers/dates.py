"""The one date reader: any date text our sources write, as a value with its provenance.

``read_date(text, anchor, tz=..., source=...)`` returns a :class:`DateReading`: the raw text,
the value (a UTC instant ``YYYY-MM-DDTHH:MM:SSZ``, or a calendar date ``YYYY-MM-DD`` / month
``YYYY-MM`` when only that is known), its precision (second / minute / hour / day / month),
where it came from, and the reason when there is no value. Forms: see
crawler.parsers.date_forms (Chinese, numeric, ISO 8601, relative, unix) and
crawler.parsers.date_english (dateutil), found inside a longer sentence too.

Pure: relative and yearless forms resolve against the ``anchor`` the caller passes (the
capture time for a page's own date, the digest's date for its items), never the clock of
the machine. A time without a zone is in ``tz`` (Beijing unless a site says otherwise).
Impossible dates and junk give no value and a reason; nothing here raises on any input.
Judging a value (a publication time after its capture) is the pipeline's step, not this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from crawler.parsers.date_english import ENGLISH, SPAN, read_english
from crawler.parsers.date_forms import (
    ABSOLUTE,
    TIME_ONLY,
    UNIX,
    Context,
    Found,
    NeedsAnchor,
    NoValue,
    read_time_only,
    read_unix,
)
from crawler.parsers.date_relative import RELATIVE, read_relative
from crawler.sites import BEIJING

SOURCES = ("json-ld", "meta", "byline", "text", "url", "api", "htmldate")
"""Where a date was read: JSON-LD, a meta tag, the page's byline / header time, running
text, the URL, a listing API field, or htmldate (a page of another site where our rules
found none)."""
PRECISIONS = ("second", "minute", "hour", "day", "month")
SEARCHED = ABSOLUTE + ((RELATIVE, read_relative),)
"""Every form searched inside a text; on the same start, the first listed wins."""
MAX_CHARS = 2000
"""Longer text is cut here before searching: a date sits in a byline or a lead sentence."""

_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
"""Full-width ASCII (``２０２３``, ``：``) and the ideographic space to ASCII, one char for one,
so a match's span in the folded text is its span in the original."""


@dataclass(frozen=True, slots=True)
class DateReading:
    """What one date text says."""

    raw: str | None
    """The date as written (the matched part of a longer text); None when nothing matched."""
    value: str | None
    """UTC instant ``...Z``, calendar date ``YYYY-MM-DD`` or month ``YYYY-MM``; None if none."""
    precision: str | None
    """second, minute, hour, day or month; None without a value."""
    source: str | None
    """Where the text came from (one of SOURCES), as the caller said."""
    reason: str | None = None
    """Why there is no value; None when there is one."""
    needs_anchor: bool = False
    """No value only for want of an anchor (``3小时前``, ``3 月 7 日`` read without one)."""

    def as_json(self) -> dict[str, Any]:
        """The ``parse-date`` output: value, precision, raw, reason."""
        return {"value": self.value, "precision": self.precision, "raw": self.raw,
                "reason": self.reason}


def to_iso_utc(moment: datetime) -> str:
    """An aware (or Beijing-naive) datetime as UTC ``YYYY-MM-DDTHH:MM:SSZ``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _value(found: Found) -> str:
    if isinstance(found.moment, datetime):
        return to_iso_utc(found.moment)
    if found.precision == "month":
        return found.moment.strftime("%Y-%m")
    return found.moment.isoformat()


def make_context(anchor: str | datetime | date | None, tz: tzinfo = BEIJING) -> Context:
    """The anchor as an instant and/or a day in ``tz``. A string is ISO 8601 (a zone, or none
    meaning ``tz``) or a ``YYYY-MM-DD`` day. Unreadable anchors raise ValueError."""
    if isinstance(anchor, str):
        text = anchor.strip()
        anchor = (date.fromisoformat(text) if len(text) == 10
                  else datetime.fromisoformat(text.replace("Z", "+00:00")))
    if isinstance(anchor, datetime):
        if anchor.tzinfo is None:
            anchor = anchor.replace(tzinfo=tz)
        return Context(tz=tz, instant=anchor, day=anchor.astimezone(tz).date())
    if isinstance(anchor, date):
        return Context(tz=tz, instant=None, day=anchor)
    if anchor is None:
        return Context(tz=tz, instant=None, day=None)
    raise ValueError(f"an anchor is an ISO string, datetime or date, not {type(anchor).__name__}")


def read_date(text: Any, anchor: str | datetime | date | Context | None = None, *,
              tz: tzinfo = BEIJING, source: str = "text") -> DateReading:
    """The first date in ``text`` (str, or unix int/float), read with ``anchor``; never raises."""
    try:
        ctx = anchor if isinstance(anchor, Context) else make_context(anchor, tz)
    except (ValueError, TypeError) as exc:
        return DateReading(_raw(text), None, None, source, f"unreadable anchor: {exc}")
    if text is None or isinstance(text, bool):
        return DateReading(None, None, None, source, "no date text")
    if isinstance(text, int | float):
        return _finish(str(text), lambda: read_unix(text), source)
    if not isinstance(text, str):
        return DateReading(None, None, None, source, f"not text: {type(text).__name__}")
    return _read_text(text, ctx, source)


def _raw(text: Any) -> str | None:
    return text if isinstance(text, str) else None if text is None else str(text)


def _finish(raw: str, read: Any, source: str) -> DateReading:
    try:
        found = read()
        return DateReading(raw, _value(found), found.precision, source)
    except NeedsAnchor as exc:
        return DateReading(raw, None, None, source, str(exc), needs_anchor=True)
    except NoValue as exc:
        return DateReading(raw, None, None, source, str(exc))
    except (ValueError, OverflowError) as exc:  # a moment past year 9999 after shifting
        return DateReading(raw, None, None, source, f"out of range: {exc}")


def _read_text(text: str, ctx: Context, source: str) -> DateReading:
    stripped = text.strip()
    if not stripped:
        return DateReading(None, None, None, source, "empty text")
    folded = stripped[:MAX_CHARS].translate(_FULL_WIDTH)
    if UNIX.fullmatch(folded):
        return _finish(stripped, lambda: read_unix(float(folded)), source)
    whole = TIME_ONLY.fullmatch(folded)
    if whole:
        return _finish(stripped, lambda: read_time_only(whole, ctx), source)
    best = _leftmost(folded)
    if best is not None:
        m, reader = best
        raw = stripped[m.start():m.end()].strip()
        return _finish(raw, lambda: reader(m, ctx), source)
    if ENGLISH.search(folded):
        return _read_english(stripped, folded, ctx, source)
    return DateReading(stripped, None, None, source, "no date form found")


def _read_english(stripped: str, folded: str, ctx: Context, source: str) -> DateReading:
    """The whole text as an English date, else the first English date span inside it."""
    whole = _finish(stripped, lambda: read_english(folded, ctx), source)
    span = SPAN.search(folded)
    if whole.value is not None or span is None:
        return whole
    raw = stripped[span.start():span.end()].strip()
    return _finish(raw, lambda: read_english(span.group(0).strip(), ctx), source)


def _leftmost(folded: str) -> tuple[re.Match[str], Any] | None:
    best: tuple[re.Match[str], Any] | None = None
    for pattern, reader in SEARCHED:
        m = pattern.search(folded)
        if m and (best is None or m.start() < best[0].start()):
            best = (m, reader)
    return best


# --- helpers for callers that need one part of a reading ---------------------------------------

def from_unix(value: int | float | str | None) -> str | None:
    """Unix seconds or milliseconds (int, float or digit string) as UTC ISO; None if unreadable."""
    if isinstance(value, str) and not UNIX.fullmatch(value.strip()):
        return None
    return read_date(value, source="api").value


def first_reading(texts: Any, *, tz: tzinfo = BEIJING, source: str = "byline"
                  ) -> DateReading | None:
    """The first of ``texts`` that reads to a value without an anchor; else the first that
    only needs one (a relative byline, resolved later against the capture); else None."""
    waiting = None
    for text in texts:
        reading = read_date(text, tz=tz, source=source)
        if reading.value:
            return reading
        if reading.needs_anchor and waiting is None:
            waiting = reading
    return waiting


def parse_datetime(value: str | int | float | None) -> str | None:
    """A whole value's instant (UTC ISO) or calendar date; None when unreadable or relative."""
    return read_date(value).value


def beijing_date(value: str | None, tz: tzinfo = BEIJING) -> date | None:
    """The calendar date (in ``tz``) of a reading's value: a UTC instant or ``YYYY-MM-DD``."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return moment.astimezone(tz).date()


def published_fields(reading: DateReading) -> dict[str, Any]:
    """A page's publication reading as the ``published_*`` fields of its item."""
    return {"published_raw": reading.raw, "published_at": reading.value,
            "published_precision": reading.precision, "published_source": reading.source,
            "published_reason": reading.reason}


def as_calendar_date(reading: DateReading, tz: tzinfo = BEIJING) -> DateReading:
    """A reading whose instant is replaced by its calendar day in ``tz`` (an event date)."""
    if reading.value is None or reading.precision in ("day", "month"):
        return reading
    day = beijing_date(reading.value, tz)
    return DateReading(reading.raw, day.isoformat() if day else None, "day", reading.source)
