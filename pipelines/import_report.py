"""What an import did, and its problems grouped into one line a person can read.

Every refused record and unreadable file is logged in full; the error line counts
them per reason with the first place each happened ("29 records with an unreadable
WARC-Date, first at offset 317 of a.warc"), and stays under 300 characters.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from pipelines.import_decode import REASONS

logger = logging.getLogger(__name__)
MAX_LINE = 290


@dataclass
class Problems:
    """Refused records and unreadable files, counted per reason, first place kept."""

    counts: Counter[str] = field(default_factory=Counter)
    first: dict[str, str] = field(default_factory=dict)

    def add(self, reason: str, where: str, offset: int | None, detail: str) -> None:
        place = f"offset {offset} of {where}" if offset is not None else where
        self.counts[reason] += 1
        self.first.setdefault(reason, place)
        logger.info("import: refused (%s) at %s: %s", reason, place, detail[:300])

    def __bool__(self) -> bool:
        return bool(self.counts)

    def line(self) -> str:
        """One line under 300 characters: counts per reason, first place of each."""
        parts = []
        for reason, count in self.counts.most_common():
            if reason == "unreadable_file":
                parts.append(f"{count} file{'s' * (count > 1)} unreadable past some point, "
                             f"first {self.first[reason]}")
            else:
                what = REASONS.get(reason, reason)
                parts.append(f"{count} record{'s' * (count > 1)} with {what}, "
                             f"first at {self.first[reason]}")
        text = "; ".join(parts)
        if len(text) > MAX_LINE:
            text = text[:MAX_LINE - 25].rstrip() + "... (details in the log)"
        return text


@dataclass
class ImportReport:
    """What an import did."""

    run_id: int = 0
    files: int = 0
    records: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    problems: Problems = field(default_factory=Problems)

    def refuse(self, reason: str, where: str, offset: int | None, detail: str) -> None:
        if reason != "unreadable_file":
            self.refused[reason] += 1
        self.problems.add(reason, where, offset, detail)
