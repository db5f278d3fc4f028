"""The crawl's side of the writer process (pipelines.writer): hand items over, hear back.

With ARCHIVE_WRITER = "process" (``newsarchive crawl``'s default) ``newsarchive.run`` starts
one ``WriterProcess`` per run and gives the crawlers one item pipeline,
``HandoffPipeline``, instead of the project's: each item is encoded (crawler.itemcodec)
on the reactor thread and queued; a sender thread writes the lines into the writer's
stdin, a reader thread reads its replies. The queue is bounded: when the writer falls
behind, the crawl waits for it instead of holding pages in memory.

When the writer cannot write the archive (or dies), every crawler of the run is stopped
with reason ``storage_error`` and ``archive/storage_error`` says why, exactly as when
the store pipeline fails inline. ``finish()`` closes the writer's input, waits until it
has stored everything it was handed and returns its stats for the run's row.
"""

from __future__ import annotations

import json
import logging
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from crawler import itemcodec

logger = logging.getLogger(__name__)
QUEUED_ITEMS = 256
"""Items the crawl may run ahead of the writer (encoded, a few KiB each)."""
_END = None

Listener = Callable[[str, str], None]
"""``listener(reason, message)``, called on the reactor thread when the writer fails."""


class WriterProcess:
    """One writer child for one run: ``send`` items, ``finish`` to drain and get its stats."""

    _running: ClassVar[dict[str, WriterProcess]] = {}

    def __init__(self, header: dict[str, Any], max_queued: int = QUEUED_ITEMS):
        self.header = header
        self.lines: queue.Queue[bytes | None] = queue.Queue(maxsize=max_queued)
        self.listeners: list[Listener] = []
        self.result: dict[str, Any] | None = None
        self.error: str | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self.threads: list[threading.Thread] = []

    @classmethod
    def start(cls, db_path: str, mirror: str | None, overrides: dict[str, Any],
              run_id: int, command: list[str] | None = None) -> WriterProcess:
        """Start the writer of run ``run_id``; the run's crawlers find it by that id."""
        writer = cls({"db": db_path, "mirror": mirror, "overrides": overrides,
                      "run_id": run_id})
        writer.proc = subprocess.Popen(command or [sys.executable, "-m", "pipelines.writer"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert writer.proc.stdin is not None and writer.proc.stdout is not None
        header = json.dumps(writer.header, ensure_ascii=False, default=str)
        writer.proc.stdin.write(header.encode() + b"\n")
        writer.threads = [
            threading.Thread(target=writer._send_lines, args=(writer.proc.stdin,), daemon=True),
            threading.Thread(target=writer._read_replies, args=(writer.proc.stdout,),
                             daemon=True)]
        for thread in writer.threads:
            thread.start()
        cls._running[str(run_id)] = writer
        return writer

    @classmethod
    def of_run(cls, run_id: Any) -> WriterProcess | None:
        return cls._running.get(str(run_id)) if run_id is not None else None

    def send(self, item: Any) -> None:
        """Queue one item for the writer (waits while the queue is full)."""
        self.lines.put(itemcodec.dumps(item).encode() + b"\n")

    def listen(self, listener: Listener) -> None:
        """Be told (on the reactor thread) when the writer cannot store items."""
        self.listeners.append(listener)

    def finish(self) -> dict[str, Any]:
        """Close the writer's input, wait until it stored all it was handed; its stats
        (``archive/storage_error`` set when it failed or died)."""
        if self.proc is None:
            return {}
        self.lines.put(_END)
        for thread in self.threads:
            thread.join()
        code = self.proc.wait()
        type(self)._running.pop(str(self.header["run_id"]), None)
        stats = dict((self.result or {}).get("stats") or {})
        if self.result is None:
            self.error = self.error or f"the writer process ended with exit code {code}"
        if self.error:
            stats.setdefault("archive/storage_error", self.error)
        for key in ("peak_rss_kib", "cpu_ms"):  # for benchmarks: the writer's own figures
            stats[f"writer/{key}"] = int((self.result or {}).get(key) or 0)
        self.proc = None
        return stats

    def _send_lines(self, stream: IO[bytes]) -> None:
        """Sender thread: queued lines into the writer's stdin, flushed when the queue
        runs dry; then closes it. A writer that died is reported by the reader thread."""
        try:
            while (line := self.lines.get()) is not _END:
                stream.write(line)
                if self.lines.empty():
                    stream.flush()
            stream.close()
        except (BrokenPipeError, OSError):
            while self.lines.get() is not _END:  # keep the crawl from waiting on a full queue
                pass

    def _read_replies(self, stream: IO[bytes]) -> None:
        """Reader thread: the writer's replies; its end without stats means it died."""
        for line in stream:
            message = json.loads(line)
            if "stats" in message:
                self.result = message
            elif "stop" in message:
                self._failed(message["stop"], message.get("error") or "the writer failed")
        if self.result is None:
            code = self.proc.wait() if self.proc is not None else None
            self._failed("storage_error", f"the writer process ended with exit code {code}")

    def _failed(self, reason: str, message: str) -> None:
        if self.error is None:
            self.error = message
        if not self.listeners:  # no crawl listening (tests): finish() reports the error
            return
        from twisted.internet import reactor

        for listener in self.listeners:
            reactor.callFromThread(listener, reason, message)  # type: ignore[attr-defined]


class HandoffPipeline:
    """The crawl's only item pipeline in writer-process mode: items go to the run's writer."""

    def __init__(self, writer: WriterProcess, crawler: Crawler):
        self.writer = writer
        self.crawler = crawler
        writer.listen(self._writer_failed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HandoffPipeline:
        writer = WriterProcess.of_run(crawler.settings.get("ARCHIVE_RUN_ID"))
        if writer is None:
            raise NotConfigured("no writer process for this run (newsarchive.run starts it)")
        return cls(writer, crawler)

    def process_item(self, item: Any) -> Any:
        self.writer.send(item)
        return item

    def _writer_failed(self, reason: str, message: str) -> None:
        """The first failure stops this crawler, as StorePipeline does inline."""
        stats = self.crawler.stats
        if stats is None or stats.get_value("archive/storage_error"):
            return
        logger.error("the writer cannot store the crawl's items (%s); stopping the crawl",
                     message)
        stats.set_value("archive/storage_error", str(message).splitlines()[0][:200])
        if self.crawler.engine is not None and self.crawler.engine.running:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))
