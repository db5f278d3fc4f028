"""``newsarchive reparse``: the current parsers over stored WARC records, no network.

For every URL, the newest readable capture is read again from its record, parsed,
normalised and stored through the crawl's own chain, linked to that same capture
(which is left as it is). The report counts, field by field, how many rows the
new parsers changed. Unchanged parsers change nothing. Values are compared, not the
stored content hash: a row edited by hand (its hash left as it was) is rewritten,
its hash repaired, and the report says what was done.

Pages go in batches of ``BATCH_PAGES``: their stored rows are fetched for the
comparison in one query per table, and the pages that changed are written in one
transaction (each page in its own savepoint, as a crawl's store batch does).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from archive.pagediff import Comparison, compare_page, compare_pages
from archive.store import forget_content_hash, set_capture_reading
from archive.tx import write_transaction
from archive.warc import RecordReader, StoredRecord, WarcError
from crawler.items import Article, Capture, Digest
from crawler.parsers.version import PARSER_VERSION
from pipelines.offline import OfflineChain

BATCH_PAGES = 200
"""Pages compared with one query per table, and written in one transaction."""
# What a captures row says of its fetch; what reading the body found is read again.
_CAPTURE_FIELDS = tuple(f.name for f in dataclasses.fields(Capture)
                        if f.name not in ("page_kind", "error_kind", "error"))
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
            progress: Callable[[int], None] | None = None,
            batch_pages: int = BATCH_PAGES) -> ReparseReport:
    """Re-parse the newest readable capture of every URL (filtered by time and site)."""
    report = ReparseReport()
    chain = OfflineChain(db, run_id=None)
    batch: list[_Page] = []
    with RecordReader(folder) as reader:
        for row in _captures(db, since, source):
            report.captures += 1
            record = _payload_record(db, reader, row, report)
            page = None if record is None else _read(chain, row, record, report)
            if page is not None:
                batch.append(page)
            if len(batch) >= batch_pages:
                _store_batch(db, chain, batch, report)
                batch = []
            if progress:
                progress(1)
    _store_batch(db, chain, batch, report)
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
    page = {name: getattr(item, name) for name in _field_names(type(item))}
    for name in ("items", "recommendations"):
        if name in page:
            page[name] = [{n: getattr(p, n) for n in _field_names(type(p))}
                          for p in page[name]]
    return page


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def capture_from_row(row: dict[str, Any]) -> Capture:
    """The Capture of a captures row, as it was before any page was read from it
    (etag and last_modified are not stored)."""
    return Capture(**{k: row.get(k) for k in _CAPTURE_FIELDS})


@dataclass(slots=True)
class _Page:
    """A page read again, waiting for its batch's comparison."""

    row: dict[str, Any]
    """Its captures row."""
    item: Digest | Article
    """What the parsers read, normalised."""
    table: str
    fields: dict[str, Any]
    """page_fields of the item."""


def _read(chain: OfflineChain, row: dict[str, Any], record: StoredRecord,
          report: ReparseReport) -> _Page | None:
    """The page the record holds, read and normalised; None when it is no page."""
    item = chain.read_record(record, capture_from_row(row), row["final_url"])
    if not isinstance(item, (Digest, Article)):
        if row["page_kind"] in ("digest", "article"):
            report.now_unreadable.append(f"{row['url']}: {item.error} ({item.error_kind})")
        return None
    item = chain.normalize.process_item(item)
    table = "digests" if isinstance(item, Digest) else "articles"
    return _Page(row, item, table, page_fields(item))


def _store_batch(db: Any, chain: OfflineChain, batch: list[_Page],
                 report: ReparseReport) -> None:
    """Compare a batch with the stored rows; write what changed, in one transaction
    opened at the first write (a re-parse that changes nothing takes no write lock)."""
    if not batch:
        return
    compared = compare_pages(db, [(page.table, page.fields) for page in batch])
    written: set[tuple[str, str]] = set()
    with contextlib.ExitStack() as stack:
        in_transaction = False
        for page, comparison in zip(batch, compared, strict=True):
            key = (page.table, page.fields["canonical_url"])
            if key in written:  # an earlier page of the batch rewrote that row
                comparison = compare_page(db, page.table, page.fields)
            write = _needs_write(comparison)
            if (write or page.row["error_kind"]) and not in_transaction:
                stack.enter_context(write_transaction(db))
                in_transaction = True
            if write:
                written.add(key)
            _store_one(db, chain, page, comparison, write, report)


def _needs_write(comparison: Comparison) -> bool:
    """False when the same parsers read the same fields: nothing to store."""
    changed, stored_version = comparison
    return not (changed == [] and stored_version == PARSER_VERSION)


def _store_one(db: Any, chain: OfflineChain, page: _Page, comparison: Comparison,
               write: bool, report: ReparseReport) -> None:
    report.fields.update(f"{page.table}.{name}" for name in comparison[0] or ())
    if write:
        if comparison[0]:  # values differ: a stored hash that says otherwise is stale
            forget_content_hash(db, page.table, page.fields["canonical_url"])
        item = chain.dedupe.process_item(page.item)
        table, outcome = chain.process(item, capture_id=page.row["id"], prepared=True)
        report.outcomes[f"{table}/{outcome}"] += 1
    else:
        # Skipping the dedupe keys and the store is what makes a no-op reparse cheap.
        report.outcomes[f"{page.table}/unchanged"] += 1
    if page.row["error_kind"]:  # a page that could not be read before now can
        set_capture_reading(db, page.row["id"], page.item.capture.page_kind)
