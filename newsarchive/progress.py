"""Progress on a terminal (tqdm), nothing when stderr is not one (cron, pipes, CI).

``progress(total, label)`` yields the callable a long job calls with how much it did;
``crawl_progress(crawlers)`` shows a running crawl's requests, pages, items, errors and
rate, read from the crawlers' stats once a second. ``NEWSARCHIVE_PROGRESS=1`` forces the
display and ``=0`` hides it, whatever stderr is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def wanted() -> bool:
    """True when progress should be drawn: stderr is a terminal, unless forced."""
    forced = os.environ.get("NEWSARCHIVE_PROGRESS")
    return sys.stderr.isatty() if forced not in ("0", "1") else forced == "1"


@contextmanager
def progress(total: int | None, label: str, unit: str = "row") -> Iterator[Callable[[int], Any]]:
    """A bar for ``total`` steps of work (None: a counter without an end)."""
    if not wanted():
        yield lambda _n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit=unit, file=sys.stderr, leave=False,
              dynamic_ncols=True) as bar:
        yield bar.update


@contextmanager
def crawl_progress(crawlers: list[Any]) -> Iterator[None]:
    """A status line for a crawl in this process, updated every second by the reactor."""
    if not wanted():
        yield
        return
    from tqdm import tqdm
    from twisted.internet import task

    bar = tqdm(desc="crawling", unit=" requests", file=sys.stderr, leave=False,
               dynamic_ncols=True)

    def update() -> None:
        stats = [c.stats.get_stats() for c in crawlers if c.stats]
        total = {key: sum(int(s.get(key, 0)) for s in stats) for key in (
            "downloader/request_count", "response_received_count", "item_scraped_count",
            "downloader/exception_count")}
        errors = total["downloader/exception_count"] + sum(
            int(v) for s in stats for k, v in s.items() if k.startswith("archive/errors/"))
        bar.update(total["downloader/request_count"] - bar.n)
        bar.set_postfix(pages=total["response_received_count"],
                        items=total["item_scraped_count"], errors=errors, refresh=True)

    loop = task.LoopingCall(update)
    loop.start(1.0, now=True)
    try:
        yield
    finally:
        if loop.running:
            loop.stop()
        update()
        bar.close()
