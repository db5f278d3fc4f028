"""A Common Crawl record fetched with a Range request, checked and kept as a crawled page.

The WARC capture middleware (``pipelines.warc``) hands a request marked
``meta["archive_kind"] == "record"`` here instead of writing the 206 exchange: the answer's
body is one gzip WARC member, the record Common Crawl made when it fetched the page. It
passes the same gate as an imported record (``pipelines.import_decode.gate``: URL policy,
size cap while inflating, payload digest); its WARC-Target-URI must be the URL asked for
(``meta["cc_url"]``). A record that passes is written to our WARC files with its HTTP
headers and raw payload as recorded, and the spider receives the page it records (its
URL, status, headers and decoded body, dated by the record's WARC-Date). One that does not
is written as the 206 exchange it came in, and ``meta["cc_refused"]`` says why.
"""

from __future__ import annotations

import io
from typing import Any

from scrapy import Request
from scrapy.http import Response

from archive.warc import WarcStore
from pipelines.import_decode import Accepted, Refused, gate

REFUSED = "cc_refused"
"""Request meta: (reason, detail) when the record was not kept."""
_DROP = {"content-encoding", "transfer-encoding", "content-length"}
"""Headers that describe the raw payload, not the decoded body the spider receives."""


def unwrap(store: WarcStore, request: Request,
           response: Response) -> tuple[Response, Any | None]:
    """(the response the spider reads, the record reference written for it); None: the
    record was refused, and the caller writes the exchange as received."""
    request.meta.pop(REFUSED, None)  # a retried request carries its first answer's meta
    verdict = judge(response, request.meta.get("cc_url"))
    if not isinstance(verdict, Accepted):
        request.meta[REFUSED] = verdict
        return response, None
    ref = store.write_imported(verdict.type, verdict.url, verdict.date, verdict.http_headers,
                               verdict.raw, verdict.content_type)
    headers = [(k, v) for k, v in (verdict.http_headers.headers if verdict.http_headers else [])
               if k.lower() not in _DROP]
    page = Response(verdict.url, status=verdict.status or 200, headers=headers,
                    body=verdict.payload, request=request)
    return page, ref


def judge(response: Response, wanted: str | None) -> Accepted | Refused:
    """The record in a Range answer, judged; Refused when there is none or it is not ours."""
    if response.status != 206:
        return Refused("no_record", f"HTTP {response.status} for a record")
    from warcio.archiveiterator import ArchiveIterator

    try:
        record = next(iter(ArchiveIterator(io.BytesIO(response.body))), None)
        if record is None:
            return Refused("no_record", "the answer holds no WARC record")
        verdict = gate(record)
    except Exception as exc:  # noqa: BLE001 (a broken member is refused, never raised)
        return Refused("unreadable", f"{type(exc).__name__}: {exc}"[:200])
    if not isinstance(verdict, Accepted):
        return verdict if isinstance(verdict, Refused) else Refused("no_record", verdict.reason)
    if wanted and verdict.url != wanted:
        return Refused("wrong_target", f"the record is of {verdict.url}, not {wanted}")
    return verdict
