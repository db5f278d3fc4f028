"""pipelines.store.as_mapping: what the store pipeline hands to archive.store."""

from __future__ import annotations

import dataclasses

from crawler.items import Capture, Digest, DigestItem
from pipelines.store import as_mapping


def _digest() -> Digest:
    capture = Capture(url="https://foresightnews.pro/article/detail/1",
                      final_url="https://foresightnews.pro/article/detail/1", status=200,
                      fetched_at="2024-01-01T00:00:00Z", site="foresight")
    item = DigestItem(position=1, headline="h", event_date="2023-12-31",
                      event_date_raw="12 月 31 日", text="t", attribution=None)
    return Digest(url=capture.url, canonical_url=capture.url, site="foresight", title="T",
                  published_raw=None, published_at=None, summary=None, items=(item,),
                  recommendations=(), capture=capture)


def test_as_mapping_equals_asdict_with_lists_for_tuples():
    digest = _digest()
    mapped = as_mapping(digest)
    expected = dataclasses.asdict(digest)
    expected["items"] = list(expected["items"])
    expected["recommendations"] = list(expected["recommendations"])
    assert mapped == expected
    assert mapped["capture"]["url"] == digest.capture.url
    assert mapped["items"][0]["event_date_raw"] == "12 月 31 日"


def test_as_mapping_leaves_plain_values_alone():
    assert as_mapping("x") == "x"
    assert as_mapping(None) is None
    assert as_mapping(Capture) is Capture
