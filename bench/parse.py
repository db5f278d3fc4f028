"""Parse: pages/s and field accuracy of our parsers against trafilatura and newspaper4k.

The same mirror pages (HTML as served, and the URL) go to each extractor; each is timed over
all of them in rounds that alternate the extractors, and the figure is the median round.
Accuracy is each tool's output against the mirror's truth, field by field (bench._accuracy).
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from bench._accuracy import FIELDS, mean_scores, score_page
from bench._extractors import EXTRACTORS, offline_tldextract
from bench._figures import figure, interleaved, median, timed
from bench._offline import guard
from bench._pages import MirrorPage, sample_pages

SCALE = 200
SPEED_TARGET = 10.0


def _rate(extract, pages: list[MirrorPage]):
    def once() -> float:
        seconds, _ = timed(lambda: [extract(p.html, p.url) for p in pages])
        return len(pages) / seconds
    return once


def _quiet() -> None:
    warnings.filterwarnings("ignore")
    for name in ("trafilatura", "htmldate", "newspaper", "jieba"):
        logging.getLogger(name).setLevel(logging.ERROR)


def run(quick: bool = True) -> dict[str, Any]:
    _quiet()
    guard()  # anything that still reaches beyond loopback fails at once, never stalls
    offline_tldextract()
    pages = sample_pages(SCALE, 120 if quick else 600)
    for extract in EXTRACTORS.values():  # warm-up: imports, jieba's dictionary
        extract(pages[0].html, pages[0].url)
    rates = interleaved({name: _rate(f, pages) for name, f in EXTRACTORS.items()},
                        3 if quick else 5)
    speed = {name: median(r) for name, r in rates.items()}
    accuracy = {name: mean_scores(score_page(p.truth, f(p.html, p.url)) for p in pages)
                for name, f in EXTRACTORS.items()}
    kinds = {k: sum(p.truth["kind"] == k for p in pages) for k in ("digest", "article")}
    sample = (f"{len(pages)} mirror pages (scale {SCALE}: {kinds['digest']} digests, "
              f"{kinds['article']} articles, both sites)")
    figures = {
        "parse_pages_per_s": figure(
            speed["ours"], "pages/s", baseline=speed["trafilatura"],
            target=f">= {SPEED_TARGET}x trafilatura",
            met=speed["ours"] >= SPEED_TARGET * speed["trafilatura"],
            note=f"{sample}; median of interleaved rounds; newspaper4k "
                 f"{speed['newspaper4k']:.1f} pages/s "
                 f"({speed['ours'] / speed['newspaper4k']:.1f}x slower than ours)"),
    }
    for field in FIELDS:
        best_other = max(accuracy["trafilatura"][field], accuracy["newspaper4k"][field])
        figures[f"parse_accuracy_{field}"] = figure(
            accuracy["ours"][field], "share" if field != "text" else "similarity",
            baseline=accuracy["trafilatura"][field], target="> both competitors",
            met=accuracy["ours"][field] > best_other or accuracy["ours"][field] == 1.0,
            note=f"trafilatura {accuracy['trafilatura'][field]:.3f}, "
                 f"newspaper4k {accuracy['newspaper4k'][field]:.3f}")
    return figures
