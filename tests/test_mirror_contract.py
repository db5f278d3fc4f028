"""The mirror's truth agrees with its rendered HTML, read by the rules of docs/extraction.md.

``mirror_reference`` is a small reader written from the contract (not the project's parser):
if a page's markup and its truth entry ever disagree, one of them is wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from mirror import truth
from mirror.routes import Mirror
from tests.mirror_reference import read

NOW = datetime(2026, 3, 1, 3, 30, tzinfo=UTC)
"""The request time the mirror writes relative bylines against, and the reader reads them."""


@pytest.mark.parametrize(("seed", "scale"), [(1, 20), (7, 45)])
def test_truth_matches_rendered_pages(seed: int, scale: int):
    m = Mirror(seed, scale, clock=NOW.timestamp)
    pages = truth.build(m.catalogue)["pages"]
    mismatches = []
    for url, expected in pages.items():
        p = urlsplit(url)
        response = m.handle(f"/{p.hostname}{p.path}")
        got = read(response.body.decode("utf-8"), url, NOW)
        if expected["kind"] == "not_found":
            ok = got["kind"] == "not_found" and response.status == expected["status"]
        else:
            ok = response.status == 200 and got == expected
        if not ok:
            mismatches.append(url)
    assert mismatches == []


def test_reference_reader_notices_a_broken_headline():
    m = Mirror(1, 8)
    entry = next(d for d in m.catalogue.digests if not d.real and d.site == "foresight")
    html = m.handle(f"/foresightnews.pro/article/detail/{entry.id}").body.decode()
    expected = truth.expected(m.catalogue, entry)
    assert read(html, entry.url) == expected
    headline = expected["items"][1]["headline"]
    start = html.index(headline[:8])
    tag_start = html.rindex("<", 0, start)
    broken = html[:tag_start] + "<span>" + html[html.index(">", tag_start) + 1 :]
    assert read(broken, entry.url) != expected


def test_some_article_bylines_are_relative_and_the_reader_needs_their_fetch_time():
    m = Mirror(7, 45, clock=NOW.timestamp)
    pages = truth.build(m.catalogue)["pages"]
    relative = []
    for url, expected in pages.items():
        p = urlsplit(url)
        html = m.handle(f"/{p.hostname}{p.path}").body.decode("utf-8")
        if "天前</time>" in html:
            relative.append(url)
            assert len(expected["published_at"]) == 10  # a calendar day, YYYY-MM-DD
            assert read(html, url)["published_at"] is None
    assert len(relative) >= 3
