"""The mirror's Wayback Machine: captures of the mirror's own pages, a CDX API and playback.

Served under the host ``web.archive.org`` like any mirrored host
(``{MIRROR}/web.archive.org/cdx/search/cdx?...``, ``{MIRROR}/web.archive.org/web/<ts>id_/<url>``).
What the archive holds is a pure function of the catalogue (``holdings``):

- every page the crawl reaches, captured once two to three days after it was published;
- a sweep on 2023-03-08 (UTC, Beijing daytime) of the real digest and about a third of the
  generated digests;
- the archives' pitfalls, on the sweep day: the real digest's CDX row twice (a duplicate), a
  revisit row (status ``-``) and a redirect capture of its ``www.`` alias; and, on further
  sweep digests, a captured WAF block page, a row whose playback says "not archived" and a
  row whose playback redirects to a capture months away.

The truth (``/_mirror/wayback.json``) lists every row with its kind, so a test knows which
pages a window of capture times must store. Requests are logged (``/_mirror/wayback/log``:
monotonic time, kind, status and path of each) for the rate tests; ``FaultPlan.queue``
answers the next archive requests with 429/503 on demand (robots.txt excepted).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qs, quote, unquote, urlsplit

from crawler import sites

from .catalogue import Catalogue
from .conditions import _CHALLENGE
from .response import HTML, JSON, TEXT, Response

FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
SWEEP = datetime(2023, 3, 8, 1, 0, tzinfo=UTC)
"""The sweep: digests captured on 2023-03-08, from 09:00 Beijing time."""
MOVED_TO = "20230901000000"
"""Where the 'moved' row's playback redirects: a capture months away."""
NOT_ARCHIVED = (b"<html><body><h2>Hrm.</h2><p>The Wayback Machine has not archived that "
                b"URL.</p></body></html>")
DEFAULT_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Row:
    """One CDX row and what its playback holds (``kind``: page, revisit, redirect, block,
    missing, moved)."""

    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str
    length: str
    kind: str


def surt(url: str) -> str:
    """The SURT key the Wayback Machine sorts by: reversed host without www., then path."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").lower().removeprefix("www.")
    key = ",".join(reversed(host.split("."))) + ")" + (parts.path or "/")
    return key + (f"?{parts.query}" if parts.query else "")


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


def _row(url: str, moment: datetime, kind: str, status: str = "200",
         salt: str = "") -> Row:
    digest = hashlib.sha1(f"{url}{salt}".encode()).hexdigest()[:32].upper()
    mime = "warc/revisit" if kind == "revisit" else "text/html"
    return Row(surt(url), stamp(moment), url, mime, status, digest, "2048", kind)


def holdings(cat: Catalogue) -> list[Row]:
    """Every CDX row, sorted as the CDX server sorts them (urlkey, then timestamp)."""
    rows = []
    for entry in cat.reachable():
        seed = int(hashlib.sha256(f"{cat.seed}/{entry.url}".encode()).hexdigest()[:8], 16)
        first = datetime.fromtimestamp(entry.ts, UTC) + timedelta(days=2, hours=seed % 20)
        rows.append(_row(entry.url, first, "page"))
    swept = [d for d in cat.digests if d.real or hash_of(cat.seed, d.url) % 3 == 0]
    sweep = [_row(d.url, SWEEP + timedelta(minutes=7 * n % 600), "page")
             for n, d in enumerate(swept)]
    rows += sweep + _pitfalls(swept, sweep)
    return sorted(rows, key=lambda r: (r.urlkey, r.timestamp))


def hash_of(seed: int, text: str) -> int:
    return int(hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()[:8], 16)


def _pitfalls(swept: list, sweep: list[Row]) -> list[Row]:
    real = next(d for d in swept if d.real)
    others = [d for d in swept if not d.real] or [real]
    at = SWEEP + timedelta(hours=1)
    alias = real.url.replace("https://", "https://www.")
    return [
        next(r for r in sweep if r.original == real.url),  # the same row twice
        _row(real.url, SWEEP + timedelta(hours=8), "revisit", status="-"),
        _row(alias, at, "redirect", status="301", salt="redirect"),
        _row(others[0].url, at + timedelta(hours=2), "block", salt="block"),
        _row(others[1 % len(others)].url, at + timedelta(hours=3), "missing", salt="m"),
        _row(others[2 % len(others)].url, at + timedelta(hours=4), "moved", salt="moved"),
    ]


class Wayback:
    """The CDX API and playback over ``holdings``; ``render(url, at)`` draws a page as it
    was at unix time ``at`` (its relative bylines written against that time)."""

    def __init__(self, cat: Catalogue, render: Callable[[str, float], Response]):
        self.rows = holdings(cat)
        self.render = render
        self.fault: Callable[[str], Response | None] = lambda host: None
        """The answer queued for the next request (mirror.faults.FaultPlan.take)."""
        self.log: list[tuple[float, str, int, str]] = []
        self._lock = threading.Lock()

    def handle(self, path: str, query: str) -> Response:
        """An answer of web.archive.org (``path`` and ``query`` as the real host sees them)."""
        kind = ("robots" if path == "/robots.txt" else "cdx" if path.startswith("/cdx/")
                else "playback")
        answer = self._answer(path, query) if kind == "robots" else (
            self.fault(sites.WAYBACK_HOST) or self._answer(path, query))
        with self._lock:
            self.log.append((time.monotonic(), kind, answer.status,
                             path + (f"?{query}" if query else "")))
        return answer

    def _answer(self, path: str, query: str) -> Response:
        if path == "/robots.txt":
            return Response(200, TEXT, b"User-agent: *\nAllow: /\n")
        if path == "/cdx/search/cdx":
            return self.cdx(parse_qs(query, keep_blank_values=True))
        if path.startswith("/web/"):
            return self.playback(path[len("/web/"):] + (f"?{query}" if query else ""))
        return Response(404, TEXT, b"not found\n")

    def cdx(self, qs: dict[str, list[str]]) -> Response:
        """``/cdx/search/cdx``: url, matchType (exact|prefix), from, to, fl, limit,
        showResumeKey, resumeKey; output=json (the only output served)."""
        arg = lambda name, default="": (qs.get(name) or [default])[0]  # noqa: E731
        key = surt(arg("url"))
        prefix = arg("matchType", "exact") == "prefix"
        start, end = arg("from"), arg("to")
        resume = unquote(arg("resumeKey"))
        rows = [r for r in self.rows
                if (r.urlkey.startswith(key) if prefix else r.urlkey == key)
                and (not start or r.timestamp[:len(start)] >= start)
                and (not end or r.timestamp[:len(end)] <= end)
                and (not resume or f"{r.urlkey} {r.timestamp}" >= resume)]
        fields = [f for f in arg("fl", ",".join(FIELDS)).split(",") if f in FIELDS]
        limit = int(arg("limit", str(DEFAULT_LIMIT)) or DEFAULT_LIMIT)
        page, rest = rows[:limit], rows[limit:]
        out: list[list[str]] = [fields] + [[getattr(r, f) for f in fields] for r in page]
        if arg("showResumeKey") == "true" and rest:
            out += [[], [quote(f"{rest[0].urlkey} {rest[0].timestamp}")]]
        return Response(200, JSON, json.dumps(out if page else []).encode())

    def playback(self, rest: str) -> Response:
        """``/web/<timestamp>id_/<url>``: the capture's raw body, with Memento headers."""
        ts, _, url = rest.partition("/")
        ts = ts.removesuffix("id_")
        mine = [r for r in self.rows if r.original == url]
        row = next((r for r in mine if r.timestamp == ts), None)
        if row is None or row.kind == "missing":
            if row is None and mine:  # the nearest capture, as the Wayback Machine does
                near = min(mine, key=lambda r: abs(int(r.timestamp) - int(ts or 0)))
                return self._moved(near.timestamp, url)
            return Response(404, HTML, NOT_ARCHIVED)
        if row.kind == "moved":
            return self._moved(MOVED_TO, url)
        memento = self._memento(row)
        if row.kind == "redirect":
            target = url.replace("://www.", "://", 1)
            return Response(301, HTML, b"moved", (("Location", target), *memento))
        if row.kind == "block":
            return Response(200, HTML, _CHALLENGE.encode(), memento)
        page = self.render(url, _epoch(row.timestamp))
        return Response(page.status, page.content_type, page.body, page.headers + memento)

    def _moved(self, ts: str, url: str) -> Response:
        location = f"https://{sites.WAYBACK_HOST}/web/{ts}id_/{url}"
        return Response(302, HTML, b"", (("Location", location),))

    def _memento(self, row: Row) -> tuple[tuple[str, str], ...]:
        moment = datetime.strptime(row.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        return (("Memento-Datetime", format_datetime(moment, usegmt=True)),
                ("Link", f'<{row.original}>; rel="original", <https://{sites.WAYBACK_HOST}'
                         f'/web/timemap/link/{row.original}>; rel="timemap"'))

    def truth(self) -> bytes:
        """``/_mirror/wayback.json``: every row with its kind."""
        return json.dumps({"rows": [asdict(r) for r in self.rows]}).encode()

    def requests(self) -> bytes:
        """``/_mirror/wayback/log``: [monotonic time, kind, status, path] of every request
        so far (kind: robots, cdx or playback)."""
        with self._lock:
            return json.dumps(self.log).encode()


def _epoch(ts: str) -> float:
    return datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=UTC).timestamp()
