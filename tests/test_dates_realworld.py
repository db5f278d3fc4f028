"""The date reader on ../shared/realworld/dates.tsv: real date strings no one here wrote.

Each row has the text, the anchor, the zone and what a right reading is; ``expected`` may
list alternatives (``A or B``, ``A / B``), add a note in brackets, say NULL (no value is
right) or ``approx`` (within two days: dateparser counts a month as 30 days).
"""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.parsers.dates import read_date

TABLE = Path(__file__).resolve().parents[1].parent / "shared" / "realworld" / "dates.tsv"
TARGET = 0.95
_APPROX_SECONDS = 2 * 86400


def _alternatives(expected: str) -> list[tuple[str | None, bool]]:
    """(value or None for NULL, approximate) for each alternative the row accepts."""
    found = []
    for part in re.split(r"\s+or\s+|\s+/\s+", expected.strip()):
        approx = "approx" in part
        token = re.sub(r"\(.*?\)|approx", "", part).strip()
        found.append((None if token == "NULL" else token, approx))
    return found


def _instant(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _right(value: str | None, expected: str) -> bool:
    for want, approx in _alternatives(expected):
        if value == want:
            return True
        if approx and value and want:
            got, wanted = _instant(value), _instant(want)
            if got and wanted and abs((got - wanted).total_seconds()) <= _APPROX_SECONDS:
                return True
    return False


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.skipif(not TABLE.exists(), reason="../shared/realworld is not beside the worktree")
def test_realworld_date_strings_are_read_right():
    rows = _rows()
    assert len(rows) >= 40
    wrong = []
    for row in rows:
        reading = read_date(row["text"], row["anchor"], tz=ZoneInfo(row["tz"]))
        if not _right(reading.value, row["expected"]):
            wrong.append(f"{row['text']!r}: got {reading.value}, expected {row['expected']}")
    share = 1 - len(wrong) / len(rows)
    assert share >= TARGET, f"{share:.2f} right; wrong:\n" + "\n".join(wrong)


@pytest.mark.parametrize("expected, value, right", [
    ("2016-06-29", "2016-06-29", True), ("2016-06-29", None, False),
    ("NULL (time of day only)", None, True), ("NULL or 2023-03-06", "2023-03-06", True),
    ("2022-03 / 2022-03-07", "2022-03", True), ("2021 (year) or 2021-03-07", "2021-03", False),
    ("2022-01-29T02:59:00Z approx or NULL", "2022-01-30T02:59:00Z", True),
    ("2022-01-29T02:59:00Z approx or NULL", "2022-02-05T02:59:00Z", False),
])
def test_expected_column_is_read_as_documented(expected, value, right):
    assert _right(value, expected) is right
