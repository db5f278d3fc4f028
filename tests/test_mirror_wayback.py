"""The mirror's Wayback Machine (mirror.wayback): CDX rows with resume keys, id_ playback
with Memento headers, the archives' pitfalls, and 429/503 on demand."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlencode

import pytest

from mirror.routes import Mirror

PREFIX = "foresightnews.pro/article/detail/"


@pytest.fixture(scope="module")
def app():
    return Mirror(seed=7, scale=20)


def cdx(app, **params):
    query = urlencode({"output": "json", **params})
    response = app.handle(f"/web.archive.org/cdx/search/cdx?{query}")
    assert response.status == 200
    return json.loads(response.body)


def test_resume_keys_walk_every_row_once_in_cdx_order(app):
    whole = cdx(app, url=PREFIX, matchType="prefix")[1:]
    walked, key = [], None
    while True:
        page = cdx(app, url=PREFIX, matchType="prefix", limit=4, showResumeKey="true",
                   fl="urlkey,timestamp,statuscode", **({"resumeKey": key} if key else {}))
        assert page[0] == ["urlkey", "timestamp", "statuscode"]
        if page[-2:-1] == [[]]:
            walked += page[1:-2]
            key = page[-1][0]
        else:
            walked += page[1:]
            break
    assert walked == [[r[0], r[1], r[4]] for r in whole]
    assert walked == sorted(walked)


def test_the_sweep_day_holds_every_pitfall(app):
    rows = cdx(app, url=PREFIX, matchType="prefix", **{"from": "20230307160000",
                                                         "to": "20230308155959"})[1:]
    keys = Counter((r[0], r[1]) for r in rows)
    assert max(keys.values()) == 2  # a duplicate row
    assert "-" in {r[4] for r in rows} and "warc/revisit" in {r[3] for r in rows}
    assert any(r[2].startswith("https://www.") and r[4] == "301" for r in rows)
    kinds = Counter(r["kind"] for r in json.loads(app.handle("/_mirror/wayback.json").body)[
        "rows"])
    assert {"block", "missing", "moved", "redirect", "revisit"} <= set(kinds)


def test_playback_is_the_raw_page_with_memento_headers(app):
    row = cdx(app, url="https://foresightnews.pro/article/detail/26503")[1]
    response = app.handle(f"/web.archive.org/web/{row[1]}id_/{row[2]}")
    headers = dict(response.headers)
    assert response.status == 200 and "26503" in headers["Link"]
    assert headers["Memento-Datetime"].endswith("GMT")
    assert "元宇宙每日必读" in response.body.decode()


def test_not_archived_moved_and_block_playback(app):
    rows = json.loads(app.handle("/_mirror/wayback.json").body)["rows"]
    by_kind = {r["kind"]: r for r in rows}
    play = lambda r: app.handle(f"/web.archive.org/web/{r['timestamp']}id_/{r['original']}")  # noqa: E731
    assert play(by_kind["missing"]).status == 404
    moved = play(by_kind["moved"])
    assert moved.status == 302 and "/web/20230901" in dict(moved.headers)["Location"]
    assert b"acw_sc__v2" in play(by_kind["block"]).body
    redirect = play(by_kind["redirect"])
    assert redirect.status == 301 and "://www." not in dict(redirect.headers)["Location"]


def test_429_and_503_on_demand_then_normal_answers(app):
    app.handle("/_mirror/faults?host=web.archive.org&mode=too_many&count=1")
    app.handle("/_mirror/faults?host=web.archive.org&mode=busy&count=1")
    path = f"/web.archive.org/cdx/search/cdx?url={PREFIX}&output=json"
    assert [app.handle(path).status for _ in range(3)] == [429, 503, 200]
    log = json.loads(app.handle("/_mirror/wayback/log").body)
    assert [(kind, status) for _, kind, status, _ in log[-3:]] == [
        ("cdx", 429), ("cdx", 503), ("cdx", 200)]
