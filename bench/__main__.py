"""``python -m bench [--full] [--only NAME ...] [--out PATH]``: run the benchmarks.

Quick mode (the default, ``make bench``) fits in a few minutes; ``--full`` or ``BENCH_FULL=1``
(``make bench-full``) runs the large sizes (the 50,000-page memory crawl).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench._offline import guard
from bench.runner import RESULTS, report, run_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--full", action="store_true",
                        default=os.environ.get("BENCH_FULL", "") not in ("", "0"),
                        help="full sizes (also BENCH_FULL=1)")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these modules")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write results")
    args = parser.parse_args(argv)
    guard()  # benchmarks are offline: a tool reaching for the network fails fast
    results = run_all(quick=not args.full, names=args.only, out=args.out)
    print(f"\n== summary ({'full' if args.full else 'quick'}) ==")
    print(report(results))
    print(f"results written to {args.out}")
    failed = [n for n, r in results["modules"].items() if r["status"] == "failed"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
