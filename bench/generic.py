"""Pages of other sites: our generic reading against trafilatura and htmldate, field by field.

The 62 real Chinese news pages of ../shared/realworld/html/gne, judged against the hand
labels of tests/fixtures/generic/gne_labels.json (tests/generic_labels.py says how): title
exact, publication day right (pages that show one), article text found (the first sentence
near its start, at least 100 characters). trafilatura gets ``bare_extraction(html, url=...,
with_metadata=True)``; htmldate ``find_date`` with original_date and extensive_search (the
settings trafilatura itself passes it). ``ours`` is the parser as shipped: our rules for
every field, and for the date htmldate's answer when our rules find none; ``our rules`` is
the date without that fallback. Speed: pages per second on these pages.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import Any

from bench._extractors import TRAFILATURA_DATES
from bench._figures import figure, interleaved, median, timed
from crawler.parsers import ParseError, parse_page
from tests.generic_labels import PAGES, Label, date_right, labels, text_right, title_right

Fields = dict[str, Any]


def _ours(label: Label) -> Fields:
    try:
        record = parse_page(label.html(), label.url)
    except ParseError:
        return {"title": None, "published": None, "text": None}
    return {"title": record.title, "published": record.published_at,
            "source": record.published_source, "text": getattr(record, "text", None)}


def _trafilatura(label: Label) -> Fields:
    import trafilatura

    html = label.html().decode("utf-8", "replace")
    doc = trafilatura.bare_extraction(html, url=label.url, with_metadata=True,
                                      date_extraction_params=TRAFILATURA_DATES)
    if doc is None:
        return {"title": None, "published": None, "text": None}
    return {"title": doc.title, "published": doc.date, "text": doc.text}


def _htmldate(label: Label) -> Fields:
    from htmldate import find_date

    html = label.html().decode("utf-8", "replace")
    found = find_date(html, url=label.url, **TRAFILATURA_DATES)
    return {"title": None, "published": found, "text": None}


def _htmldate_value(raw: str | None) -> str | None:
    """htmldate's ``YYYY-MM-DD HH:MM:SS`` (Beijing wall time on these pages) as ISO."""
    return raw.replace(" ", "T") + "+08:00" if raw and " " in raw else raw


EXTRACTORS: dict[str, Callable[[Label], Fields]] = {
    "ours": _ours, "trafilatura": _trafilatura, "htmldate": _htmldate}


def _shares(rows: list[tuple[Label, Fields]]) -> dict[str, float]:
    dated = [(label, f) for label, f in rows if label.published]
    return {
        "title": sum(title_right(label, f["title"]) for label, f in rows) / len(rows),
        "published": sum(date_right(label, _normal(f["published"])) for label, f in dated)
        / len(dated),
        "text": sum(text_right(label, f["text"]) for label, f in rows) / len(rows),
    }


def _normal(value: str | None) -> str | None:
    """A value as our date helpers read it: UTC ``...Z`` or ``YYYY-MM-DD``."""
    from crawler.parsers.dates import read_date

    return read_date(_htmldate_value(value)).value if value else None


def _quiet() -> None:
    warnings.filterwarnings("ignore")
    for name in ("trafilatura", "htmldate"):
        logging.getLogger(name).setLevel(logging.ERROR)


def run(quick: bool = True) -> dict[str, Any]:
    _quiet()
    pages = labels()
    if not PAGES.exists():
        raise FileNotFoundError(f"{PAGES} is not there: ../shared beside the worktree")
    rows = {name: [(label, f(label)) for label in pages] for name, f in EXTRACTORS.items()}
    rows["our rules"] = [  # what the parser reads before it asks htmldate
        (label, {**f, "published": None if f.get("source") == "htmldate" else f["published"]})
        for label, f in rows["ours"]]
    shares = {name: _shares(r) for name, r in rows.items()}
    figures: dict[str, Any] = {}
    for field, rivals in (("title", ("trafilatura",)), ("text", ("trafilatura",)),
                          ("published", ("trafilatura", "htmldate", "our rules"))):
        others = ", ".join(f"{n} {shares[n][field]:.3f}" for n in rivals)
        figures[f"generic_{field}"] = figure(
            shares["ours"][field], "share", baseline=shares["trafilatura"][field],
            target=">= 0.9", met=shares["ours"][field] >= 0.9,
            note=f"{len(pages)} gne pages; {others}")
    rates = interleaved({name: _rate(f, pages) for name, f in EXTRACTORS.items()},
                        2 if quick else 4)
    speed = {name: median(r) for name, r in rates.items()}
    figures["generic_pages_per_s"] = figure(
        speed["ours"], "pages/s", baseline=speed["trafilatura"],
        note=f"htmldate alone {speed['htmldate']:.1f} pages/s")
    return figures


def _rate(extract: Callable[[Label], Fields], pages: list[Label]) -> Callable[[], float]:
    def once() -> float:
        seconds, _ = timed(lambda: [extract(p) for p in pages])
        return len(pages) / seconds
    return once
