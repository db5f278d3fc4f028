"""A local crawl's writer process: stores the items the crawl hands it, off the crawl's reactor.

``python -m pipelines.writer`` is started by ``newsarchive.run`` (ARCHIVE_WRITER = "process",
the default of ``newsarchive crawl``) and by nothing else. The crawl process fetches,
writes WARC records and parses; this process runs the project's item pipelines
(normalise, dedupe, health, store, validators: pipelines.itempath, the path
``newsarchive ingest`` uses) over the items it receives, on the machine's other core.

The protocol is lines of JSON on stdin: first a header (``db``, ``mirror``,
``overrides``, ``run_id``), then one item per line (crawler.itemcodec); end of input
means the crawl is done. Replies are lines of JSON on stdout: ``{"stop": REASON,
"error": TEXT}`` when the archive cannot be written (the crawl then stops, as the store
pipeline stops a crawl that stores inline) and, last, ``{"stats": {...}}``. Logs go to
stderr, the crawl's own.

Pages are written exactly as inline: each page in its own savepoint, in batches of
ARCHIVE_BATCH_PAGES pages committed at least every ARCHIVE_BATCH_SECONDS (here by the
read loop, there is no reactor timer). SIGINT and SIGTERM are ignored: the crawl stops
on them and then closes the input, and every item it handed over is stored. If the crawl
process dies (kill -9), the writer commits the whole pages it stored and exits without
the items still queued: like an inline crawl's open batch, the next run fetches them.

With NEWSARCHIVE_WRITER_PROFILE=PATH in its environment the writer runs under cProfile,
timed in CPU seconds (waiting for the disk or for items is not cost), and writes the
profile of everything after reading its header (opening the pipelines, every item,
closing) to PATH (docs/benchmarks.md, "Crawl and writer CPU").
"""

from __future__ import annotations

import cProfile
import json
import logging
import os
import queue
import resource
import signal
import sys
import threading
import time
from typing import IO, Any

from crawler import itemcodec
from crawler.runtime import build_settings
from pipelines.batch import WriteBatch
from pipelines.itempath import Stats, build_pipelines, process

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.1
"""How often an idle writer checks its batch's age and that the crawl is alive."""
QUEUED_LINES = 64
"""Lines read ahead of the pipelines (the crawl keeps its own bounded queue)."""
EOF = b""
PROFILE_ENV = "NEWSARCHIVE_WRITER_PROFILE"
"""Names the file a profiled writer writes its cProfile stats to."""


class Replies:
    """The reply channel to the crawl: one JSON line per message, flushed at once."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream
        self.lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        line = json.dumps(message, ensure_ascii=False, default=str).encode() + b"\n"
        with self.lock:
            try:
                self.stream.write(line)
                self.stream.flush()
            except (BrokenPipeError, ValueError):  # the crawl is gone: nobody to tell
                pass


def read_lines(stream: IO[bytes], lines: queue.Queue[bytes]) -> None:
    """Reader thread: every line of ``stream``, then EOF."""
    for line in stream:
        lines.put(line)
    lines.put(EOF)


def drain(lines: queue.Queue[bytes], pipelines: list[Any], stats: Stats,
          batch: WriteBatch | None, parent: int) -> str:
    """Store every item until the end of input; returns why it stopped."""
    while True:
        if os.getppid() != parent:
            return "crawl_died"
        try:
            line = lines.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if batch is not None:
                batch.commit_if_due()
            continue
        if line == EOF:
            return "finished"
        store_line(line, pipelines, stats)


def store_line(line: bytes, pipelines: list[Any], stats: Stats) -> None:
    """One item through the pipelines. An unexpected error is logged and counted, as
    Scrapy does for an inline pipeline, and the crawl's exit code hears of it."""
    try:
        process(pipelines, itemcodec.loads(line), stats, "writer/items_stored")
    except Exception:  # noqa: BLE001 (a bug in one item must not lose the others)
        logger.exception("the writer could not store an item: %.200s", line)
        stats.inc_value("writer/item_errors")
        stats.inc_value("log_count/ERROR")


def open_pipelines(header: dict[str, Any], stats: Stats, replies: Replies) -> list[Any]:
    """The project's pipelines for the crawl's archive and run, told how to stop it."""
    settings = build_settings(header["db"], header.get("mirror"), header.get("overrides") or {})
    settings.set("ARCHIVE_RUN_ID", header["run_id"], priority="cmdline")
    from scrapy.utils.log import configure_logging

    configure_logging(settings)
    pipelines = build_pipelines(settings, stats, name="writer")
    for pipeline in pipelines:
        if hasattr(pipeline, "stop_crawl"):  # the store pipeline, when it cannot write
            pipeline.stop_crawl = lambda reason: replies.send(
                {"stop": reason, "error": stats.get_value("archive/storage_error")})
        getattr(pipeline, "open_spider", lambda: None)()
    return pipelines


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    parent = os.getppid()
    replies = Replies(os.fdopen(os.dup(sys.stdout.fileno()), "wb"))
    sys.stdout = sys.stderr  # nothing but replies on the reply channel
    source = sys.stdin.buffer
    header = json.loads(source.readline())
    profile_path = os.environ.get(PROFILE_ENV)
    profiler = cProfile.Profile(time.process_time) if profile_path else None
    if profiler is not None:
        profiler.enable()
    stats = Stats()
    pipelines = open_pipelines(header, stats, replies)
    lines: queue.Queue[bytes] = queue.Queue(maxsize=QUEUED_LINES)
    threading.Thread(target=read_lines, args=(source, lines), daemon=True).start()
    batch = next((p.batch for p in pipelines if getattr(p, "batch", None)), None)
    ended = drain(lines, pipelines, stats, batch, parent)
    for pipeline in pipelines:
        getattr(pipeline, "close_spider", lambda: None)()
    WriteBatch.release_all()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_path)
    if ended != "finished":
        logger.warning("the crawl process is gone: the writer stored what it had and stops")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    replies.send({"stats": stats.values, "peak_rss_kib": usage.ru_maxrss,
                  "cpu_ms": round((usage.ru_utime + usage.ru_stime) * 1000)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
