"""What one run should fetch: the plain-value plan an incremental or backfill crawl follows.

Built by ``pipelines.runs`` from the archive before the spiders start (the spiders never
open the archive). A listing is walked newest first:

- incremental: an entry is fetched when its page is not archived yet, or is archived
  but recent (the re-check window), then with its HTTP validators. The walk stops
  after the first page on which every entry is archived and no newer than the
  listing's high-water mark (the newest entry of its last *complete* walk). A walk
  cut short (budget, kill -9) never moved the mark, so the next run walks on past
  the pages it already archived until it reaches the old mark: that, and the
  unresolved recommended links, are the frontier the archive keeps.
- backfill (``since``/``until``): entries inside the window are fetched unless
  archived; the walk stops at the first page whose entries are all older than
  ``since``. Marks are not moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from crawler.items import ListingEntry


@dataclass
class CronOptions:
    """How a run chooses what to fetch: incremental (the default) or a backfill window."""

    since: str | None = None
    """Backfill: fetch what was published at or after this ISO UTC time."""
    until: str | None = None
    """Backfill: ... and before this one."""
    recheck_hours: float = 48.0
    """Re-fetch archived pages published this recently, conditionally."""


@dataclass(slots=True)
class Walk:
    """How far a listing was walked in this run."""

    source: str
    newest: str | None = None
    """The newest publication time seen on the listing."""
    complete: bool = False
    """True when the walk reached its stopping page or the listing's end."""


@dataclass(slots=True)
class CrawlPlan:
    """Plain values a spider consults; ``None`` plan means crawl everything (plain Scrapy)."""

    known: frozenset[str] = frozenset()
    """Canonical URLs already archived (or known to be gone)."""
    recheck: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    """Archived pages inside the re-check window -> (ETag, Last-Modified)."""
    pending: tuple[str, ...] = ()
    """Recommended links not archived yet: fetched first."""
    marks: dict[str, str | None] = field(default_factory=dict)
    """listing -> high-water mark of its last complete walk."""
    since: str | None = None
    until: str | None = None
    walks: dict[str, Walk] = field(default_factory=dict)
    """Filled while crawling: what each listing's walk reached."""

    @property
    def backfill(self) -> bool:
        """True for a ``--since`` run."""
        return self.since is not None

    def wants(self, url: str, published_at: str | None = None) -> bool:
        """Should this page be fetched in this run?"""
        if self.backfill and not self._in_window(published_at):
            return False
        return url not in self.known or url in self.recheck

    def _in_window(self, published_at: str | None) -> bool:
        if published_at is None:
            return True
        if self.until is not None and published_at >= self.until:
            return False
        return self.since is None or published_at >= self.since

    def walk_on(self, listing: str, source: str, entries: Iterable[ListingEntry]) -> bool:
        """Record a listing page; True when the walk should go on to the next page."""
        entries = list(entries)
        walk = self.walks.setdefault(listing, Walk(source))
        dates = [e.published_at for e in entries if e.published_at]
        if dates and (walk.newest is None or max(dates) > walk.newest):
            walk.newest = max(dates)
        if not entries:
            walk.complete = True
            return False
        if self.backfill:
            go_on = not dates or min(dates) >= self.since
        else:
            go_on = self._holds_new(listing, entries)
        walk.complete = not go_on
        return go_on

    def _holds_new(self, listing: str, entries: list[ListingEntry]) -> bool:
        mark = self.marks.get(listing)
        if mark is None:
            return True
        return any(e.url not in self.known or (e.published_at or "") > mark
                   for e in entries)

    def validators(self, url: str) -> dict[str, str]:
        """Conditional request headers for a page being re-checked."""
        etag, modified = self.recheck.get(url, (None, None))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers
