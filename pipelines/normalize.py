"""Normalise parsed records: canonical URLs, dates the page left relative, clean text.

Pure functions (``normalize_record``) plus the pipeline that applies them, so the
``newsarchive parse`` command gives exactly what a crawl stores. Every ``*_raw``
value is kept as the page wrote it. The anchor for relative dates (``3小时前``) is the
capture time, never the clock of the machine that parses; the anchor for a digest item's
yearless ``3 月 7 日`` is the digest's own date. A publication time more than a day after
its capture is refused: the raw text stays, the value is null and the reason says why.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from crawler.items import Article, Digest, DigestItem
from crawler.parsers.cleantext import normalize_text
from crawler.parsers.dates import (
    as_calendar_date,
    beijing_date,
    published_fields,
    read_date,
)
from crawler.parsers.digest import item_date_fields
from crawler.sites import canonical_url, site_zone

R = TypeVar("R", Digest, Article)

FUTURE_TOLERANCE = timedelta(days=1)
"""A page's publication time may be this far after its capture (clock skew, zones)."""

clean_text = normalize_text
"""Kept for callers of the earlier name."""


def normalize_record(record: R, anchor: str | None = None) -> R:
    """A record with canonical URLs filled in, relative dates read against ``anchor``
    (UTC ``...Z``: when the page was fetched), future dates refused and text cleaned."""
    record = judge_published(resolve_published(record, anchor), anchor)
    if isinstance(record, Digest):
        return _normalize_digest(record)
    return dataclasses.replace(
        record, canonical_url=canonical_url(record.url), title=normalize_text(record.title),
        author=normalize_text(record.author), summary=normalize_text(record.summary),
        text=normalize_text(record.text), tags=tuple(normalize_text(t) for t in record.tags))


def resolve_published(record: R, anchor: str | None) -> R:
    """Read a publication date the parser could not place (relative) against ``anchor``."""
    if record.published_at is not None or not record.published_raw or not anchor:
        return record
    reading = read_date(record.published_raw, anchor, tz=site_zone(record.url),
                        source=record.published_source or "byline")
    return dataclasses.replace(record, **published_fields(reading))


def judge_published(record: R, anchor: str | None) -> R:
    """Refuse a publication value more than FUTURE_TOLERANCE after ``anchor``."""
    if record.published_at is None or not anchor:
        return record
    capture = datetime.fromisoformat(anchor.replace("Z", "+00:00")).astimezone(UTC)
    if _earliest(record.published_at) <= capture + FUTURE_TOLERANCE:
        return record
    return dataclasses.replace(
        record, published_at=None, published_precision=None,
        published_reason=f"{record.published_at} is more than a day after the capture "
                         f"at {anchor}")


def _earliest(value: str) -> datetime:
    """The earliest instant a value may mean: itself, or the start of its day/month (UTC+14,
    the earliest zone, so a calendar date is never refused for its zone)."""
    if value.endswith("Z"):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    day = date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    return datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=14)


def _normalize_digest(digest: Digest) -> Digest:
    day = beijing_date(digest.published_at, site_zone(digest.url))
    items = tuple(
        dataclasses.replace(_dated(i, day), headline=normalize_text(i.headline),
                            text=normalize_text(i.text))
        for i in digest.items)
    recs = tuple(
        dataclasses.replace(r, title=normalize_text(r.title), blurb=normalize_text(r.blurb),
                            canonical_url=canonical_url(r.url) if r.url else None)
        for r in digest.recommendations)
    return dataclasses.replace(
        digest, canonical_url=canonical_url(digest.url), title=normalize_text(digest.title),
        summary=normalize_text(digest.summary), items=items, recommendations=recs)


def _dated(item: DigestItem, day: date | None) -> DigestItem:
    """An item whose yearless date the parser could not place (its digest's date was only
    known once resolved here) gets its year from the digest's date."""
    if item.event_date is not None or not item.event_date_raw or day is None:
        return item
    reading = as_calendar_date(read_date(item.event_date_raw, day, source="text"))
    return dataclasses.replace(item, **item_date_fields(reading))


class NormalizePipeline:
    """Applies normalize_record to digests and articles; captures pass through."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, (Digest, Article)):
            anchor = item.capture.fetched_at if item.capture else None
            return normalize_record(item, anchor)
        return item
