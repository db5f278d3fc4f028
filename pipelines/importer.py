"""``newsarchive import``: WARC files from any tool, or saved HTML pages, into the archive.

Each record is copied verbatim into the archive's own WARC folder (so the
archive stays self-contained and ``check`` can verify it), then read and stored
through the crawl's chain: the same rows a crawl of those pages would store.
A record already archived (same URL, status and body) is skipped.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from archive import store
from archive.warc import StoredRecord, WarcError, WarcStore, parse_record_bytes
from crawler.clock import utc_now
from pipelines.offline import OfflineChain, response_from_record
from pipelines.warc import ArchivedPayloads, capture_fields

_PAGE_TYPES = ("response", "resource")


class ImportError_(Exception):  # noqa: N801 (ImportError is a builtin)
    """A file that cannot be imported, with the reason."""


@dataclass
class ImportReport:
    """What an import did."""

    run_id: int = 0
    files: int = 0
    records: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def is_warc(path: Path) -> bool:
    """Whether a file holds WARC records (plain or gzip), by its first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as unzipped:
                head = unzipped.read(8)
        except (OSError, EOFError):
            return False
    return head.startswith(b"WARC/")


class Importer:
    """Imports files into one archive under one ``runs`` row."""

    def __init__(self, db: Any, db_path: str, folder: str):
        self.db = db
        self.report = ImportReport()
        self.report.run_id = store.save_run_start(db, started_at=utc_now(), spiders="import",
                                                  target="import")
        self.warc = WarcStore(folder, f"newsarchive-run{self.report.run_id:06d}-import",
                              seen=ArchivedPayloads(db_path))
        self.chain = OfflineChain(db, self.report.run_id)

    def import_warc(self, path: Path, progress: Callable[[int], None] | None = None) -> None:
        """Every page record of a WARC file."""
        self.report.files += 1
        gzipped = path.read_bytes()[:2] == b"\x1f\x8b"
        # Two handles: warcio reads one sequentially, the raw bytes come from the other.
        with open(path, "rb") as handle, open(path, "rb") as raw_handle:
            for rec_type, offset, length in _record_spans(handle, path):
                self.report.records += 1
                if rec_type not in _PAGE_TYPES:
                    self.report.skipped[f"{rec_type} record"] += 1
                    continue
                raw_handle.seek(offset)
                raw = raw_handle.read(length)
                self._import_record(raw if gzipped else gzip.compress(raw), f"{path}@{offset}")
                if progress:
                    progress(1)

    def import_html(self, path: Path, url: str, fetched_at: str | None) -> None:
        """A page saved from a browser, stored as a resource record for ``url``."""
        self.report.files += 1
        self.report.records += 1
        body = path.read_bytes()
        date = fetched_at or _mtime(path)
        if self._archived(url, 200, body):
            self.report.skipped["already archived"] += 1
            return
        ref = self.warc.write_resource(url, body, "text/html", date)
        record = StoredRecord(type="resource", url=url, date=date, status=200,
                              http_headers=[], payload=body, raw_digest_ok=True,
                              warc_headers={"Content-Type": "text/html"})
        self._store(record, capture_fields(ref))

    def finish(self) -> ImportReport:
        """Close the WARC file and the runs row."""
        self.warc.close()
        stats = dict(self.chain.stats)
        stored = sum(n for k, n in stats.items() if not k.startswith("archive/errors/"))
        store.save_run_end(self.db, self.report.run_id, finished_at=utc_now(),
                           status="finished" if stored else "failed", requests=0,
                           errors=sum(n for k, n in stats.items()
                                      if k.startswith("archive/errors/")),
                           stats=stats)
        return self.report

    def _import_record(self, member: bytes, where: str) -> None:
        try:
            record = parse_record_bytes(member, where)
        except WarcError as exc:
            self.report.errors.append(str(exc))
            return
        if record.type == "response" and (record.status or 0) in range(300, 400):
            self.report.skipped["redirect"] += 1
            return
        if self._archived(record.url, record.status or 200, record.payload):
            self.report.skipped["already archived"] += 1
            return
        ref = self.warc.copy_member(member, record.type, record.url, record.date,
                                    record.warc_headers.get("WARC-Payload-Digest"))
        self._store(record, capture_fields(ref))

    def _store(self, record: StoredRecord, warc_fields: dict[str, Any]) -> None:
        response = response_from_record(record, meta={"warc": {**warc_fields, "via": "import"}})
        table, outcome = self.chain.process(self.chain.read(response))
        self.report.outcomes[f"{table}/{outcome}"] += 1

    def _archived(self, url: str, status: int, body: bytes) -> bool:
        sha = hashlib.sha256(body).hexdigest()
        return self.db.execute("SELECT 1 FROM captures WHERE url = ? AND status = ? AND "
                               "body_sha256 = ? LIMIT 1", [url, status, sha]).fetchone() is not None


def _record_spans(handle: Any, path: Path) -> Iterator[tuple[str, int, int]]:
    """(type, offset, length) of every record in a WARC file."""
    iterator = ArchiveIterator(handle)
    try:
        for record in iterator:
            rec_type = record.rec_type
            iterator.read_to_end(record)
            yield rec_type, iterator.get_record_offset(), iterator.get_record_length()
    except Exception as exc:  # warcio raises several types for a damaged file
        raise ImportError_(f"{path}: not a readable WARC file ({exc})") from None


def _mtime(path: Path) -> str:
    moment = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
