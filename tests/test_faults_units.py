"""Fault modes read without a crawl: encodings (catalogue 20-22), the seeded mix, safety rules."""

from __future__ import annotations

import pytest

from crawler.parsers import parse_page
from crawler.parsers.document import decode_bytes_as
from crawler.parsers.errors import BadEncoding
from crawler.safety import UnsafeUrl, check_addresses, check_url, is_public
from crawler.sites import MIRRORED_HOSTS
from mirror.faults import HEALTHY, MIXED, FaultPlan
from mirror.routes import Mirror


@pytest.fixture(scope="module")
def mirror():
    app = Mirror(1, 5)
    art = next(e for e in app.catalogue.articles if e.site == "8btc" and not e.deleted)
    return app, art


def serve(mirror, mode):
    app, art = mirror
    response = app.handle(f"/www.8btc.com/article/{art.id}?_fault={mode}")
    return response.body, response.content_type.partition("charset=")[2] or None


@pytest.mark.parametrize("mode", ["gbk_header", "gbk_meta", "gbk_none", "gbk_conflict",
                                  "gb18030_as_gb2312", "big5_header", "big5_conflict",
                                  "latin1_header"])
def test_wrong_or_missing_charset_still_decodes_to_the_golden_title(mirror, mode):
    body, header = serve(mirror, mode)
    text, _ = decode_bytes_as(body, header, chinese=True)
    page = parse_page(text, f"https://www.8btc.com/article/{mirror[1].id}")
    assert page.title == mirror[1].title and "\ufffd" not in page.text


def test_header_utf8_over_gbk_body_is_what_scrapy_gets_wrong(mirror):
    body, header = serve(mirror, "gbk_conflict")
    assert header == "utf-8" and body.decode("utf-8", "replace").count("\ufffd") > 20


def test_gb18030_only_characters_under_a_gb2312_label():
    body = '<meta charset="gb2312"><p>𠀀€</p>'.encode("gb18030")
    assert decode_bytes_as(body)[0].endswith("𠀀€</p>")


def test_chinese_decoding_to_latin1_is_refused(mirror):
    body, header = serve(mirror, "mojibake")
    with pytest.raises(BadEncoding):
        decode_bytes_as(body, header, chinese=True)
    assert decode_bytes_as(body, header)[1] == "utf-8"  # not a Chinese source: left alone


def test_the_mix_is_seeded_and_near_its_rate(mirror):
    app = mirror[0]
    urls = [e.url for e in app.catalogue.articles]
    plan = FaultPlan(0.2, 7, eligible=lambda url: True)
    picks = [plan.pick(u) for u in urls]
    assert picks == [FaultPlan(0.2, 7, eligible=lambda url: True).pick(u) for u in urls]
    assert 0.1 < sum(p is not None for p in picks) / len(urls) < 0.3
    assert picks != [FaultPlan(0.2, 8, eligible=lambda url: True).pick(u) for u in urls]
    assert set(HEALTHY) <= set(MIXED)


def test_only_articles_are_faulted_at_random():
    app = Mirror(1, 5, faults=FaultPlan(1.0, 1))
    assert all(app.faults.pick(d.url) is None for d in app.catalogue.digests)
    assert all(app.faults.pick(a.url) for a in app.catalogue.articles if a.kind == "article")


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "data:text/html,x", "ftp://www.8btc.com/x", "s3://b/k",
    "javascript:alert(1)", "http://127.0.0.1/", "http://localhost/", "http://2130706433/",
    "http://0x7f000001/", "http://0177.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://10.0.0.1/", "http://192.168.1.1/", "http://169.254.169.254/", "http://0.0.0.0/",
    "http://www.8btc.com@evil.example.com/", "https://www.8btc.com:8443/x",
    "https://www.8btc.com.evil.example.com/", "https://evil8btc.com/",
])
def test_request_policy_refuses(url):
    with pytest.raises(UnsafeUrl):
        check_url(url, frozenset(MIRRORED_HOSTS))


def test_request_policy_allows_the_sites():
    for host in MIRRORED_HOSTS:
        check_url(f"https://{host}/x?y=1", frozenset(MIRRORED_HOSTS))


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254",
                                     "::1", "::ffff:127.0.0.1", "fe80::1%eth0", "0.0.0.0",
                                     "100.64.0.1", "224.0.0.1"])
def test_known_host_resolving_inside_is_refused(address):
    assert not is_public(address)
    with pytest.raises(UnsafeUrl):
        check_addresses("www.8btc.com", ["47.75.1.1", address])


def test_known_host_resolving_outside_is_allowed():
    check_addresses("www.8btc.com", ["47.75.1.1", "2606:4700::1"])
