"""The offline mirror (mirror): content model, truth, listings, routes, HTTP server.

Everything runs against 127.0.0.1 or in-process; nothing touches the network.
"""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import re
import urllib.request
import zlib
from collections import Counter
from urllib.parse import urlsplit

import pytest

from crawler import sites
from mirror import start_mirror, truth
from mirror.blocks import Block, body_images, body_text, collapse, para
from mirror.routes import Mirror
from mirror.server import accepts_gzip

REAL = "https://foresightnews.pro/article/detail/26503"
REAL_RECS = (
    "https://www.8btc.com/article/6807648",
    "https://www.8btc.com/article/6807594",
    "https://www.8btc.com/article/6807678",
)


@pytest.fixture(scope="module")
def mirror() -> Mirror:
    return Mirror(seed=1, scale=20)


@pytest.fixture(scope="module")
def truth20(mirror: Mirror) -> dict:
    return truth.build(mirror.catalogue)


def get(m: Mirror, target: str):
    """(status, headers dict, body bytes) of an in-process request."""
    r = m.handle(target)
    return r.status, dict(r.headers), r.body


def local(url: str) -> str:
    """The mirror request target of a real URL."""
    p = urlsplit(url)
    return f"/{p.hostname}{p.path}" + (f"?{p.query}" if p.query else "")


def decode_foresight(body: bytes) -> list:
    data = json.loads(body)["data"]
    assert "=" not in data
    return json.loads(zlib.decompress(base64.b64decode(data + "=" * (-len(data) % 4))))


# --- determinism -----------------------------------------------------------------------------


def _fingerprint(m: Mirror) -> list[bytes]:
    out = [m.handle(local(e.url)).body for e in m.catalogue.reachable()]
    out.append(b"".join(m.truth_stream()))
    out.append(m.handle("/api.foresightnews.pro/v1/articles?column_id=1154&page=1&size=50").body)
    out.append(m.handle("/webapi.8btc.com/bbt_api/news/list?num=50&page=1").body)
    return out


def test_same_seed_gives_identical_bytes():
    assert _fingerprint(Mirror(3, 12)) == _fingerprint(Mirror(3, 12))


def test_different_seeds_differ():
    a, b = Mirror(1, 12), Mirror(2, 12)
    assert truth.build(a.catalogue)["pages"] != truth.build(b.catalogue)["pages"]
    assert _fingerprint(a)[-1] != _fingerprint(b)[-1]


# --- truth -----------------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1, 2, 7])
def test_scale_n_gives_n_digests(scale: int):
    t = truth.build(Mirror(5, scale).catalogue)
    assert (t["seed"], t["scale"], t["real_digest"]) == (5, scale, REAL)
    kinds = Counter(p["kind"] for p in t["pages"].values())
    assert kinds["digest"] == scale
    assert t["pages"][REAL]["kind"] == "digest"


def test_real_digest_truth(truth20: dict):
    d = truth20["pages"][REAL]
    assert d["published_at"] == "2023-03-07T16:02:00Z"
    assert d["title"].startswith("巴比特 | 元宇宙每日必读：")
    assert d["summary"].startswith("证监会科技监管局局长姚前撰文称") and d["summary"].endswith(
        "（中国金融杂志）"
    )
    assert len(d["items"]) == 5
    assert [i["event_date"] for i in d["items"]] == ["2023-03-07"] * 4 + [None]
    assert [i["attribution"] for i in d["items"]] == [
        None,
        "新浪科技",
        "福布斯",
        None,
        "Thebigwhale",
    ]
    assert d["items"][0]["headline"] == "苹果新专利：通过对象检测算法为用户提供定制虚拟化身服务"
    assert d["items"][0]["text"].count("\n") == 1
    assert [r["url"] for r in d["recommendations"]] == list(REAL_RECS)
    assert d["recommendations"][0]["title"] == "姚前：ChatGPT 类大模型训练数据的托管与治理"
    assert all(r["blurb"] for r in d["recommendations"])
    dumped = json.dumps(d, ensure_ascii=False)
    for footer in ("园区", "推特", "twitter", "t.me", "图片来源"):
        assert footer not in dumped


def test_real_recommended_articles_are_served(truth20: dict):
    digest = truth20["pages"][REAL]
    for rec in digest["recommendations"]:
        art = truth20["pages"][rec["url"]]
        assert art["kind"] == "article" and art["title"] == rec["title"]
        assert art["text"].split("\n")[0] == rec["blurb"]
        assert art["published_at"][:10] in ("2023-03-06", "2023-03-07")


def test_every_recommendation_is_a_truth_page(truth20: dict):
    recs = [
        r for p in truth20["pages"].values() if p["kind"] == "digest" for r in p["recommendations"]
    ]
    assert len(recs) >= 20
    for rec in recs:
        assert sites.canonical_url(rec["url"]) in truth20["pages"]


def test_truth_objects_have_every_field(truth20: dict):
    digest_keys = {"kind", "url", "title", "published_at", "summary", "items", "recommendations"}
    article_keys = {"kind", "url", "canonical_url", "title", "author", "published_at", "summary"}
    article_keys |= {"text", "tags", "images"}
    for url, page in truth20["pages"].items():
        if page["kind"] == "not_found":
            assert page["status"] in (200, 404)
            continue
        assert set(page) == (digest_keys if page["kind"] == "digest" else article_keys)
        # An instant, or a calendar date where the page shows only a relative day (N天前)
        assert page["url"] == url and page["title"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?", page["published_at"])
        assert "" not in (page.get("summary"), page.get("author"))
        if page["kind"] == "article":
            assert page["text"] and all(i.startswith("https://") for i in page["images"])


def test_complete_crawl_reaches_exactly_the_truth(mirror: Mirror, truth20: dict):
    seen: set[str] = set()
    for column in sites.FORESIGHT_DEFAULT_COLUMNS:
        page = 1
        while posts := decode_foresight(
            get(mirror, local(sites.foresight_column_url(column, page)))[2]
        ):
            seen |= {sites.foresight_detail_url(p["id"]) for p in posts}
            page += 1
    page = 1
    while rows := json.loads(get(mirror, local(sites.eightbtc_list_url(page)))[2])["data"]["list"]:
        seen |= {sites.eightbtc_article_url(r["id"]) for r in rows}
        page += 1
    digests = [p for p in truth20["pages"].values() if p["kind"] == "digest"]
    seen |= {sites.canonical_url(r["url"]) for d in digests for r in d["recommendations"]}
    assert seen == set(truth20["pages"])


def test_hard_cases_are_generated():
    t = truth.build(Mirror(1, 60).catalogue)["pages"]
    digests = [p for p in t.values() if p["kind"] == "digest"]
    items = [i for d in digests for i in d["items"]]
    recs = [r for d in digests for r in d["recommendations"]]
    assert any(
        i["event_date"] and i["event_date"].endswith("12-31")
        for d in digests
        if d["published_at"][5:10] in ("12-31", "01-01")
        for i in d["items"]
    )
    assert {None} < {i["event_date"] for i in items} and {None} < {i["attribution"] for i in items}
    assert any("\n" in i["text"] for i in items)
    assert any(d["summary"] is None for d in digests)
    assert any(r["url"].startswith("http://") for r in recs)
    assert any("m.8btc.com" in r["url"] and "utm_source" in r["url"] for r in recs)
    assert any(r["blurb"] and "\n" in r["blurb"] for r in recs)
    statuses = Counter(p.get("status") for p in t.values() if p["kind"] == "not_found")
    assert statuses[200] >= 1
    articles = [p for p in t.values() if p["kind"] == "article"]
    assert any(p["author"] is None for p in articles) and any(
        p["summary"] is None for p in articles
    )
    assert any(p["tags"] == [] for p in articles) and any(
        p["published_at"][-4:] != ":00Z" for p in articles
    )


# --- text rules on the model -----------------------------------------------------------------


def test_text_rules():
    assert collapse("  3 月 7 日\u3000消息\u00a0\n ok ") == "3 月 7 日 消息 ok"
    blocks = (
        para("\u3000\u3000正文第一段。"),
        Block("spacer"),
        para("图片来源：由无界AI生成"),
        Block("img", src="//cdn.8btc.com/a.jpg"),
        Block("figure", src="https://cdn.8btc.com/a.jpg", caption="示意图"),
        para("本文由作者授权巴比特发布。"),
        para("第二段"),
    )
    assert body_text(blocks) == "正文第一段。\n第二段"
    assert body_images(blocks, "https://www.8btc.com/article/1") == ["https://cdn.8btc.com/a.jpg"]


# --- listing APIs ----------------------------------------------------------------------------


def test_foresight_envelope_and_pagination(mirror: Mirror):
    target = "/api.foresightnews.pro/v1/articles?column_id=1154&page={}&size=7"
    status, headers, body = get(mirror, target.format(1))
    envelope = json.loads(body)
    assert status == 200 and envelope["code"] == 1 and envelope["msg"] == "success"
    posts = decode_foresight(body)
    assert posts[0]["id"] == 26503 and posts[0]["content"] == ""
    assert {
        "id",
        "title",
        "brief",
        "img",
        "column",
        "author",
        "tags",
        "published_at",
        "last_update_at",
        "is_hot",
        "is_important",
        "favorited",
        "source_link",
    } <= set(posts[0])
    assert posts[0]["column"]["id"] == 1154 and posts[0]["img"].startswith(
        "https://img.foresightnews.pro/"
    )
    page, everything = 1, []
    while batch := decode_foresight(get(mirror, target.format(page))[2]):
        everything += batch
        page += 1
    times = [p["published_at"] for p in everything]
    foresight_digests = [d for d in mirror.catalogue.digests if d.site == "foresight"]
    assert times == sorted(times, reverse=True) and len(everything) == len(foresight_digests)
    same = get(mirror, "/foresightnews.pro/v1/articles?column_id=1154&page=1&size=7")[2]
    assert same == body


def test_foresight_api_edges(mirror: Mirror):
    base = "/api.foresightnews.pro/v1/articles?"
    for query in (
        "column_id=1154&page=1",
        "column_id=x&page=1&size=5",
        "column_id=1&page=0&size=5",
    ):
        status, _, body = get(mirror, base + query)
        assert status == 200 and json.loads(body) == {
            "code": 0,
            "msg": "invalid params",
            "data": None,
        }
    assert decode_foresight(get(mirror, base + "column_id=999&page=1&size=5")[2]) == []
    in_column = sum(d.site == "foresight" for d in mirror.catalogue.digests)
    assert (
        len(decode_foresight(get(mirror, base + "column_id=1154&page=1&size=500")[2])) == in_column
    )
    assert (
        len(decode_foresight(Mirror(1, 120).handle(base + "column_id=1154&page=1&size=500").body))
        == 50
    )


def test_8btc_list_paginates_with_string_dates(mirror: Mirror):
    rows, page = [], 1
    while batch := json.loads(
        get(mirror, f"/webapi.8btc.com/bbt_api/news/list?num=20&page={page}")[2]
    ):
        assert batch["code"] == 0
        if not batch["data"]["list"]:
            break
        rows += batch["data"]["list"]
        page += 1
    assert len(rows) == batch["data"]["total"]
    assert any(isinstance(r["post_date"], str) and r["post_date"].isdigit() for r in rows)
    dates = [int(r["post_date"]) for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert {"id", "title", "desc", "image", "post_date_format", "author_info", "source"} <= set(
        rows[0]
    )
    assert rows[0]["author_info"]["display_name"]
    capped = json.loads(get(mirror, "/webapi.8btc.com/bbt_api/news/list?num=500&page=1")[2])
    assert len(capped["data"]["list"]) == 50


# --- pages and routes ------------------------------------------------------------------------


def test_soft_and_hard_404(mirror: Mirror, truth20: dict):
    deleted = [u for u, p in truth20["pages"].items() if p["kind"] == "not_found"]
    assert deleted and truth20["pages"][deleted[0]]["status"] == 200
    status, _, body = get(mirror, local(deleted[0]))
    text = body.decode()
    assert status == 200 and "页面不存在" in text and "404" in text and "main__header" not in text
    status, _, body = get(mirror, "/www.8btc.com/article/1")
    assert status == 404 and "页面不存在" in body.decode() and "main__header" not in body.decode()
    assert get(mirror, "/foresightnews.pro/article/detail/5")[0] == 404
    assert get(mirror, "/www.8btc.com/no/such/path")[0] == 404
    assert get(mirror, "/example.com/article/1")[0] == 404


def test_redirects_to_the_real_www_host(mirror: Mirror):
    for target in (
        "/m.8btc.com/article/6807648?utm_source=foresight",
        "/8btc.com/article/6807648",
        "/www.8btc.com/media/6807648",
    ):
        status, headers, _ = get(mirror, target)
        assert status == 301 and headers["Location"] == "https://www.8btc.com/article/6807648"


def test_foresight_detail_aliases(mirror: Mirror):
    page = get(mirror, "/foresightnews.pro/article/detail/26503")[2]
    for host in ("a", "d", "s"):
        assert get(mirror, f"/{host}.foresightnews.pro/article/detail/26503")[2] == page
    assert get(mirror, "/foresightnews.pro/foresightnews/article/detail/26503")[2] == page
    assert get(mirror, "https://foresightnews.pro/article/detail/26503")[2] == page


def test_robots_for_every_host(mirror: Mirror):
    for host in sites.MIRRORED_HOSTS:
        status, headers, body = get(mirror, f"/{host}/robots.txt")
        assert status == 200 and body.startswith(b"User-agent: *")
        assert headers == {} and mirror.handle(f"/{host}/robots.txt").content_type.startswith(
            "text/plain"
        )


def test_index(mirror: Mirror):
    index = json.loads(get(mirror, "/_mirror/")[2])
    assert (
        index["real_digest"] == REAL and index["scale"] == 20 and index["counts"]["digests"] == 20
    )
    assert set(index["hosts"]) == set(sites.MIRRORED_HOSTS)


def test_pages_carry_only_real_urls(mirror: Mirror):
    for entry in mirror.catalogue.reachable()[:40]:
        html = mirror.handle(local(entry.url)).body.decode()
        assert "127.0.0.1" not in html and "localhost" not in html


# --- HTTP ------------------------------------------------------------------------------------


def test_accepts_gzip():
    assert (
        accepts_gzip("gzip, deflate") and accepts_gzip("br;q=1, gzip;q=0.5") and accepts_gzip("*")
    )
    assert not accepts_gzip(None) and not accepts_gzip("gzip;q=0") and not accepts_gzip("identity")


def test_http_server_answers_with_gzip_and_keepalive():
    with start_mirror(seed=1, scale=4, port=0) as handle:
        assert handle.url.startswith("http://127.0.0.1:") and handle.real_digest_url == REAL
        req = urllib.request.Request(handle.url + "/_mirror/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as resp:
            assert resp.headers["Content-Encoding"] == "gzip"
            assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
            raw = resp.read()
            assert int(resp.headers["Content-Length"]) == len(raw)
        assert json.loads(gzip.decompress(raw))["scale"] == 4
        conn = http.client.HTTPConnection("127.0.0.1", handle.port, timeout=5)
        for target in (
            "/foresightnews.pro/article/detail/26503",
            "/m.8btc.com/article/6807648",
            "/www.8btc.com/article/1",
        ):
            conn.request("GET", target)
            resp = conn.getresponse()
            body = resp.read()
            assert resp.version == 11 and not resp.will_close
            assert int(resp.getheader("Content-Length")) == len(body)
        assert resp.status == 404 and resp.getheader("Content-Type") == "text/html; charset=utf-8"
        conn.request("HEAD", "/www.8btc.com/article/6807648")
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read() == b""
        conn.close()


def test_truth_json_streams_over_http():
    with start_mirror(seed=2, scale=3) as handle:
        conn = http.client.HTTPConnection("127.0.0.1", handle.port, timeout=10)
        conn.request("GET", "/_mirror/truth.json", headers={"Accept-Encoding": "gzip"})
        resp = conn.getresponse()
        assert resp.getheader("Transfer-Encoding") == "chunked"
        streamed = json.loads(gzip.decompress(resp.read()))
        conn.close()
        assert streamed == truth.build(handle.app.catalogue)
