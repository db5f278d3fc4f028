"""Shared fixtures: records as the crawler hands them to the archive."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from archive.db import open_db
from tests.demo_archive import build_demo_db, shared_root

CAPTURE: dict[str, Any] = {
    "url": "https://www.8btc.com/article/1", "final_url": "https://www.8btc.com/article/1",
    "status": 200, "fetched_at": "2024-05-01T00:00:00Z", "content_type": "text/html",
    "body_sha256": "a" * 64, "body_length": 100, "site": "8btc", "page_kind": "article",
    "error_kind": None, "error": None,
}
ARTICLE: dict[str, Any] = {
    "canonical_url": "https://www.8btc.com/article/1", "url": "https://www.8btc.com/article/1",
    "site": "8btc", "site_id": "1", "title": "标题", "author": "kyle",
    "published_raw": "2024-04-30 10:00", "published_at": "2024-04-30T02:00:00Z",
    "summary": "摘要", "text": "第一段\n第二段", "tags": ("比特币",), "images": (),
    "capture": CAPTURE,
}
DIGEST: dict[str, Any] = {
    "canonical_url": "https://foresightnews.pro/article/detail/2",
    "url": "https://foresightnews.pro/article/detail/2", "site": "foresight",
    "title": "元宇宙每日必读", "published_raw": "2023-03-08 00:02",
    "published_at": "2023-03-07T16:02:00Z", "summary": "摘要文本",
    "items": [
        {"position": 1, "headline": "新闻一", "text": "3 月 7 日消息，一。",
         "event_date": "2023-03-07", "event_date_raw": "3 月 7 日", "attribution": None},
        {"position": 2, "headline": "新闻二", "text": "据新浪科技报道，二。",
         "event_date": None, "event_date_raw": None, "attribution": "新浪科技"},
    ],
    "recommendations": [
        {"position": 1, "title": "荐读", "blurb": "简介", "url": "https://www.8btc.com/article/1",
         "canonical_url": "https://www.8btc.com/article/1"},
    ],
    "capture": {**CAPTURE, "url": "https://foresightnews.pro/article/detail/2",
                "final_url": "https://foresightnews.pro/article/detail/2", "site": "foresight",
                "body_sha256": "b" * 64, "page_kind": "digest"},
}


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "archive.db")
    yield database
    database.close()


@pytest.fixture
def article() -> dict[str, Any]:
    return copy.deepcopy(ARTICLE)


@pytest.fixture
def digest() -> dict[str, Any]:
    return copy.deepcopy(DIGEST)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, worker_id):
    """The demo archive (tests.demo_archive), one build shared by every worker."""
    return build_demo_db(shared_root(tmp_path_factory, worker_id))
