"""What every bench module shares: a figure's shape, medians, timing, interleaved repeats."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def figure(value: float, unit: str, *, baseline: float | None = None, target: str = "",
           met: bool | None = None, note: str = "", **extra: Any) -> dict[str, Any]:
    """One figure as the harness prints it: value, baseline, their ratio, the target."""
    out: dict[str, Any] = {"value": round(value, 4), "unit": unit}
    if baseline is not None:
        out["baseline"] = round(baseline, 4)
        out["ratio"] = round(value / baseline, 4) if baseline else None
    if target:
        out["target"] = target
    if met is not None:
        out["met"] = bool(met)
    if note:
        out["note"] = note
    out.update(extra)
    return out


def median(values: Sequence[float]) -> float:
    """The median (the mean of the middle two for an even count)."""
    return float(statistics.median(values))


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call of ``func`` took, and what it returned."""
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def interleaved(subjects: dict[str, Callable[[], float]], repeats: int) -> dict[str, list[float]]:
    """Call each subject ``repeats`` times, alternating A B A B..., so that load from other
    users of the machine falls on all of them alike. Returns every measurement per subject."""
    results: dict[str, list[float]] = {name: [] for name in subjects}
    for _ in range(repeats):
        for name, measure in subjects.items():
            results[name].append(measure())
    return results
