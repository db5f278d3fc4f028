"""One crawl per archive at a time: an exclusive lock on ``<archive>.lock``.

The lock is an ``flock`` on a side file, so the operating system releases it when
the process ends in any way, ``kill -9`` included: a crashed run never leaves a
stale lock behind. The file also says who holds it (pid and start time), for the
one-line message the second run prints.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class ArchiveLocked(Exception):
    """Another process holds the archive's crawl lock; the message names it."""


def lock_path(db_path: str | Path) -> Path:
    """The lock file beside the archive."""
    return Path(f"{db_path}.lock")


@contextmanager
def archive_lock(db_path: str | Path) -> Iterator[Path]:
    """Hold the archive's crawl lock for the block; raise ArchiveLocked at once if taken."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise ArchiveLocked(
                f"another crawl is running on {db_path} ({holder}); not starting") from None
        since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {since}".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
