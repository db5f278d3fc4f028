"""Common Crawl as a backfill reads it: the collection list, index queries, rows, records.

Pure functions (no Scrapy): the spider (``crawler.commoncrawl_spider``) builds its requests
and judges its answers with them. Real endpoints: ``https://index.commoncrawl.org/collinfo.json``
(the collections, each with its ``cdx-api``), ``<cdx-api>?url=...&output=json`` (one JSON
object a line; ``page=N`` walks the pages until a 400), and
``https://data.commoncrawl.org/<filename>`` read with ``Range: bytes=offset-(offset+length-1)``
(a 206 holding one gzip WARC member).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from crawler.sites import CC_DATA_HOST, CC_INDEX_HOST

COLLINFO_URL = f"https://{CC_INDEX_HOST}/collinfo.json"
READABLE = ("200",)
"""Index rows whose record holds the page (Common Crawl's index lists revisits as 'warc/revisit'
rows without a payload of their own: they are skipped)."""

UNKNOWN_COLLECTION = "backfill/unknown_collection/"
"""Stats key prefix of a --collection that the collection list does not hold; the command
names them in its error line."""


@dataclass(frozen=True, slots=True)
class Collection:
    """One crawl: its id, index endpoint and the capture times it spans (14-digit UTC)."""

    id: str
    cdx_api: str
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class CcRow:
    """One index row: a capture and where its record lies."""

    url: str
    timestamp: str
    status: str
    mime: str
    filename: str
    offset: int
    length: int
    encoding: str | None = None
    collection: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """What makes a row one capture: a duplicate row has the same key."""
        return (self.url, self.timestamp)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit()).ljust(14, "0")[:14]


def parse_collinfo(body: bytes) -> list[Collection]:
    """The collections of a ``collinfo.json``, oldest first. Raises ValueError if unreadable."""
    table = json.loads(body.decode("utf-8"))
    if not isinstance(table, list):
        raise ValueError("collinfo.json is a JSON list")
    out = [Collection(str(c["id"]), str(c["cdx-api"]), _digits(str(c.get("from", ""))),
                      _digits(str(c.get("to", "")) or "99991231235959")) for c in table]
    return sorted(out, key=lambda c: (c.start, c.id))


def choose(collections: list[Collection], since: str | None, until: str | None,
           wanted: tuple[str, ...] = ()) -> list[Collection]:
    """The collections to walk: those named (``--collection``), else those whose crawl
    overlaps the window (14-digit timestamps, both inclusive; None: open)."""
    if wanted:
        return [c for c in collections if c.id in wanted]
    return [c for c in collections
            if (not since or c.end >= since) and (not until or c.start <= until)]


def index_query(collection: Collection, url: str, *, prefix: bool, since: str | None = None,
                until: str | None = None, page: int | None = None,
                page_size: int = 0) -> str:
    """The index URL listing captures of ``url`` (all under it with ``prefix``)."""
    params = {"url": url, "output": "json"}
    if prefix:
        params["matchType"] = "prefix"
    if since:
        params["from"] = since
    if until:
        params["to"] = until
    if page is not None:
        params["page"] = str(page)
    if page_size:
        params["pageSize"] = str(page_size)
    return f"{collection.cdx_api}?{urlencode(params)}"


def parse_index(body: bytes, collection: str = "") -> list[CcRow]:
    """The rows of an index answer (one JSON object a line). Raises ValueError."""
    rows = []
    for line in body.decode("utf-8").splitlines():
        if not line.strip():
            continue
        obj = json.loads(line)
        rows.append(CcRow(url=obj["url"], timestamp=obj["timestamp"],
                          status=str(obj.get("status", "")), mime=obj.get("mime", ""),
                          filename=obj["filename"], offset=int(obj["offset"]),
                          length=int(obj["length"]), encoding=obj.get("encoding") or None,
                          collection=collection))
    return rows


def end_of_results(status: int, body: bytes) -> bool:
    """Whether an index answer says there is nothing (more): 404 "No Captures found" for
    a URL it does not hold, 400 "page invalid" past the last page."""
    text = body[:500].decode("utf-8", "replace").lower()
    return (status == 404 and "no captures" in text) or (status == 400 and "page" in text)


def record_url(row: CcRow) -> str:
    return f"https://{CC_DATA_HOST}/{row.filename}"


def range_header(row: CcRow) -> str:
    """The Range of the row's record: offset..offset+length-1, both inclusive."""
    return f"bytes={row.offset}-{row.offset + row.length - 1}"


def resume_key(collection: str, page: int) -> str:
    return f"{collection} {page}"


def parse_resume(key: str | None, collections: list[Collection]) -> tuple[int, int]:
    """(collection index, page) a saved key points at; (0, 0) when it is none of ours."""
    name, _, page = (key or "").partition(" ")
    ids = [c.id for c in collections]
    if name in ids and page.isdigit():
        return ids.index(name), int(page)
    return 0, 0


def lookup_order(collections: list[Collection], at: str | None, limit: int) -> list[Collection]:
    """Where to look for a linked page: the collections nearest the digest's capture time
    ``at``, a later one before an earlier one as near, at most ``limit``."""
    if at is None:
        ordered = list(reversed(collections))
    else:
        moment = int(_digits(at))

        def distance(c: Collection) -> tuple[int, int]:
            if int(c.start) <= moment <= int(c.end):
                return (0, 0)
            gap = int(c.start) - moment if int(c.start) > moment else moment - int(c.end)
            return (gap, int(c.start) < moment)
        ordered = sorted(collections, key=distance)
    return ordered[:limit] if limit > 0 else ordered


def anchor(published_at: str | None, fallback: str | None = None) -> str | None:
    """A publication date (ISO, or YYYY-MM-DD) as a 14-digit timestamp, else ``fallback``."""
    digits = "".join(c for c in published_at or "" if c.isdigit())[:14]
    return digits.ljust(14, "0") if len(digits) >= 8 else fallback


def row_charset(header_charset: str | None, row: CcRow) -> str | None:
    """The charset to read a record with: the HTTP header's, else the index's ``encoding``."""
    return header_charset or row.encoding
