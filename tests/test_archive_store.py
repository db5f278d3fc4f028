"""archive.store: idempotent upserts, whole pages or nothing, digest->article links."""

from __future__ import annotations

import pytest

from archive import queries, store


def test_saving_the_same_page_twice_changes_no_row_count(db, digest, article):
    store.save_digest(db, digest)
    store.save_article(db, article)
    before = queries.get_counts(db)
    assert store.save_digest(db, digest)[1] == "unchanged"
    assert store.save_article(db, article)[1] == "unchanged"
    assert queries.get_counts(db) == before


def test_identical_refetch_bumps_last_seen_only(db, article):
    store.save_article(db, article)
    again = {**article, "capture": {**article["capture"], "fetched_at": "2024-06-01T00:00:00Z"}}
    store.save_article(db, again)
    cap = next(db["captures"].rows)
    assert (cap["seen_count"], cap["fetched_at"], cap["last_seen_at"]) == (
        2, "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z")
    row = next(db["articles"].rows)
    assert (row["first_seen_at"], row["last_seen_at"]) == (
        "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z")


def test_changed_body_is_a_new_capture_and_updates_the_article(db, article):
    store.save_article(db, article)
    edited = {**article, "title": "新标题",
              "capture": {**article["capture"], "body_sha256": "c" * 64}}
    assert store.save_article(db, edited)[1] == "changed"
    assert db["captures"].count == 2
    assert next(db["articles"].rows)["title"] == "新标题"


def test_digest_parts_are_stored_in_order(db, digest):
    digest_id, outcome = store.save_digest(db, digest)
    assert outcome == "new"
    got = queries.get_digest(db, digest["canonical_url"])
    assert [i["headline"] for i in got["items"]] == ["新闻一", "新闻二"]
    assert [i["attribution"] for i in got["items"]] == [None, "新浪科技"]
    assert got["recommendations"][0]["title"] == "荐读"


def test_link_resolves_whichever_side_arrives_first(db, digest, article):
    store.save_digest(db, digest)
    link = next(db["digest_links"].rows)
    assert link["article_id"] is None
    article_id, _ = store.save_article(db, article)
    assert next(db["digest_links"].rows)["article_id"] == article_id


def test_link_resolves_when_article_came_first(tmp_path, digest, article):
    from archive.db import open_db
    db = open_db(tmp_path / "b.db")
    article_id, _ = store.save_article(db, article)
    store.save_digest(db, digest)
    assert next(db["digest_links"].rows)["article_id"] == article_id


def test_changed_digest_replaces_its_items(db, digest):
    store.save_digest(db, digest)
    digest["items"] = digest["items"][:1]
    digest["capture"] = {**digest["capture"], "body_sha256": "d" * 64}
    assert store.save_digest(db, digest)[1] == "changed"
    assert db["digest_items"].count == 1


def test_a_failing_page_writes_nothing(db, digest):
    digest["items"][1]["headline"] = None  # NOT NULL: the insert fails mid-page
    with pytest.raises(Exception, match="NOT NULL"):
        store.save_digest(db, digest)
    assert queries.get_counts(db) == {t: 0 for t in queries.ALL_TABLES}


def test_capture_errors_are_recorded_and_deduplicated(db):
    failed = {"url": "https://www.8btc.com/article/9", "final_url": "https://www.8btc.com/article/9",
              "status": None, "fetched_at": "2024-05-01T00:00:00Z", "site": "8btc",
              "error_kind": "network", "error": "ConnectionRefusedError: refused"}
    store.save_capture(db, failed)
    store.save_capture(db, {**failed, "fetched_at": "2024-05-02T00:00:00Z"})
    rows = list(db["captures"].rows)
    assert len(rows) == 1 and rows[0]["seen_count"] == 2 and rows[0]["error_kind"] == "network"


def test_run_rows(db, article):
    run_id = store.save_run_start(db, started_at="2024-05-01T00:00:00Z", spiders="8btc",
                                  target="live")
    store.save_article(db, article, run_id)
    store.save_run_end(db, run_id, finished_at="2024-05-01T00:01:00Z", status="finished",
                       requests=5, errors=0, stats={"x": 1})
    run = queries.get_last_run(db)
    assert (run["status"], run["requests"], run["captures"], run["stats"]) == (
        "finished", 5, 1, {"x": 1})
