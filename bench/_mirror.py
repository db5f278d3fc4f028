"""The offline mirror in a subprocess, for benchmarks that crawl it over loopback."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class Mirror:
    """``python -m crawler.mirror --port 0 --scale N``; ``.url`` is its base URL."""

    def __init__(self, scale: int, seed: int = 1):
        self.args = [sys.executable, "-m", "crawler.mirror", "--port", "0",
                     "--scale", str(scale), "--seed", str(seed)]
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> Mirror:
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

    def get_json(self, path: str) -> Any:
        """A JSON document the mirror serves (``/_mirror/...``)."""
        with urllib.request.urlopen(f"{self.url}{path}", timeout=300) as response:
            return json.load(response)
