"""``newsarchive import``: WARC, ARC and WACZ files from any tool, or saved HTML pages.

Records are read as a stream (``pipelines.import_read``; WACZ packages through
``pipelines.import_wacz``) and judged one by one by the crawl's gate
(``pipelines.import_decode``): request policy, body size caps, payload digest. A
record the gate accepts is written into the archive's own WARC folder (so the
archive stays self-contained and ``check`` can verify it), then stored through the
crawl's chain: the same rows a crawl of that page would store. A refused record is
counted with its reason and leaves nothing behind; one bad record never stops its
file, one bad file never stops the command, and the run row is always closed.
A ``revisit`` record moves the revisited capture's last sighting (``archive.revisits``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from archive import store
from archive.revisits import record_revisit
from archive.warc import StoredRecord, WarcStore
from crawler.clock import utc_now
from pipelines.import_decode import Accepted, Refused, Skipped, gate, parse_warc_date, target_uri
from pipelines.import_read import Kind, UnreadableFile, iter_records, sniff
from pipelines.import_report import ImportReport
from pipelines.offline import OfflineChain, response_from_record
from pipelines.warc import ArchivedPayloads, capture_fields

logger = logging.getLogger(__name__)
__all__ = ["ImportReport", "Importer", "sniff"]


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

    def import_file(self, path: Path, kind: Kind,
                    progress: Callable[[int], None] | None = None) -> None:
        """Every page record of a WARC, ARC or WACZ file."""
        self.report.files += 1
        if kind.name == "zip":
            from pipelines.import_wacz import wacz_members

            try:
                for name, stream, gzipped in wacz_members(path):
                    self.import_stream(stream, gzipped, f"{path.name}:{name}", progress)
            except UnreadableFile as exc:
                self.report.refuse("unreadable_file", str(exc), None, str(exc))
            return
        with open(path, "rb") as handle:
            self.import_stream(handle, kind.gzipped, path.name, progress)

    def import_stream(self, stream: IO[bytes], gzipped: bool, where: str,
                      progress: Callable[[int], None] | None = None) -> None:
        """Every record of one stream of WARC or ARC records."""
        try:
            for offset, record in iter_records(stream, gzipped, where):
                self.report.records += 1
                self._import_record(record, where, offset)
                if progress:
                    progress(1)
        except UnreadableFile as exc:
            self.report.refuse("unreadable_file", str(exc), None, str(exc))

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
        stats.update({f"import/refused/{k}": n for k, n in self.report.refused.items()})
        stats.update({f"import/skipped/{k}": n for k, n in self.report.skipped.items()})
        stored = sum(n for k, n in stats.items() if k.startswith("archive/")
                     and not k.startswith("archive/errors/"))
        failed = not stored and bool(self.report.problems)
        store.save_run_end(self.db, self.report.run_id, finished_at=utc_now(),
                           status="failed" if failed else "finished", requests=0,
                           errors=sum(self.report.problems.counts.values()),
                           stats=stats)
        return self.report

    def _import_record(self, record: Any, where: str, offset: int) -> None:
        try:
            if record.rec_type == "revisit":
                self._revisit(record)
                return
            verdict = gate(record)
            if isinstance(verdict, Accepted):
                self._accept(verdict)
        except Exception as exc:  # one bad record never stops the file
            logger.debug("import: record at %s@%s", where, offset, exc_info=True)
            verdict = Refused("unreadable", f"{type(exc).__name__}: {exc}")
        if isinstance(verdict, Skipped):
            self.report.skipped[verdict.reason] += 1
        elif isinstance(verdict, Refused):
            self.report.refuse(verdict.reason, where, offset, verdict.detail)

    def _accept(self, record: Accepted) -> None:
        if record.large:
            self.report.skipped["kept, over DOWNLOAD_WARNSIZE"] += 1
        if record.type == "response" and (record.status or 0) in range(300, 400):
            self.report.skipped["redirect"] += 1
            return
        if self._archived(record.url, record.status or 200, record.payload):
            self._seen_again(record.url, record.payload, record.date)
            return
        ref = self.warc.write_imported(record.type, record.url, record.date,
                                       record.http_headers, record.raw, record.content_type)
        headers = list(record.http_headers.headers) if record.http_headers is not None else []
        stored = StoredRecord(type=record.type, url=record.url, date=record.date,
                              status=record.status, http_headers=headers,
                              payload=record.payload, raw_digest_ok=True,
                              warc_headers={"Content-Type": record.content_type or "text/html"})
        self._store(stored, capture_fields(ref))

    def _revisit(self, record: Any) -> None:
        headers = record.rec_headers
        date = parse_warc_date(headers.get_header("WARC-Date") or "")
        if date is None:
            self.report.skipped["revisit without a readable date"] += 1
            return
        refers = (headers.get_header("WARC-Refers-To-Target-URI") or "").strip("<> ")
        outcome = record_revisit(self.db, [refers, target_uri(record)],
                                 headers.get_header("WARC-Payload-Digest"), date)
        self.report.outcomes[f"revisit/{outcome}"] += 1

    def _seen_again(self, url: str, body: bytes, date: str) -> None:
        """An identical capture already archived: a later sighting moves its last_seen_at."""
        digest = self.db.execute(
            "SELECT warc_digest FROM captures WHERE url = ? AND body_sha256 = ? LIMIT 1",
            [url, hashlib.sha256(body).hexdigest()]).fetchone()
        outcome = record_revisit(self.db, [url], digest[0] if digest else None, date)
        self.report.skipped["already archived"] += 1
        if outcome == "updated":
            self.report.outcomes["revisit/updated"] += 1

    def _store(self, record: StoredRecord, warc_fields: dict[str, Any]) -> None:
        response = response_from_record(record, meta={"warc": {**warc_fields, "via": "import"}})
        table, outcome = self.chain.process(self.chain.read(response))
        self.report.outcomes[f"{table}/{outcome}"] += 1

    def _archived(self, url: str, status: int, body: bytes) -> bool:
        sha = hashlib.sha256(body).hexdigest()
        return self.db.execute("SELECT 1 FROM captures WHERE url = ? AND status = ? AND "
                               "body_sha256 = ? LIMIT 1", [url, status, sha]).fetchone() is not None


def _mtime(path: Path) -> str:
    moment = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
