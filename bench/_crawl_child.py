"""One timed crawl of the mirror in this process (Twisted's reactor runs once per process).

``python -m bench._crawl_child full|bare MIRROR_URL DB_PATH [NAME=VALUE...]`` crawls both
sites (with those Scrapy setting overrides, for experiments), then prints
one JSON line: responses received, items stored, wall seconds of the crawl, peak RSS (MiB:
the crawl process and its writer process, each its own peak, added) and CPU seconds of each.
``full`` is ``newsarchive.run.run_crawl`` (our spiders, parsers, pipelines, archive); ``bare`` is
the spiders of ``bench._bare_spiders`` with the same settings and no pipelines.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any

from bench._offline import guard
from crawler.runtime import build_settings, merge_stats
from newsarchive.run import run_crawl


def crawl_full(mirror: str, db_path: str, overrides: dict[str, str]) -> dict[str, Any]:
    """Our whole pipeline into the archive at ``db_path``."""
    result = run_crawl(db_path, ["foresight", "8btc"], mirror=mirror, overrides=overrides)
    return result.stats


def crawl_bare(mirror: str, db_path: str, overrides: dict[str, str]) -> dict[str, Any]:
    """The bare spiders, same download settings, no item pipelines, nothing stored (no
    WARC records either: writing the evidence is part of our pipeline's cost)."""
    from scrapy.crawler import CrawlerProcess

    from bench._bare_spiders import BareEightbtc, BareForesight

    # A run id shared by both spiders, as `newsarchive crawl` gives ours: the run-wide
    # duplicate filter is keyed on it, so a page both sites link to is fetched once.
    settings = build_settings(db_path, mirror, {"ITEM_PIPELINES": {}, "WARC_ENABLED": False,
                                                "ARCHIVE_RUN_ID": 1, **overrides})
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(cls) for cls in (BareForesight, BareEightbtc)]
    for crawler in crawlers:
        process.crawl(crawler)
    process.start()
    return merge_stats([c.stats.get_stats() for c in crawlers if c.stats])


def main(argv: list[str]) -> int:
    kind, mirror, db_path, *pairs = argv
    guard()  # the mirror is on loopback; nothing else may be reached
    overrides = dict(pair.split("=", 1) for pair in pairs)
    crawl = {"full": crawl_full, "bare": crawl_bare}[kind]
    started = time.perf_counter()
    stats = crawl(mirror, db_path, overrides)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    writer_kib = int(stats.get("writer/peak_rss_kib", 0))  # the writer process, if any
    print(json.dumps({
        "kind": kind, "seconds": seconds,
        "responses": int(stats.get("downloader/response_count", 0)),
        "items": int(stats.get("item_scraped_count", 0)),
        "errors": int(stats.get("log_count/ERROR", 0)),
        # The peak of every process of the crawl: each process's peak, added (an upper
        # bound of the peak of their sum).
        "peak_rss_mib": (own.ru_maxrss + writer_kib) / 1024,
        "crawl_peak_rss_mib": own.ru_maxrss / 1024,
        "writer_peak_rss_mib": writer_kib / 1024,
        "cpu_seconds": own.ru_utime + own.ru_stime,
        "writer_cpu_seconds": int(stats.get("writer/cpu_ms", 0)) / 1000,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
