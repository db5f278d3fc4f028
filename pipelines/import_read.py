"""Reading other tools' archive files as a stream of records, never the whole file at once.

A file's kind is told from its first 16 bytes (and, for gzip, the first bytes they
inflate to): WARC 0.17-1.1 or ARC, plain or gzip (per record or as one whole file),
or a zip (WACZ, read by ``pipelines.import_wacz``). Records come from warcio's
``ArchiveIterator`` over a gzip-inflating stream, so a file gzipped as one whole
member reads like one gzipped per record; ARC records arrive converted to WARC.
A file warcio cannot read past some point ends there with ``UnreadableFile``,
the records before it kept.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

logger = logging.getLogger(__name__)
SNIFF_BYTES = 16


class UnreadableFile(Exception):
    """A file (or the rest of one) warcio cannot read, with where and why."""


@dataclass(frozen=True, slots=True)
class Kind:
    """What a file holds: ``warc``, ``arc``, ``zip`` or ``other``; gzipped or not."""

    name: str
    gzipped: bool = False

    @property
    def is_archive(self) -> bool:
        return self.name in ("warc", "arc", "zip")


def sniff(path: Path) -> Kind:
    """The kind of a file from its first bytes (inflated when gzip)."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return Kind("zip")
    if head[:2] == b"\x1f\x8b":
        return Kind(_kind_of(_inflated_head(path)), gzipped=True)
    return Kind(_kind_of(head))


def sniff_stream(head: bytes) -> Kind:
    """``sniff`` of bytes already in hand (a member of a WACZ package)."""
    if head[:2] == b"\x1f\x8b":
        try:
            inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, SNIFF_BYTES)
        except zlib.error:
            return Kind("other", gzipped=True)
        return Kind(_kind_of(inflated), gzipped=True)
    return Kind(_kind_of(head))


def _kind_of(head: bytes) -> str:
    text = head.lstrip(b"\r\n")
    if text.startswith(b"WARC/"):
        return "warc"
    if text.startswith(b"filedesc:"):
        return "arc"
    return "other"


def _inflated_head(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as unzipped:
            return unzipped.read(SNIFF_BYTES)
    except (OSError, EOFError, zlib.error):
        return b""


def iter_records(stream: IO[bytes], gzipped: bool, where: str) -> Iterator[tuple[int, Any]]:
    """(offset, warcio record) of every record in a stream; the caller reads each record's
    body before asking for the next. Offsets are in the inflated stream."""
    source: IO[bytes] = gzip.GzipFile(fileobj=stream, mode="rb") if gzipped else stream
    iterator = ArchiveIterator(source, arc2warc=True, check_digests=False,
                               ensure_http_headers=False)
    records = iter(iterator)
    while True:
        noise = io.StringIO()
        try:
            with contextlib.redirect_stderr(noise):  # warcio prints its warnings there
                record = next(records)
        except StopIteration:
            return
        except Exception as exc:  # warcio and gzip raise many types for damaged input
            raise UnreadableFile(f"{where}: unreadable from offset {_offset(iterator)} "
                                 f"({type(exc).__name__}: {_short(exc)})") from None
        finally:
            if noise.getvalue():
                logger.info("warcio on %s: %s", where, " ".join(noise.getvalue().split()))
        yield _offset(iterator), record


def _offset(iterator: Any) -> int:
    """Where the current record starts: warcio's count of bytes consumed up to it
    (asking for get_record_offset would read the record to its end)."""
    try:
        return int(iterator.offset)
    except (AttributeError, TypeError, ValueError):
        return 0


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:80] + ("..." if len(text) > 80 else "")
