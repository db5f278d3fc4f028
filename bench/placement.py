"""Story placement cost as the archive grows, on the mirror's templated text.

Three archives hold 10,000, 100,000 and 1,000,000 members (``bench._placefill``: the
state placement leaves, learned boilerplate included) filled from ``bench._templated``
(the mirror's templates, columns, footers and price flashes: not random text, whose keys
would never collide). Then fresh templated texts are placed, one transaction each, rolled
back, and the CPU time of ``archive.stories.place`` is taken (``time.process_time``);
rounds alternate between the three archives (interleaved), and the figure is the median.

Targets (issue 15): at most 2 ms of CPU per placement (median), and at most 1.3x from
10,000 to 1,000,000 stored members.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from archive import stories
from archive.db import open_db
from bench._figures import figure, median
from bench._placefill import fill, signed
from bench._templated import templated

SIZES = (10_000, 100_000, 1_000_000)
ROUNDS, PER_ROUND = 3, 60
TARGET_MS, GROWTH = 2.0, 1.3


def place_cpu_ms(db, members: list[dict]) -> list[float]:
    """CPU milliseconds of each placement, each rolled back."""
    out = []
    for member in members:
        db.conn.execute("BEGIN IMMEDIATE")
        started = time.process_time()
        stories.place(db, member)
        out.append((time.process_time() - started) * 1000)
        db.conn.execute("ROLLBACK")
    return out


def build(folder: Path, sizes: tuple[int, ...]) -> tuple[dict[int, Path], dict[int, dict]]:
    """One archive per size, filled from the first texts of one templated stream."""
    members = signed(templated(max(sizes), seed=1))
    paths, filled = {}, {}
    for size in sizes:
        paths[size] = folder / f"{size}.db"
        db = open_db(paths[size])
        filled[size] = fill(db, members[:size])
        db.close()
    return paths, filled


def measure(sizes: tuple[int, ...] = SIZES) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        paths, filled = build(Path(tmp), sizes)
        build_s = time.perf_counter() - started
        probes = signed(templated(ROUNDS * PER_ROUND, seed=7), start=10**8)
        times: dict[int, list[float]] = {size: [] for size in sizes}
        dbs = {size: open_db(paths[size]) for size in sizes}
        for r in range(ROUNDS):
            batch = probes[r * PER_ROUND:(r + 1) * PER_ROUND]
            for size in sizes:
                times[size] += place_cpu_ms(dbs[size], batch)
        sizes_on_disk = {size: paths[size].stat().st_size for size in sizes}
        for db in dbs.values():
            db.close()
    return {"times": times, "filled": filled, "build_s": build_s, "bytes": sizes_on_disk}


def run(quick: bool = True) -> dict:
    m = measure()
    small, large = SIZES[0], SIZES[-1]
    med = {size: median(m["times"][size]) for size in SIZES}
    out = {}
    for size in SIZES:
        out[f"placement_cpu_ms_{size // 1000}k"] = figure(
            med[size], "ms", target=f"<= {TARGET_MS}", met=med[size] <= TARGET_MS,
            note=f"median of {len(m['times'][size])} placements ({ROUNDS} interleaved rounds "
                 f"of {PER_ROUND}) into {size:,} stored templated members; "
                 f"index: {m['filled'][size]}; archive {m['bytes'][size] / 1e6:.0f} MB")
    out["placement_growth"] = figure(
        med[large], "ms", baseline=med[small], target=f"<= {GROWTH}x from {small:,} to {large:,}",
        met=med[large] <= GROWTH * med[small],
        note=f"building the three archives took {m['build_s']:.0f} s")
    return out


if __name__ == "__main__":
    print(json.dumps(run(quick="--full" not in sys.argv), ensure_ascii=False, indent=2))
