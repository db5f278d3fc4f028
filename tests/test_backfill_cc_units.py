"""Common Crawl parts without a network: the collection list, index answers and their
ends, Range headers, resume keys, where a linked page is looked up, charsets, CloudFront
refusals, and a record judged (kept, of another URL, damaged)."""

from __future__ import annotations

import io
import json

from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import commoncrawl as cc
from crawler import settings
from crawler.archive_limiter import cloudfront_refusal
from pipelines.commoncrawl_record import judge
from tests.support import run_cli

COLLINFO = json.dumps([
    {"id": "CC-MAIN-2023-14", "cdx-api": "https://index.commoncrawl.org/CC-MAIN-2023-14-index",
     "from": "2023-03-20T00:00:00", "to": "2023-04-02T23:59:59"},
    {"id": "CC-MAIN-2023-06", "cdx-api": "https://index.commoncrawl.org/CC-MAIN-2023-06-index",
     "from": "2023-01-26T00:00:00", "to": "2023-02-09T23:59:59"},
    {"id": "CC-MAIN-2022-49", "cdx-api": "https://index.commoncrawl.org/CC-MAIN-2022-49-index",
     "from": "2022-11-26T00:00:00", "to": "2022-12-10T23:59:59"},
]).encode()
URL = "https://foresightnews.pro/article/detail/1"


def test_the_polite_defaults():
    assert settings.CC_INDEX_PER_MINUTE <= 20 and settings.CC_RECORDS_PER_SECOND <= 1


def test_collections_oldest_first_and_chosen_by_window_or_name():
    colls = cc.parse_collinfo(COLLINFO)
    assert [c.id for c in colls] == ["CC-MAIN-2022-49", "CC-MAIN-2023-06", "CC-MAIN-2023-14"]
    assert colls[0].start == "20221126000000" and colls[0].end == "20221210235959"
    assert [c.id for c in cc.choose(colls, "20230201000000", "20230325000000")] == \
        ["CC-MAIN-2023-06", "CC-MAIN-2023-14"]
    assert cc.choose(colls, "20230301000000", "20230308235959") == []  # between two crawls
    assert [c.id for c in cc.choose(colls, None, None, ("CC-MAIN-2022-49",))] == ["CC-MAIN-2022-49"]


def test_an_index_query_and_its_rows():
    coll = cc.parse_collinfo(COLLINFO)[2]
    url = cc.index_query(coll, "foresightnews.pro/article/detail/", prefix=True,
                      since="20230320", until="20230402", page=3)
    assert url.startswith("https://index.commoncrawl.org/CC-MAIN-2023-14-index?url=")
    assert "output=json" in url and "matchType=prefix" in url and "page=3" in url
    body = (json.dumps({"urlkey": "x", "timestamp": "20230321000000", "url": URL,
                        "status": "200", "mime": "text/html", "filename": "crawl-data/a.warc.gz",
                        "offset": "100", "length": "50", "encoding": "GB18030"}) + "\n\n").encode()
    row = cc.parse_index(body, coll.id)[0]
    assert (row.offset, row.length, row.encoding, row.collection) == (100, 50, "GB18030", coll.id)
    assert cc.range_header(row) == "bytes=100-149"
    assert cc.record_url(row) == "https://data.commoncrawl.org/crawl-data/a.warc.gz"


def test_the_ends_of_results():
    assert cc.end_of_results(404, b"No Captures found for: https://x/")
    assert cc.end_of_results(400, b'{"message": "Page 3 invalid: First Page is 0"}')
    assert not cc.end_of_results(404, b"<html>Not Found</html>")  # a CloudFront 404 is no end
    assert not cc.end_of_results(503, b"busy")


def test_resume_keys_name_a_collection_and_a_page():
    colls = cc.parse_collinfo(COLLINFO)
    assert cc.parse_resume("CC-MAIN-2023-06 4", colls) == (1, 4)
    assert cc.parse_resume("CC-MAIN-2019-01 4", colls) == (0, 0)  # not one of ours: start over
    assert cc.parse_resume(None, colls) == (0, 0)


def test_a_linked_page_is_looked_up_nearest_first_later_before_earlier():
    colls = cc.parse_collinfo(COLLINFO)
    order = cc.lookup_order(colls, "20230301000000", 2)
    assert [c.id for c in order] == ["CC-MAIN-2023-14", "CC-MAIN-2023-06"]
    assert cc.lookup_order(colls, "20230125000000", 1)[0].id == "CC-MAIN-2023-06"


def test_the_charset_comes_from_the_header_else_the_index():
    row = cc.CcRow(URL, "20230321000000", "200", "text/html", "f", 0, 1, encoding="GB18030")
    assert cc.row_charset("utf-8", row) == "utf-8"
    assert cc.row_charset(None, row) == "GB18030"


def test_cloudfront_4xx_is_backed_off_the_index_own_answers_are_not():
    request = Request("https://data.commoncrawl.org/x")
    cloudfront = Response(request.url, status=403, request=request,
                          headers={"X-Cache": "Error from cloudfront"})
    assert cloudfront_refusal(cloudfront)
    assert not cloudfront_refusal(Response(request.url, status=403, request=request))
    assert not cloudfront_refusal(Response(request.url, status=404, request=request,
                                           headers={"Server": "CloudFront"}))


def _member(url: str, body: bytes, damage: bool = False) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                       length=len(body), http_headers=http,
                                       warc_headers_dict={"WARC-Date": "2023-03-21T00:00:00Z"})
    if damage:
        record.rec_headers.replace_header("WARC-Payload-Digest", "sha1:" + "A" * 32)
    writer.write_record(record)
    return out.getvalue()


def _answer(member: bytes, status: int = 206) -> Response:
    request = Request("https://data.commoncrawl.org/x", headers={"Range": "bytes=0-9"})
    return Response(request.url, status=status, body=member, request=request)


def test_a_record_is_kept_only_when_it_is_the_url_asked_for_and_whole():
    body = "<html><body>你好</body></html>".encode()
    kept = judge(_answer(_member(URL, body)), URL)
    assert kept.url == URL and kept.payload == body and kept.date == "2023-03-21T00:00:00Z"
    other = judge(_answer(_member(URL.replace("/1", "/2"), body)), URL)
    assert other.reason == "wrong_target"
    assert judge(_answer(_member(URL, body, damage=True)), URL).reason == "bad_digest"
    assert judge(_answer(b"not gzip at all"), URL).reason in ("unreadable", "no_record")
    assert judge(_answer(_member(URL, body), status=200), URL).reason == "no_record"


def test_collections_are_for_common_crawl_only(tmp_path):
    result = run_cli("backfill", "--from", "wayback", "--collection", "CC-MAIN-2023-14",
                     "--db", str(tmp_path / "a.db"))
    assert result.returncode == 2 and "only Common Crawl" in result.stderr
