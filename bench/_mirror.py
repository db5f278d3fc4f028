"""The offline mirror in a subprocess, for benchmarks that crawl it over loopback.

The same class the tests use (mirror.process); ``Mirror`` is its name here.
"""

from __future__ import annotations

from mirror.process import ROOT, MirrorProcess

Mirror = MirrorProcess
__all__ = ["ROOT", "Mirror"]
