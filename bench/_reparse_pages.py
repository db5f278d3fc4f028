"""The pages a re-parse reads, loaded into memory, and the parse-only baseline over them."""

from __future__ import annotations

from typing import Any

from archive.warc import RecordReader
from pipelines.offline import response_from_record
from pipelines.reparse import ReparseReport, _captures, _payload_record


def load_pages(db: Any, folder: str) -> list[tuple[Any, Any]]:
    """(capture row, Scrapy response) for every capture ``reparse`` would read."""
    from pipelines.reparse import capture_from_row

    pages = []
    report = ReparseReport()
    with RecordReader(folder) as reader:
        for row in _captures(db, None, None):
            record = _payload_record(db, reader, row, report)
            if record is not None:
                pages.append((capture_from_row(row),
                              response_from_record(record, row["final_url"])))
    return pages


def parse_only(pages: list[tuple[Any, Any]]) -> int:
    """What ``newsarchive parse`` does to a page in memory: decode, parse (the spiders'
    read_page) and normalise; returns the count."""
    from crawler.spiders.base import read_page
    from pipelines.normalize import NormalizePipeline

    normalize = NormalizePipeline()
    for capture, response in pages:
        normalize.process_item(read_page(capture, response))
    return len(pages)
