"""Export benchmark: peak memory stays flat as the archive grows; rows per second per format.

Builds archives of N and 4N news items (quick: 25,000 / 100,000; full: 250,000 /
1,000,000) with plain inserts, then runs `newsarchive export` for each format in a fresh
subprocess and reads its peak RSS (ru_maxrss). Flat means the larger archive's peak is
within 20 MB of the smaller one's. Run: python -m bench.export [--full]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive.db import open_db
from archive.tx import write_transaction
from bench.search import make_texts

FORMATS = ("jsonl", "csv", "parquet")


def build_archive(path: Path, n: int) -> None:
    db = open_db(path)
    texts = make_texts(min(n, 20_000))
    with write_transaction(db):
        db.execute("INSERT INTO digests (id, canonical_url, url, site, title, published_at) "
                   "VALUES (1, 'https://foresightnews.pro/article/detail/1', 'u', 'foresight',"
                   " '元宇宙每日必读', '2023-03-07T16:02:00Z')")
        db.conn.executemany(
            "INSERT INTO digest_items (digest_id, position, headline, text, attribution) "
            "VALUES (1, ?, ?, ?, '新浪科技')",
            ((i, texts[i % len(texts)][:20], texts[i % len(texts)]) for i in range(1, n + 1)))
    db.close()


def measure(db: Path, fmt: str, out: Path) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one export in a fresh process."""
    code = ("import resource, sys; from newsarchive.cli import main; rc = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, "export", "--db", str(db), "--format",
                           fmt, "--out", str(out)], capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    return int(done.stdout.strip().splitlines()[-1]) / 1024, seconds


def run(quick: bool = True) -> dict:
    small, large = (25_000, 100_000) if quick else (250_000, 1_000_000)
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for n in (small, large):
            paths[n] = Path(tmp) / f"a{n}.db"
            build_archive(paths[n], n)
        for fmt in FORMATS:
            peaks = {}
            for n in (small, large):
                peaks[n], seconds = measure(paths[n], fmt, Path(tmp) / f"o{n}.{fmt}")
            out[f"{fmt}_peak_memory"] = {
                "value": round(peaks[large], 1), "unit": "MB", "baseline": round(peaks[small], 1),
                "ratio": round(peaks[large] / peaks[small], 2),
                "target": "< 200 MB, flat (larger archive within 20 MB of the smaller)",
                "met": peaks[large] < 200 and peaks[large] - peaks[small] < 20,
                "note": f"{large} rows vs {small} rows (baseline); whole process RSS"}
            out[f"{fmt}_rows_per_s"] = {"value": round(large / seconds), "unit": "rows/s",
                                        "target": "stated", "met": True,
                                        "note": "whole command incl. interpreter start"}
    return out


if __name__ == "__main__":
    for name, fig in run(quick="--full" not in sys.argv).items():
        print(f"{name:24} {fig['value']:>10} {fig['unit']:<7} "
              f"{'ratio ' + str(fig['ratio']) if 'ratio' in fig else ''} "
              f"{'met' if fig['met'] else 'NOT met'}  {fig['target']}")
