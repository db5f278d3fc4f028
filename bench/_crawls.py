"""Run one timed crawl of a mirror in a child process (bench._crawl_child) and read its line."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench._mirror import ROOT


def crawl_once(kind: str, mirror_url: str, db_path: Path | None = None,
               overrides: dict[str, str] | None = None, timeout: float = 3600) -> dict[str, Any]:
    """``kind`` is 'full' or 'bare'; a fresh archive unless ``db_path`` is given."""
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        db = db_path or Path(tmp) / "archive.db"
        pairs = [f"{k}={v}" for k, v in (overrides or {}).items()]
        done = subprocess.run(
            [sys.executable, "-m", "bench._crawl_child", kind, mirror_url, str(db), *pairs],
            cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-3:]
        raise RuntimeError(f"{kind} crawl failed (exit {done.returncode}): {' | '.join(tail)}")
    result = json.loads(lines[-1])
    if not result["responses"]:
        tail = done.stderr.strip().splitlines()[-3:]
        raise RuntimeError(f"{kind} crawl received no response: {' | '.join(tail)}")
    if result["errors"]:
        raise RuntimeError(f"{kind} crawl logged {result['errors']} errors")
    return result


def pages_per_second(result: dict[str, Any]) -> float:
    """Responses received per wall second of the crawl."""
    return result["responses"] / result["seconds"]
