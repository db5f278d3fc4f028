"""One duplicate filter for every spider of a run, so a page is fetched once per run.

`newsarchive crawl` runs both spiders in one process, each with its own crawler.
With Scrapy's filter each crawler keeps its own seen-set, so an 8btc article that a
Foresight digest recommends and 8btc's listing also lists was fetched twice. This
filter keys its seen-set on the run (ARCHIVE_RUN_ID): whichever spider asks first
fetches the page; the archive links the digest to it either way.
"""

from __future__ import annotations

from typing import ClassVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.job import job_dir


class RunDupeFilter(RFPDupeFilter):
    """RFPDupeFilter whose fingerprints are shared by the crawlers of one run."""

    _runs: ClassVar[dict[str, set[bytes]]] = {}

    def __init__(self, *args: object, run: str | None = None, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.run = run
        self.seen: set[bytes] = self._runs.setdefault(run, set()) if run else set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunDupeFilter:
        run = crawler.settings.get("ARCHIVE_RUN_ID")
        return cls(job_dir(crawler.settings), crawler.settings.getbool("DUPEFILTER_DEBUG"),
                   fingerprinter=crawler.request_fingerprinter,
                   run=str(run) if run is not None else None)

    def request_seen(self, request: Request) -> bool:
        if self.run is None:  # a lone `scrapy crawl`: Scrapy's own behaviour, JOBDIR included
            return super().request_seen(request)
        fingerprint = self.fingerprinter.fingerprint(request)
        if fingerprint in self.seen:
            return True
        self.seen.add(fingerprint)
        return False
