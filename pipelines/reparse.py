"""``newsarchive reparse``: the current parsers over stored WARC records, no network.

For every URL, the newest readable capture is read again from its record, parsed,
normalised and stored through the crawl's own chain, linked to that same capture
(which is left as it is). The report counts, field by field, how many rows the
new parsers changed. Unchanged parsers change nothing.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from archive.pagediff import compare_page
from archive.store import set_capture_reading
from archive.warc import RecordReader, StoredRecord, WarcError
from crawler.items import Article, Capture, Digest
from crawler.parsers.version import PARSER_VERSION
from pipelines.offline import OfflineChain, response_from_record

_CAPTURE_FIELDS = tuple(f.name for f in dataclasses.fields(Capture))
_SELECT = """
SELECT * FROM captures WHERE id IN (
    SELECT max(id) FROM captures
    WHERE warc_file IS NOT NULL AND status BETWEEN 200 AND 299
      AND ifnull(page_kind, '') != 'listing' {filters}
    GROUP BY url)
ORDER BY fetched_at, id
"""


@dataclass
class ReparseReport:
    """What a re-parse did."""

    captures: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    """``<table>/<new|changed|unchanged>`` for every page stored again."""
    fields: Counter[str] = field(default_factory=Counter)
    """``<table>.<field>``: rows whose field the new parsers changed."""
    now_unreadable: list[str] = field(default_factory=list)
    """Pages that parsed before and no longer do (rows left as they were)."""
    missing_records: list[str] = field(default_factory=list)
    """Captures whose WARC record could not be read."""

    def changed_rows(self) -> int:
        return sum(n for k, n in self.outcomes.items() if not k.endswith("/unchanged"))


def reparse(db: Any, folder: str, since: str | None = None, source: str | None = None,
            progress: Callable[[int], None] | None = None) -> ReparseReport:
    """Re-parse the newest readable capture of every URL (filtered by time and site)."""
    report = ReparseReport()
    chain = OfflineChain(db, run_id=None)
    with RecordReader(folder) as reader:
        for row in _captures(db, since, source):
            report.captures += 1
            record = _payload_record(db, reader, row, report)
            if record is not None:
                _reparse_one(db, chain, row, record, report)
            if progress:
                progress(1)
    return report


def count_captures(db: Any, since: str | None = None, source: str | None = None) -> int:
    """How many captures ``reparse`` would read with these filters."""
    return sum(1 for _ in _captures(db, since, source))


def _captures(db: Any, since: str | None, source: str | None) -> Iterator[dict[str, Any]]:
    filters, params = "", {}
    if since:
        filters += " AND fetched_at >= :since"
        params["since"] = since
    if source:
        filters += " AND site = :source"
        params["source"] = source
    cursor = db.execute(_SELECT.format(filters=filters), params)
    columns = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        yield dict(zip(columns, values, strict=True))


def _payload_record(db: Any, reader: RecordReader, row: dict[str, Any],
                    report: ReparseReport) -> StoredRecord | None:
    """The record holding the capture's payload (a revisit's original response)."""
    where = (row["warc_file"], row["warc_offset"], row["warc_length"])
    if row["warc_type"] == "revisit":
        found = db.execute("SELECT warc_file, warc_offset, warc_length FROM captures "
                           "WHERE warc_digest = ? AND warc_type = 'response' ORDER BY id "
                           "LIMIT 1", [row["warc_digest"]]).fetchone()
        if found is None:
            report.missing_records.append(f"{row['url']}: revisit of an unarchived payload")
            return None
        where = tuple(found)
    try:
        return reader.read(*where, verify=False)
    except WarcError as exc:
        report.missing_records.append(f"{row['url']}: {exc}")
        return None


def page_fields(item: Digest | Article) -> dict[str, Any]:
    """What changed_fields compares, shallowly: the page's fields, its items and
    recommendations as dicts (a full as_mapping of the capture and every string is
    a tenth of a reparse's time)."""
    page = {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    for name in ("items", "recommendations"):
        if name in page:
            page[name] = [{f.name: getattr(p, f.name) for f in dataclasses.fields(p)}
                          for p in page[name]]
    return page


def capture_from_row(row: dict[str, Any]) -> Capture:
    """The Capture of a captures row, as it was before any page was read from it."""
    capture = Capture(**{k: row.get(k) for k in _CAPTURE_FIELDS})  # etag etc. not stored
    return dataclasses.replace(capture, page_kind=None, error_kind=None, error=None)


def _reparse_one(db: Any, chain: OfflineChain, row: dict[str, Any], record: StoredRecord,
                 report: ReparseReport) -> None:
    capture = capture_from_row(row)
    item = chain.read(response_from_record(record, row["final_url"]), capture)
    if not isinstance(item, (Digest, Article)):
        if row["page_kind"] in ("digest", "article"):
            report.now_unreadable.append(f"{row['url']}: {item.error} ({item.error_kind})")
        return
    item = chain.normalize.process_item(item)
    table = "digests" if isinstance(item, Digest) else "articles"
    page = page_fields(item)
    changed, stored_version = compare_page(db, table, page)
    report.fields.update(f"{table}.{name}" for name in changed or ())
    if changed == [] and stored_version == PARSER_VERSION:
        # Nothing to write: the same fields, read by the same parsers. Skipping the
        # dedupe keys and the store here is what makes a no-op reparse cheap.
        report.outcomes[f"{table}/unchanged"] += 1
    else:
        item = chain.dedupe.process_item(item)
        table, outcome = chain.process(item, capture_id=row["id"], prepared=True)
        report.outcomes[f"{table}/{outcome}"] += 1
    if row["error_kind"]:  # a page that could not be read before now can
        set_capture_reading(db, row["id"], item.capture.page_kind)
