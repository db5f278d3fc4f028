"""The mirror's Common Crawl: a collection list, per-collection indexes and WARC files.

Served under the real hosts like any mirrored host: ``{MIRROR}/index.commoncrawl.org/
collinfo.json``, ``{MIRROR}/index.commoncrawl.org/<id>-index?url=...&output=json`` and
``{MIRROR}/data.commoncrawl.org/<filename>`` (Range requests answered 206). What it holds
is a pure function of the catalogue: the Wayback holdings' page captures
(``mirror.wayback.holdings``: every page two to three days after it was published, and the
2023-03-08 sweep of digests), grouped into one collection per calendar month that has
any, each with one WARC file built from the mirror's pages as they were at each capture
time. The HTTP Content-Type of the records names no charset (the index's ``encoding``
does). Pitfalls: the real digest's sweep row listed twice (a duplicate) and a row whose
offset points at another page's record (``kind = "wrong"``).

Index pages hold ``pageSize`` rows (default 5); past the last page the answer is 400
"page invalid", and a query matching nothing is 404 "No Captures found". The truth is
``/_mirror/commoncrawl.json``; ``/_mirror/commoncrawl/log`` lists every request
(monotonic time, kind, status, path; a record's path followed by its Range);
``FaultPlan.queue`` answers 429/503 on demand.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from urllib.parse import parse_qs

from crawler import sites

from .response import JSON, TEXT, Response
from .wayback import Row, holdings, surt

WARC = "application/octet-stream"
PAGE_ROWS = 5


@dataclass(frozen=True, slots=True)
class CcRow:
    """One index row and where its record lies (``kind``: page, duplicate, wrong)."""

    urlkey: str
    timestamp: str
    url: str
    collection: str
    filename: str
    offset: int
    length: int
    kind: str = "page"


def month_id(ts: str) -> str:
    """A collection id in Common Crawl's style (CC-MAIN-<year>-<ISO week>) for a month."""
    first = datetime(int(ts[:4]), int(ts[4:6]), 1, tzinfo=UTC)
    return f"CC-MAIN-{first.year}-{first.isocalendar().week:02d}"


class CommonCrawl:
    """collinfo.json, the indexes and the Range-served WARC files over the catalogue."""

    def __init__(self, cat, render: Callable[[str, float], Response]):  # noqa: ANN001
        self.render = render
        self.fault: Callable[[str], Response | None] = lambda host: None
        self.log: list[tuple[float, str, int, str]] = []
        self._lock = threading.Lock()
        pages = {(r.original, r.timestamp): r for r in holdings(cat) if r.kind == "page"}
        self.months: dict[str, list[Row]] = {}
        for row in sorted(pages.values(), key=lambda r: r.timestamp):
            self.months.setdefault(row.timestamp[:6], []).append(row)
        self.files: dict[str, bytes] = {}
        self.rows: list[CcRow] = []
        for month, rows in self.months.items():
            self.rows += self._build(month, rows)
        real = next(d.url for d in cat.digests if d.real)
        self.rows += _pitfalls(self.rows, real)
        self.rows.sort(key=lambda r: (r.collection, r.urlkey, r.timestamp))

    def _build(self, month: str, rows: list[Row]) -> list[CcRow]:
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        coll = month_id(month)
        name = f"crawl-data/{coll}/segments/{month}01.0/warc/{coll}-{month}01000000-00000.warc.gz"
        out, built = io.BytesIO(), []
        writer = WARCWriter(out, gzip=True)
        for row in rows:
            page = self.render(row.original, _epoch(row.timestamp))
            http = StatusAndHeaders(f"{page.status} OK", [("Content-Type", "text/html")],
                                    protocol="HTTP/1.1")
            record = writer.create_warc_record(
                row.original, "response", payload=io.BytesIO(page.body),
                length=len(page.body), http_headers=http,
                warc_headers_dict={"WARC-Date": _iso(row.timestamp)})
            start = out.tell()
            writer.write_record(record)
            built.append(CcRow(row.urlkey, row.timestamp, row.original, coll, name, start,
                               out.tell() - start))
        self.files[name] = out.getvalue()
        return built

    def collections(self) -> list[dict[str, str]]:
        out = []
        for month in self.months:
            coll, year, mon = month_id(month), int(month[:4]), int(month[4:6])
            end = datetime(year + mon // 12, mon % 12 + 1, 1, tzinfo=UTC).timestamp() - 1
            out.append({"id": coll, "name": f"{year}-{mon:02d} Index",
                        "timegate": f"https://{sites.CC_INDEX_HOST}/{coll}/",
                        "cdx-api": f"https://{sites.CC_INDEX_HOST}/{coll}-index",
                        "from": f"{year}-{mon:02d}-01T00:00:00",
                        "to": datetime.fromtimestamp(end, UTC).strftime("%Y-%m-%dT%H:%M:%S")})
        return out[::-1]  # newest first, as the real list

    def handle(self, host: str, path: str, query: str,
               headers: Mapping[str, str] | None) -> Response:
        kind = ("robots" if path == "/robots.txt" else "record" if host == sites.CC_DATA_HOST
                else "collinfo" if path == "/collinfo.json" else "index")
        answer = (self.fault(host) if kind != "robots" else None) or \
            self._answer(kind, path, query, headers or {})
        wanted = f" {(headers or {}).get('Range') or ''}" if kind == "record" else ""
        with self._lock:
            self.log.append((time.monotonic(), kind, answer.status,
                             path + (f"?{query}" if query else "") + wanted))
        return answer

    def _answer(self, kind: str, path: str, query: str,
                headers: Mapping[str, str]) -> Response:
        if kind == "robots":
            return Response(200, TEXT, b"User-agent: *\nAllow: /\n")
        if kind == "collinfo":
            return Response(200, JSON, json.dumps(self.collections()).encode())
        if kind == "record":
            return self._range(path.lstrip("/"), headers.get("Range") or "")
        if path.endswith("-index"):
            return self.index(path[1:-len("-index")], parse_qs(query, keep_blank_values=True))
        return Response(404, TEXT, b"not found\n")

    def index(self, coll: str, qs: dict[str, list[str]]) -> Response:
        """``<id>-index``: url, matchType (exact|prefix), from, to, page, pageSize;
        output=json (one JSON object a line)."""
        arg = lambda name, default="": (qs.get(name) or [default])[0]  # noqa: E731
        key, prefix = surt(arg("url")), arg("matchType", "exact") == "prefix"
        start, end = arg("from"), arg("to")
        rows = [r for r in self.rows if r.collection == coll
                and (r.urlkey.startswith(key) if prefix else r.urlkey == key)
                and (not start or r.timestamp[:len(start)] >= start)
                and (not end or r.timestamp[:len(end)] <= end)]
        if not rows:
            return Response(404, TEXT, f"No Captures found for: {arg('url')}\n".encode())
        size = max(1, int(arg("pageSize", str(PAGE_ROWS)) or PAGE_ROWS))
        page, pages = int(arg("page", "0") or 0), (len(rows) + size - 1) // size
        if page >= pages:
            return Response(400, JSON, json.dumps({"message": f"Page {page} invalid: First "
                            f"Page is 0, Last Page is {pages - 1}"}).encode())
        lines = [json.dumps(_line(r)) for r in rows[page * size:(page + 1) * size]]
        return Response(200, "text/x-ndjson", ("\n".join(lines) + "\n").encode())

    def _range(self, name: str, wanted: str) -> Response:
        data = self.files.get(name)
        if data is None:
            return Response(404, TEXT, b"NoSuchKey\n")
        first, _, last = wanted.removeprefix("bytes=").partition("-")
        if not (first.isdigit() and last.isdigit()) or int(first) > int(last) or \
                int(first) >= len(data):
            return Response(416, TEXT, b"InvalidRange\n")
        start, stop = int(first), min(int(last), len(data) - 1)
        return Response(206, WARC, data[start:stop + 1],
                        (("Content-Range", f"bytes {start}-{stop}/{len(data)}"),))

    def truth(self) -> bytes:
        """``/_mirror/commoncrawl.json``: the collections and every index row with its kind."""
        return json.dumps({"collections": self.collections(),
                           "rows": [asdict(r) for r in self.rows]}).encode()

    def requests(self) -> bytes:
        """``/_mirror/commoncrawl/log``: [monotonic time, kind, status, path] of every
        request so far (kind: robots, collinfo, index or record)."""
        with self._lock:
            return json.dumps(self.log).encode()


def _pitfalls(rows: list[CcRow], real: str) -> list[CcRow]:
    """The real digest's sweep row again (a duplicate), and a row of another sweep digest
    an hour later whose offset points at the real digest's record (the wrong record)."""
    sweep = [r for r in rows if r.timestamp.startswith("20230308")]
    mine = next(r for r in sweep if r.url == real)
    other = next((r for r in sweep if r.url != real and "/detail/" in r.url), None)
    extra = [replace(mine, kind="duplicate")]
    if other is not None:
        later = str(int(other.timestamp) + 10000)
        extra.append(replace(mine, urlkey=other.urlkey, url=other.url, timestamp=later,
                             kind="wrong"))
    return extra


def _line(row: CcRow) -> dict[str, str]:
    return {"urlkey": row.urlkey, "timestamp": row.timestamp, "url": row.url,
            "mime": "text/html", "mime-detected": "text/html", "status": "200",
            "digest": "sha1:" + row.urlkey[:8], "length": str(row.length),
            "offset": str(row.offset), "filename": row.filename, "languages": "zho",
            "encoding": "UTF-8"}


def _iso(ts: str) -> str:
    return datetime.strptime(ts, "%Y%m%d%H%M%S").strftime("%Y-%m-%dT%H:%M:%SZ")


def _epoch(ts: str) -> float:
    return datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=UTC).timestamp()
