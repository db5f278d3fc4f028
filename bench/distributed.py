"""Distributed crawl: pages/s with 1 and 2 scrapy-redis workers against the local crawl.

The same mirror is crawled into a fresh archive three ways, alternating: a local
`newsarchive crawl` (the baseline), and `newsarchive ingest` plus 1 or 2
`newsarchive crawl --redis` workers. Each is timed from the launch of its processes to
the moment the archive holds every capture the local crawl stored (the archive is
polled), so process start-up counts alike and the workers' idle wait before they end
does not. On this 2-core machine the writer, the workers, Redis and the mirror share
the two cores: the figure says what the Redis hop and the single writer cost, not what
more machines would give.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._figures import figure, interleaved, median
from bench._mirror import ROOT, Mirror

SCALE = 200
CLI = [sys.executable, "-m", "newsarchive.cli"]
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def _captures(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM captures").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _launch(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*CLI, *args], cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _wait_for(path: Path, count: int, procs: list[subprocess.Popen[bytes]],
              started: float) -> float:
    while _captures(path) < count:
        if all(p.poll() is not None for p in procs):
            raise RuntimeError(f"the crawl ended with {_captures(path)} of {count} captures")
        time.sleep(0.05)
    return time.perf_counter() - started


def local_crawl(url: str, folder: Path) -> tuple[float, int]:
    """Seconds of a local crawl and the captures it stored."""
    path = folder / f"local-{time.monotonic_ns()}.db"
    started = time.perf_counter()
    done = subprocess.run([*CLI, "crawl", "--mirror", url, "--db", str(path)], cwd=ROOT,
                          env=ENV, capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode()[-500:])
    return time.perf_counter() - started, _captures(path)


def distributed_crawl(url: str, redis_url: str, folder: Path, workers: int,
                      expected: int) -> float:
    """Seconds until the writer stored ``expected`` captures, with ``workers`` workers."""
    path = folder / f"dist{workers}-{time.monotonic_ns()}.db"
    started = time.perf_counter()
    procs = [_launch(["ingest", "--redis", redis_url, "--db", str(path),
                      "--idle-seconds", "30"])]
    procs += [_launch(["crawl", "--redis", redis_url, "--mirror", url, "--idle-seconds", "2"])
              for _ in range(workers)]
    try:
        return _wait_for(path, expected, procs, started)
    finally:
        for proc in procs:
            proc.wait(timeout=120)


def run(quick: bool = True) -> dict[str, Any]:
    from tests.redis_support import RedisServer

    repeats = 1 if quick else 3
    with tempfile.TemporaryDirectory() as tmp, Mirror(SCALE) as mirror, \
            RedisServer(Path(tmp)) as redis_server:
        folder = Path(tmp)
        _, expected = local_crawl(mirror.url, folder)  # warm-up, and the page count
        rates = interleaved({
            "local": lambda: expected / local_crawl(mirror.url, folder)[0],
            "w1": lambda: expected / distributed_crawl(mirror.url, redis_server.url, folder,
                                                       1, expected),
            "w2": lambda: expected / distributed_crawl(mirror.url, redis_server.url, folder,
                                                       2, expected),
        }, repeats)
    local, one, two = (median(rates[k]) for k in ("local", "w1", "w2"))
    note = (f"mirror scale {SCALE}, {expected} captures per crawl; medians of {repeats} "
            f"interleaved runs; 2 cores shared by writer, workers, Redis and mirror")
    return {
        "distributed_1_worker_pages_per_s": figure(one, "pages/s", baseline=local, note=note),
        "distributed_2_workers_pages_per_s": figure(two, "pages/s", baseline=local, note=note),
        "distributed_local_pages_per_s": figure(local, "pages/s",
                                                note="local crawl, same run"),
    }
