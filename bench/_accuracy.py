"""How each field is compared with the mirror's truth (docs/benchmarks.md, "Parse").

- title: equal after collapsing whitespace (a site suffix left on is wrong).
- date: equal to the minute, in UTC (``to_utc_minute`` on both sides).
- author: equal after collapsing whitespace, None included (a page without an author is
  right only when the tool says none); articles only (digests have no author in the truth).
- text: similarity of the body text, whitespace removed, ``difflib`` ratio in [0, 1];
  articles only (a digest's truth is its items, not one text).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from bench._extractors import to_utc_minute

_SPACE = re.compile(r"\s+")
FIELDS = ("title", "date", "author", "text")


def _collapse(value: str | None) -> str | None:
    return _SPACE.sub(" ", value).strip() or None if value else None


def text_similarity(expected: str | None, got: str | None) -> float:
    """0..1: how much of the text the tool got, and nothing else."""
    a, b = _SPACE.sub("", expected or ""), _SPACE.sub("", got or "")
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def score_page(truth: dict[str, Any], got: dict[str, Any]) -> dict[str, float]:
    """Per-field scores of one page (1.0 right, 0.0 wrong; text in between)."""
    scores = {
        "title": float(_collapse(truth["title"]) == _collapse(got["title"])),
        "date": float(to_utc_minute(truth["published_at"]) == got["published"]),
    }
    if truth["kind"] == "article":
        scores["author"] = float(_collapse(truth.get("author")) == _collapse(got["author"]))
        scores["text"] = text_similarity(truth.get("text"), got["text"])
    return scores


def mean_scores(per_page: Iterable[dict[str, float]]) -> dict[str, float]:
    """Mean score per field over the pages that have it."""
    sums: dict[str, list[float]] = {f: [] for f in FIELDS}
    for scores in per_page:
        for name, value in scores.items():
            sums[name].append(value)
    return {name: sum(v) / len(v) if v else 0.0 for name, v in sums.items()}
