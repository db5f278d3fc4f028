"""The writer process alone: replay the items of one crawl into a fresh archive, for its CPU.

A crawl's wall time on this shared machine swings by half from run to run; the writer's
CPU on a fixed list of items does not depend on the crawl. So the writer's optimisations
are measured here (docs/benchmarks.md, "Crawl and writer CPU"):

``python -m bench._writer_replay record MIRROR_URL TAPE``
    one full crawl of the mirror (as bench.crawl runs it); every line the crawl hands its
    writer is also written to TAPE, after one line with the writer's header.
``python -m bench._writer_replay replay TAPE [--root DIR ...] [--repeats N] [--profile OUT]``
    feeds TAPE to ``python -m pipelines.writer`` (run from each ``--root``: this checkout
    by default, or an export of another commit) writing a fresh archive, interleaved
    root A, root B, A, B...; prints each run's CPU seconds and the medians. ``--profile``
    profiles one run of this checkout's writer instead (NEWSARCHIVE_WRITER_PROFILE).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench._figures import median
from bench._mirror import ROOT

RUN_SQL = ("from archive.db import open_db; from archive import store; import sys; "
           "db = open_db(sys.argv[1]); print(store.save_run_start(db, "
           "started_at='2026-12-06T00:00:00Z', spiders='foresight,8btc', target='replay'))")


def record(mirror_url: str, tape: Path) -> dict[str, Any]:
    """One full crawl whose writer input is also kept in ``tape``; the crawl's stats."""
    from bench._crawl_child import crawl_full
    from pipelines.handoff import WriterProcess

    out = tape.open("wb")
    original = WriterProcess.send

    def send(self: WriterProcess, item: Any) -> None:
        if out.tell() == 0:
            out.write(json.dumps(self.header, ensure_ascii=False).encode() + b"\n")
        original(self, item)
        from crawler import itemcodec

        out.write(itemcodec.dumps(item).encode() + b"\n")

    WriterProcess.send = send  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="bench-tape-") as tmp:
        stats = crawl_full(mirror_url, str(Path(tmp) / "archive.db"), {})
    out.close()
    return stats


def replay_once(tape: Path, root: Path, profile: Path | None = None,
                keep: Path | None = None) -> dict[str, Any]:
    """Feed ``tape`` to the writer of the checkout at ``root``: its CPU seconds and stats.
    The archive is thrown away, or written at ``keep``."""
    lines = tape.read_bytes().split(b"\n", 1)
    header = json.loads(lines[0])
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("NEWSARCHIVE_WRITER_PROFILE", None)
    if profile is not None:
        env["NEWSARCHIVE_WRITER_PROFILE"] = str(profile)
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as tmp:
        db = str(keep or Path(tmp) / "archive.db")
        made = subprocess.run([sys.executable, "-c", RUN_SQL, db], cwd=root, env=env,
                              capture_output=True, text=True, check=True)
        header.update(db=db, run_id=int(made.stdout.strip()))
        header["overrides"] = {**(header.get("overrides") or {}), "LOG_LEVEL": "WARNING"}
        feed = json.dumps(header, ensure_ascii=False).encode() + b"\n" + lines[1]
        done = subprocess.run([sys.executable, "-m", "pipelines.writer"], cwd=root, env=env,
                              input=feed, capture_output=True, check=True)
    reply = json.loads(done.stdout.strip().splitlines()[-1])
    return {"cpu_seconds": reply["cpu_ms"] / 1000, "items": lines[1].count(b"\n"),
            "stored": reply["stats"].get("writer/items_stored", 0),
            "errors": reply["stats"].get("writer/item_errors", 0)}


def replay(tape: Path, roots: list[Path], repeats: int) -> dict[str, list[float]]:
    """CPU seconds of each root's writer on ``tape``, runs interleaved across roots."""
    runs: dict[str, list[float]] = {str(r): [] for r in roots}
    for _ in range(repeats):
        for root in roots:
            result = replay_once(tape, root)
            if result["errors"]:
                raise RuntimeError(f"{root}: {result['errors']} items not stored")
            runs[str(root)].append(result["cpu_seconds"])
            print(f"{root}: {result['cpu_seconds']:.2f} s CPU, {result['stored']} items",
                  flush=True)
    return runs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench._writer_replay")
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record")
    rec.add_argument("mirror_url")
    rec.add_argument("tape", type=Path)
    rep = sub.add_parser("replay")
    rep.add_argument("tape", type=Path)
    rep.add_argument("--root", type=Path, action="append")
    rep.add_argument("--repeats", type=int, default=3)
    rep.add_argument("--profile", type=Path)
    rep.add_argument("--keep", type=Path, help="write the archive of one run here")
    args = parser.parse_args(argv)
    if args.command == "record":
        stats = record(args.mirror_url, args.tape)
        print(f"{stats.get('downloader/response_count')} responses recorded in {args.tape}")
        return 0
    if args.profile is not None or args.keep is not None:
        root = (args.root or [ROOT])[0]
        print(json.dumps(replay_once(args.tape, root, args.profile, args.keep)))
        return 0
    runs = replay(args.tape, args.root or [ROOT], args.repeats)
    for root, values in runs.items():
        print(f"{root}: median {median(values):.2f} s CPU of {[round(v, 2) for v in values]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
