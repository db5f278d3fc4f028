"""Crawl: pages/s of our full pipeline against bare Scrapy spiders, same mirror, same run.

Both crawl the whole mirror (both sites, every listing page, every detail page, every
recommended article) with the same download settings (``crawler.runtime.MIRROR_SETTINGS``, host
map, robots.txt, shared duplicate filter); the bare spiders (``bench._bare_spiders``) parse
nothing but the links and store nothing. Runs alternate bare, full, bare, full... and the
figure is the ratio of the medians.
"""

from __future__ import annotations

from typing import Any

from bench._crawls import crawl_once, pages_per_second
from bench._figures import figure, interleaved, median
from bench._mirror import Mirror

SCALE = 1200
"""Digests in the mirror: 5,403 detail pages plus listing and robots.txt answers."""
TARGET = 0.8
HELD_BACK = ("below target: the crawl process alone (Scrapy, parsing, WARC, handing items to "
             "the writer) spends more CPU per page than the bare crawl, and the writer process "
             "(story placement, MinHash keys, FTS, upserts) more again, on a machine of two "
             "cores that the mirror shares; see docs/benchmarks.md, 'Crawl profile'")


def run(quick: bool = True) -> dict[str, Any]:
    repeats = 2 if quick else 3
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "full": []}

    def measure(kind: str):
        def once() -> float:
            result = crawl_once(kind, mirror.url)
            runs[kind].append(result)
            return pages_per_second(result)
        return once

    with Mirror(SCALE) as mirror:
        rates = interleaved({"bare": measure("bare"), "full": measure("full")}, repeats)
    bare, full = median(rates["bare"]), median(rates["full"])
    pages = {r["responses"] for rs in runs.values() for r in rs}
    note = (f"mirror scale {SCALE}: {max(pages)} responses per crawl; medians of {repeats} "
            f"interleaved runs each; bare runs {[round(r, 1) for r in rates['bare']]}, "
            f"full runs {[round(r, 1) for r in rates['full']]} pages/s")
    note += "; " + cpu_note(runs)
    if full / bare < TARGET:
        note += "; " + HELD_BACK
    if len(pages) != 1:
        note += f"; the crawls did not fetch the same number of pages: {sorted(pages)}"
    return {
        "crawl_pages_per_s": figure(full, "pages/s", baseline=bare, target=f">= {TARGET}x bare",
                                    met=full / bare >= TARGET, note=note),
        "crawl_bare_pages_per_s": figure(bare, "pages/s", note="bare Scrapy spiders, same run"),
    }


def cpu_note(runs: dict[str, list[dict[str, Any]]]) -> str:
    """CPU milliseconds per response of each process, medians over the runs."""
    def per_page(kind: str, key: str) -> float:
        return median([1000 * r[key] / r["responses"] for r in runs[kind]])
    return (f"CPU ms per response: bare {per_page('bare', 'cpu_seconds'):.2f}; ours "
            f"{per_page('full', 'cpu_seconds'):.2f} in the crawl process + "
            f"{per_page('full', 'writer_cpu_seconds'):.2f} in the writer process")
