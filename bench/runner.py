"""The harness: discover ``bench/<topic>.py`` modules, run each, print, write results.json.

A benchmark module is any module of this package whose name does not start with ``_`` and
that defines ``run(quick: bool = True) -> dict``, returning ``{figure_name: figure}`` (see
``bench._figures.figure``). One module failing does not stop the others: it is reported as
failed with its error, and the harness exits 1 at the end.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import pkgutil
import platform
import subprocess
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

import bench

RESULTS = Path(__file__).resolve().parent / "results.json"
SKIP = {"runner"}


def discover(names: list[str] | None = None, package: ModuleType = bench) -> list[str]:
    """Benchmark module names of ``package``, sorted; only ``names`` when given."""
    found = sorted(m.name for m in pkgutil.iter_modules(package.__path__)
                   if not m.name.startswith("_") and m.name not in SKIP and not m.ispkg)
    return [n for n in found if names is None or n in names]


def run_module(name: str, quick: bool, package: ModuleType = bench) -> dict[str, Any]:
    """Run one module: {"status": "ok"|"failed"|"skipped", "seconds", "figures"|"error"}."""
    started = time.perf_counter()
    try:
        module = importlib.import_module(f"{package.__name__}.{name}")
        run = getattr(module, "run", None)
        if not callable(run):
            return {"status": "skipped", "seconds": 0.0, "error": "no run() function"}
        figures = run(quick=quick)
        if not isinstance(figures, dict):
            raise TypeError(f"run() returned {type(figures).__name__}, not a dict")
        status: dict[str, Any] = {"status": "ok", "figures": figures}
    except Exception as exc:  # noqa: BLE001 -- one broken benchmark must not stop the rest
        status = {"status": "failed", "error": f"{type(exc).__name__}: {exc}",
                  "traceback": traceback.format_exc(limit=8)}
    status["seconds"] = round(time.perf_counter() - started, 2)
    return status


def machine() -> dict[str, Any]:
    """Where and when the figures were measured."""
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "HEAD"), "dirty": bool(_git("status", "--porcelain")),
        "python": platform.python_version(), "platform": platform.platform(),
        "cpus": os.cpu_count(), "load_average": list(os.getloadavg()),
    }


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=RESULTS.parent, capture_output=True,
                              text=True, timeout=10)
    except OSError:
        return ""
    return done.stdout.strip()


def format_figure(name: str, fig: dict[str, Any]) -> str:
    """One printed line: value, baseline, ratio, target and whether it is met."""
    line = f"  {name}: {fig.get('value')} {fig.get('unit', '')}".rstrip()
    if "baseline" in fig:
        line += f"  (baseline {fig['baseline']}, ratio {fig.get('ratio')}x)"
    if fig.get("target"):
        verdict = {True: "met", False: "NOT MET"}.get(fig.get("met"), "")
        line += f"  target {fig['target']} {verdict}".rstrip()
    return line


def report(results: dict[str, Any]) -> str:
    """The whole printed report."""
    lines = []
    for name, outcome in results["modules"].items():
        lines.append(f"{name} [{outcome['status']}, {outcome['seconds']} s]")
        if outcome["status"] != "ok":
            lines.append(f"  {outcome.get('error')}")
            continue
        for fig_name, fig in outcome["figures"].items():
            lines.append(format_figure(fig_name, fig))
            if fig.get("note"):
                lines.append(f"      {fig['note']}")
    return "\n".join(lines)


def run_all(quick: bool, names: list[str] | None = None, out: Path | None = RESULTS,
            package: ModuleType = bench) -> dict[str, Any]:
    """Run every discovered module, print as each finishes, write ``out`` when given."""
    results: dict[str, Any] = {"machine": machine(), "quick": quick, "modules": {}}
    for name in discover(names, package):
        print(f"running {package.__name__}.{name} ...", flush=True)
        results["modules"][name] = run_module(name, quick, package)
        print(report({"modules": {name: results["modules"][name]}}), flush=True)
    if out is not None:
        out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    return results
