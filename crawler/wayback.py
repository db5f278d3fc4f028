"""The Wayback Machine as a backfill reads it: CDX queries, rows, playback URLs and checks.

Pure functions (no Scrapy): the spider (``crawler.wayback_spider``) builds its requests and
judges its answers with them. Real endpoints: ``https://web.archive.org/cdx/search/cdx``
(CDX server API) and ``https://web.archive.org/web/<timestamp>id_/<url>`` (the capture's
raw body, without the Wayback toolbar or rewritten links).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

from crawler.sites import WAYBACK_HOST

CDX_URL = f"https://{WAYBACK_HOST}/cdx/search/cdx"
CDX_FIELDS = "urlkey,timestamp,original,mimetype,statuscode,digest"
"""``urlkey`` stays in ``fl``: the CDX server needs it to hand out resume keys."""
PREFIXES = {"foresight": "foresightnews.pro/article/detail/", "8btc": "www.8btc.com/article/"}
"""What a backfill lists per source: the detail pages (digests and articles)."""
READABLE = ("200", "-")
"""Row statuses whose playback holds the page: 200, and revisits (``-``: the payload is
an earlier capture's). A ``statuscode:200`` filter would drop the revisits."""


@dataclass(frozen=True, slots=True)
class CdxRow:
    """One CDX row (the fields of ``CDX_FIELDS``)."""

    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str
    digest: str

    @property
    def key(self) -> tuple[str, str]:
        """What makes a row one capture: a duplicate row has the same key."""
        return (self.original, self.timestamp)


def cdx_query(url: str, *, prefix: bool, since: str | None = None, until: str | None = None,
              resume_key: str | None = None, limit: int = 500) -> str:
    """The CDX API URL listing captures of ``url`` (all under it with ``prefix``)."""
    params = {"url": url, "output": "json", "fl": CDX_FIELDS, "limit": str(limit)}
    if prefix:
        params.update(matchType="prefix", showResumeKey="true")
    if since:
        params["from"] = since
    if until:
        params["to"] = until
    if resume_key:
        params["resumeKey"] = resume_key
    return f"{CDX_URL}?{urlencode(params)}"


def parse_cdx(body: bytes) -> tuple[list[CdxRow], str | None]:
    """The rows of a CDX JSON answer and its resume key (None: the listing ended).
    Raises ValueError on an answer that is not a CDX JSON table."""
    table = json.loads(body.decode("utf-8") or "[]")
    if not isinstance(table, list):
        raise ValueError("a CDX answer is a JSON list")
    if not table:
        return [], None
    header, rest = table[0], table[1:]
    resume = None
    if len(rest) >= 2 and rest[-2] == []:
        resume, rest = rest[-1][0], rest[:-2]
    index = {name: n for n, name in enumerate(header)}
    rows = [CdxRow(**{f: r[index[f]] for f in CDX_FIELDS.split(",")}) for r in rest if r]
    return rows, resume


def playback_url(row: CdxRow) -> str:
    """The ``id_`` playback of a row: the body as archived, nothing rewritten."""
    return f"https://{WAYBACK_HOST}/web/{row.timestamp}id_/{row.original}"


def is_playback(url: str) -> bool:
    """True for a Wayback playback URL (where an archive redirect points)."""
    return url.startswith((f"https://{WAYBACK_HOST}/web/", f"http://{WAYBACK_HOST}/web/"))


def iso(timestamp: str) -> str:
    """A 14-digit CDX timestamp as ISO UTC ``...Z``."""
    moment = datetime.strptime(timestamp.ljust(14, "0"), "%Y%m%d%H%M%S")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(iso_utc: str) -> str:
    """An ISO UTC time as a 14-digit CDX timestamp."""
    moment = datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone(UTC)
    return moment.strftime("%Y%m%d%H%M%S")


def memento_problem(row: CdxRow, memento: str | None, link: str | None) -> str | None:
    """Why a playback is not the row's capture (another time or another URL), or None.

    The Wayback Machine answers a timestamp it does not hold with the nearest capture,
    which may be months away: ``Memento-Datetime`` must be the row's time, and the
    ``rel="original"`` link, when given, the row's URL."""
    if memento:
        try:
            served = parsedate_to_datetime(memento).astimezone(UTC).strftime("%Y%m%d%H%M%S")
        except (TypeError, ValueError):
            return f"unreadable Memento-Datetime {memento!r}"
        if served != row.timestamp:
            return f"playback served the capture of {served}, not {row.timestamp}"
    if link and f"<{row.original}>" not in link:
        return f"playback served another URL than {row.original}"
    return None


def nearest_row(rows: list[CdxRow], after: str | None) -> CdxRow | None:
    """The readable capture to fetch for a linked page: the first at or after ``after``
    (the linking digest's capture), else the last before it."""
    readable = sorted((r for r in rows if r.statuscode in READABLE), key=lambda r: r.timestamp)
    if not readable:
        return None
    later = [r for r in readable if after is None or r.timestamp >= after]
    return later[0] if later else readable[-1]
