"""The report chart's series: items per day, week or month per source, gaps filled with 0."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

MAX_BARS = 120
"""Past this many days the chart groups by ISO week, past this many weeks by month."""


def bucket_series(per_day: list[dict[str, Any]], sources: tuple[str, ...],
                  ) -> tuple[str, list[str], dict[str, list[int]]]:
    """Items (news items + articles) per bucket per source, every bucket of the span
    present (empty ones as 0). The bucket is a day, or an ISO week (its Monday) or a
    month when there would be more than MAX_BARS bars. Returns (unit, labels, series)."""
    if not per_day:
        return "day", [], {s: [] for s in sources}
    first = date.fromisoformat(per_day[0]["day"])
    last = date.fromisoformat(per_day[-1]["day"])
    span = (last - first).days + 1
    unit = "day" if span <= MAX_BARS else "week" if span <= MAX_BARS * 7 else "month"
    labels: list[str] = []
    day = first
    while day <= last:
        label = _bucket(day, unit)
        if not labels or labels[-1] != label:
            labels.append(label)
        day += timedelta(days=1)
    index = {label: i for i, label in enumerate(labels)}
    series = {s: [0] * len(labels) for s in sources}
    for row in per_day:
        if row["source"] in series:
            i = index[_bucket(date.fromisoformat(row["day"]), unit)]
            series[row["source"]][i] += (row["news_items"] or 0) + (row["articles"] or 0)
    return unit, labels, series


def _bucket(day: date, unit: str) -> str:
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    return day.isoformat()[:7]
