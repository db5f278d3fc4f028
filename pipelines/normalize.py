"""Normalise parsed records: canonical URLs, dates the page left relative, clean text.

Pure functions (``normalize_record``) plus the pipeline that applies them, so the
``newsarchive parse`` command gives exactly what a crawl stores. Every ``*_raw``
value is kept as the page wrote it. The anchor for relative dates (``3小时前``) is the
capture time, never the clock of the machine that parses.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date
from typing import Any, TypeVar

from crawler.items import Article, Digest, DigestItem
from crawler.parsers.dates import (
    beijing_date,
    find_month_day,
    resolve_month_day,
    resolve_relative,
)
from crawler.sites import canonical_url

R = TypeVar("R", Digest, Article)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""C0 controls (but tab and newline), zero-width and bidi-override characters."""


def clean_text(value: str | None) -> str | None:
    """NFC, without control, zero-width or bidi-override characters; None stays None."""
    if value is None:
        return None
    return _CONTROL.sub("", unicodedata.normalize("NFC", value))


def normalize_record(record: R, anchor: str | None = None) -> R:
    """A record with canonical URLs filled in, relative dates read against ``anchor``
    (UTC ``...Z``: when the page was fetched) and its text fields cleaned."""
    if record.published_at is None and anchor:
        resolved = resolve_relative(record.published_raw, anchor)
        if resolved:
            record = dataclasses.replace(record, published_at=resolved)
    if isinstance(record, Digest):
        return _normalize_digest(record)
    return dataclasses.replace(
        record, canonical_url=canonical_url(record.url), title=clean_text(record.title),
        author=clean_text(record.author), summary=clean_text(record.summary),
        text=clean_text(record.text), tags=tuple(clean_text(t) for t in record.tags))


def _normalize_digest(digest: Digest) -> Digest:
    day = beijing_date(digest.published_at)
    items = tuple(
        dataclasses.replace(_dated(i, day), headline=clean_text(i.headline),
                            text=clean_text(i.text))
        for i in digest.items)
    recs = tuple(
        dataclasses.replace(r, title=clean_text(r.title), blurb=clean_text(r.blurb),
                            canonical_url=canonical_url(r.url) if r.url else None)
        for r in digest.recommendations)
    return dataclasses.replace(
        digest, canonical_url=canonical_url(digest.url), title=clean_text(digest.title),
        summary=clean_text(digest.summary), items=items, recommendations=recs)


def _dated(item: DigestItem, day: date | None) -> DigestItem:
    """An item whose yearless date the parser could not place (its digest's date was only
    known once resolved here) gets its year from the digest's date."""
    found = find_month_day(item.event_date_raw) if item.event_date is None else None
    if not found or day is None:
        return item
    _raw, year, month, month_day = found
    resolved = resolve_month_day(month, month_day, day, year)
    return dataclasses.replace(item, event_date=resolved.isoformat()) if resolved else item


class NormalizePipeline:
    """Applies normalize_record to digests and articles; captures pass through."""

    def process_item(self, item: Any) -> Any:
        if isinstance(item, (Digest, Article)):
            anchor = item.capture.fetched_at if item.capture else None
            return normalize_record(item, anchor)
        return item
