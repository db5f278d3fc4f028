"""Our date reader against dateparser on the same case table (tests/date_cases.py).

Accuracy: a case is right when the value and precision equal the table's (no value where
the table expects none counts too). dateparser gets the same anchor (RELATIVE_BASE), zone
(TIMEZONE, RETURN_AS_TIMEZONE_AWARE) and prefers past dates, as a careful user would set
it; its answer is converted to our value format with the precision the table expects, so
only the moment it finds is judged. Speed: strings per second over the whole table,
measured in the same run, median of several repeats.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from crawler.parsers.dates import make_context, read_date
from tests.date_cases import CASES, Case


def _ours(case: Case) -> tuple[str | None, str | None]:
    reading = read_date(case.text, case.anchor, tz=ZoneInfo(case.zone))
    return reading.value, reading.precision


def _dateparser_reader() -> Any:
    import dateparser

    def read(case: Case) -> tuple[str | None, str | None]:
        ctx = make_context(case.anchor, ZoneInfo(case.zone))
        base = ctx.instant or (datetime(ctx.day.year, ctx.day.month, ctx.day.day, 12,
                                        tzinfo=ZoneInfo(case.zone)) if ctx.day else None)
        settings = {"TIMEZONE": case.zone, "RETURN_AS_TIMEZONE_AWARE": True,
                    "PREFER_DATES_FROM": "past"}
        if base is not None:
            settings["RELATIVE_BASE"] = base.astimezone(ZoneInfo(case.zone)).replace(tzinfo=None)
        try:
            found = dateparser.parse(str(case.text), languages=["zh", "en"], settings=settings)
        except Exception:  # noqa: BLE001 - a baseline that raises simply reads nothing
            found = None
        return _as_value(found, case), case.precision if found else None

    return read


def _as_value(found: datetime | None, case: Case) -> str | None:
    if found is None:
        return None
    if case.precision == "month":
        return found.strftime("%Y-%m")
    if case.precision == "day":
        return found.astimezone(ZoneInfo(case.zone)).date().isoformat()
    return found.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _accuracy(read: Any) -> tuple[float, list[Case]]:
    wrong = [c for c in CASES if read(c) != (c.value, c.precision)]
    return 1 - len(wrong) / len(CASES), wrong


def _rate(read: Any, repeats: int) -> float:
    """Strings per second over the table: median of ``repeats`` timed passes."""
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for case in CASES:
            read(case)
        rates.append(len(CASES) / (time.perf_counter() - start))
    return statistics.median(rates)


def run(quick: bool = True) -> dict[str, dict[str, Any]]:
    """Accuracy and speed of read_date and of dateparser, side by side."""
    repeats = 3 if quick else 7
    baseline = _dateparser_reader()
    ours_acc, _ = _accuracy(_ours)
    base_acc, base_wrong = _accuracy(baseline)
    base_acc = max(base_acc, 1e-9)
    ours_rate, base_rate = _rate(_ours, repeats), _rate(baseline, repeats)
    return {
        "dates_accuracy": {
            "value": round(ours_acc, 4), "unit": "fraction of cases right",
            "baseline": round(base_acc, 4), "ratio": round(ours_acc / base_acc, 2),
            "target": "more correct than dateparser", "met": ours_acc > base_acc,
            "note": f"{len(CASES)} cases of tests/date_cases.py; dateparser wrong on "
                    f"{len(base_wrong)}"},
        "dates_speed": {
            "value": round(ours_rate), "unit": "strings/s", "baseline": round(base_rate),
            "ratio": round(ours_rate / base_rate, 1), "target": ">= 20x dateparser",
            "met": ours_rate >= 20 * base_rate,
            "note": f"median of {repeats} passes over the table, same process"},
    }


if __name__ == "__main__":
    for name, figure in run(quick=False).items():
        print(f"{name}: {figure}")
