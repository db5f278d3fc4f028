"""pipelines.offline: a WARC record is read as the crawl read the response it holds."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from archive.warc import Exchange, WarcStore, read_record
from crawler.items import Article, Capture, Digest
from crawler.sites import eightbtc_list_url
from pipelines.offline import OfflineChain, response_from_record

FIXTURES = Path(__file__).parent / "fixtures"
DATE = "2026-11-28T10:00:00Z"
HTML = "text/html; charset=utf-8"


def fixture(case: str) -> tuple[bytes, str]:
    """A parser fixture's page and the URL it is read at."""
    path = FIXTURES / f"{case}.html"
    return path.read_bytes(), json.loads(path.with_suffix(".json").read_text())["url"]


def big5_page(case: str) -> bytes:
    """A page in Big5 with its own declaration taken out: read right only with the charset
    the header names (without it, the bytes decode as GB18030 without an error)."""
    body, _ = fixture(case)
    text = body.decode("utf-8")
    for declaration in ('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                        'content="text/html; charset=utf-8">'):
        text = text.replace(declaration, "")
    return text.encode("big5")


def exchanges() -> list[tuple[Exchange, int]]:
    """(exchange, the status its capture has): pages, a page of another status, a listing
    answer, bodies with odd or missing Content-Type headers."""
    article, article_url = fixture("8btc/article-2024")
    digest, digest_url = fixture("foresight/real-digest")
    missing, missing_url = fixture("8btc/not-found")
    _, hant_url = fixture("8btc/article-zhhant-2018")
    cases = [
        (article, article_url, [("Content-Type", HTML), ("Content-Encoding", "gzip")], 200),
        (digest, digest_url, [("Content-Type", HTML)], 200),
        (digest, digest_url + "?as=xhtml", [("Content-Type", "application/xhtml+xml")], 200),
        (article, article_url + "?no-type", [], 200),
        (big5_page("8btc/article-zhhant-2018"), hant_url + "?big5",
         [("Content-Type", "text/html"), ("Content-Type", "text/html; charset=Big5")], 200),
        (missing, missing_url, [("Content-Type", HTML)], 404),
        (missing, missing_url + "?soft-404", [("Content-Type", HTML)], 200),
        (article, article_url + "?as-text", [("Content-Type", "text/plain")], 200),
        (b'{"code": 1, "data": {"list": []}}', eightbtc_list_url(1),
         [("Content-Type", "application/json")], 200),
    ]
    out = []
    for i, (page, url, headers, status) in enumerate(cases):
        body = page + f"<!-- {i} -->".encode()  # no payload seen before: no revisit record
        if ("Content-Encoding", "gzip") in headers:
            body = gzip.compress(body)
        out.append((Exchange(url=url, status=status, date=DATE, headers=headers, body=body),
                    status))
    return out


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    folder = tmp_path_factory.mktemp("warc")
    store = WarcStore(folder, "t")
    refs = [(store.write_exchange(exchange), exchange, status)
            for exchange, status in exchanges()]
    refs.append((store.write_resource(*fixture("8btc/article-2024")[::-1], "text/html", DATE),
                 None, 200))
    store.close()
    return [(read_record(folder, ref.file, ref.offset, ref.length), status)
            for ref, _, status in refs]


def capture_of(record, status: int) -> Capture:
    return Capture(url=record.url, final_url=record.url, status=status, fetched_at=DATE)


def test_a_record_is_read_without_a_response_as_through_one(records):
    chain = OfflineChain(None, run_id=None)
    kinds = []
    for record, status in records:
        capture = capture_of(record, status)
        through_response = chain.read(response_from_record(record, record.url), capture)
        assert chain.read_record(record, capture, record.url) == through_response, record.url
        kinds.append(type(through_response).__name__ if isinstance(
            through_response, (Article, Digest)) else through_response.page_kind)
    # every branch is taken: pages of each kind, a page that does not read, a 404, a
    # body that is no HTML, a listing, a resource record
    assert kinds == ["Article", "Digest", "Digest", "Article", "Article", None, "not_found",
                     None, "listing", "Article"]


def test_the_header_charset_is_the_hint_a_page_without_a_declaration_needs(records):
    """The last Content-Type header names the charset, as Scrapy's headers give it."""
    chain = OfflineChain(None, run_id=None)
    big5 = next(r for r, _ in records if r.url.endswith("?big5"))
    expected = json.loads((FIXTURES / "8btc/article-zhhant-2018.json").read_text())
    assert chain.read_record(big5, capture_of(big5, 200)).title == expected["title"]
