"""The mirror in a child process (``python -m mirror --port 0``), for tests and benchmarks.

Crawls run in their own processes (Twisted's reactor runs once per process), and so
does the mirror they crawl: ``.url`` is its base URL, read from its first line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class MirrorProcess:
    """``python -m mirror --port 0 --scale N --seed N``; ``.url`` is its base URL."""

    def __init__(self, scale: int, seed: int = 1):
        self.args = [sys.executable, "-m", "mirror", "--port", "0",
                     "--scale", str(scale), "--seed", str(seed)]
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> MirrorProcess:
        self.proc = subprocess.Popen(self.args, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip() if self.proc.stdout else ""
        if not line.startswith("http://127.0.0.1:"):
            self.proc.kill()
            raise RuntimeError(f"mirror did not start: {line!r}")
        self.url = line
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def get_json(self, path: str, timeout: float = 300) -> Any:
        """A JSON document the mirror serves (``/_mirror/...``)."""
        with urllib.request.urlopen(f"{self.url}{path}", timeout=timeout) as response:
            return json.load(response)
