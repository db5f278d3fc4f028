"""What one backfill of one source from one archive should fetch, and how far it got.

Built by ``pipelines.backfill`` from the archive before the spiders start (the spiders
never open the archive), read back after they stop to save where the walk stands. The
walk lists captures page by page (CDX resume keys); a page counts as done once every
capture it listed (and every linked page a digest on it led to) was stored. The resume
key saved is the one after the last page done with all pages before it done, so a run
stopped by its budget or a signal loses nothing: the next one lists those pages again
and skips the captures already stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ListedPage:
    """One page of the CDX listing in this run."""

    next_key: str | None = None
    """The resume key its answer gave (None: the listing ended with it)."""
    read: bool = False
    """True once its answer was read and every capture on it requested."""
    outstanding: int = 0
    """Captures (and linked lookups) requested from it and not stored yet."""


@dataclass(slots=True)
class BackfillPlan:
    """Plain values for the spider, and the progress it reports back."""

    archive: str
    source: str
    prefix: str
    since: str | None = None
    """The window's start as a 14-digit CDX timestamp (UTC), inclusive."""
    until: str | None = None
    """The window's end, inclusive."""
    resume_key: str | None = None
    """Where the last run of the same query stopped; None starts at the beginning."""
    walk: bool = True
    """False when the same closed window was walked to its end before: nothing to list."""
    done: frozenset[tuple[str, str]] = frozenset()
    """(URL, ISO capture time) of captures from this archive already stored."""
    known: frozenset[str] = frozenset()
    """Canonical URLs already archived, or known to be gone."""
    pending: tuple[str, ...] = ()
    """Linked pages of this source no capture of which is stored yet."""
    collections: tuple[str, ...] = ()
    """Common Crawl: the collections named (``--collection``); none: those in the window."""
    cache: str | None = None
    """Common Crawl: the file the collection list is cached in (beside the archive)."""
    link_dates: dict[str, str] = field(default_factory=dict)
    """Common Crawl: a pending link -> when the digest linking it was published."""
    pages: list[ListedPage] = field(default_factory=list)
    safe_key: str | None = None
    complete: bool = False

    @property
    def query(self) -> str:
        """What identifies the walk: a resume key only continues the same query."""
        query = f"{self.prefix}|{self.since or ''}|{self.until or ''}"
        return f"{query}|{','.join(self.collections)}" if self.collections else query

    def open_page(self) -> int:
        """A new listing page; returns its index."""
        self.pages.append(ListedPage())
        return len(self.pages) - 1

    def add(self, page: int) -> None:
        """One more capture requested from ``page`` (negative: not from the listing)."""
        if page >= 0:
            self.pages[page].outstanding += 1

    def finish(self, page: int) -> None:
        """One capture of ``page`` stored."""
        if page >= 0:
            self.pages[page].outstanding -= 1
            self._advance()

    def close_page(self, page: int, next_key: str | None) -> None:
        """Every capture ``page`` listed was requested; ``next_key`` continues the walk."""
        self.pages[page].next_key, self.pages[page].read = next_key, True
        self._advance()

    def _advance(self) -> None:
        for listed in self.pages:
            if not listed.read or listed.outstanding > 0:
                return
            if listed.next_key is None:
                self.complete = True
                return
            self.safe_key = listed.next_key
