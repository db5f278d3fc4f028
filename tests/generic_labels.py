"""The hand labels of ../shared/realworld/html/gne (tests/fixtures/generic/gne_labels.json)
and how an extraction is judged against them: shared by tests/test_generic_pages.py and
bench/generic.py (ours against trafilatura and htmldate on the same pages).

- title: exact, after whitespace collapse.
- published: the Beijing calendar day of the value equals the labelled day (pages whose
  byline shows a date; null labels are pages that show none, or only 昨天 and the like).
- text: at least MIN_TEXT characters, and the labelled opening of the first sentence found
  within the first FIRST_WITHIN characters (whitespace ignored: a byline, a caption or a
  原标题 line may come first).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from crawler.parsers.dates import beijing_date

ROOT = Path(__file__).resolve().parent
LABELS = ROOT / "fixtures" / "generic" / "gne_labels.json"
PAGES = ROOT.parent.parent / "shared" / "realworld" / "html" / "gne"
MIN_TEXT = 100
FIRST_WITHIN = 200


@dataclass(frozen=True)
class Label:
    file: str
    url: str
    title: str
    published: str | None
    first_sentence: str | None

    def html(self) -> bytes:
        return (PAGES / self.file).read_bytes()


def labels() -> list[Label]:
    return [Label(**row) for row in json.loads(LABELS.read_text("utf-8"))["pages"]]


def _bare(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def title_right(label: Label, title: str | None) -> bool:
    return " ".join((title or "").split()) == label.title


def date_right(label: Label, value: str | None) -> bool:
    day = beijing_date(value) if value else None
    return day is not None and day.isoformat() == label.published


def text_right(label: Label, text: str | None) -> bool:
    if label.first_sentence is None:
        return True
    bare = _bare(text)
    found = bare.find(_bare(label.first_sentence))
    return len(bare) >= MIN_TEXT and 0 <= found <= FIRST_WITHIN
