"""pipelines.batch: several pages per transaction, each page whole, one shared connection."""

from __future__ import annotations

import sqlite3

import pytest

from archive.tx import write_transaction
from pipelines.batch import WriteBatch


def committed(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "a.db"
    batch = WriteBatch.acquire(str(path))
    batch.db.execute("CREATE TABLE t (page INTEGER, part INTEGER)")
    batch.release()
    return path


def write_page(batch, page, parts=2, fail=False):
    with batch.page() as db:
        for part in range(parts):
            db.execute("INSERT INTO t VALUES (?, ?)", [page, part])
        if fail:
            raise RuntimeError("broken page")


def test_pages_commit_together_at_the_size_bound(path):
    batch = WriteBatch.acquire(str(path), max_pages=3, max_seconds=3600)
    write_page(batch, 1)
    write_page(batch, 2)
    assert committed(path) == 0  # still in the open batch
    write_page(batch, 3)
    assert committed(path) == 6
    write_page(batch, 4)
    batch.release()
    assert committed(path) == 8


def test_a_failed_page_is_rolled_back_alone(path):
    batch = WriteBatch.acquire(str(path), max_pages=10, max_seconds=3600)
    write_page(batch, 1)
    with pytest.raises(RuntimeError):
        write_page(batch, 2, fail=True)
    write_page(batch, 3)
    batch.release()
    conn = sqlite3.connect(path)
    assert sorted(conn.execute("SELECT DISTINCT page FROM t")) == [(1,), (3,)]
    assert committed(path) == 4


def test_the_time_bound_commits(path):
    batch = WriteBatch.acquire(str(path), max_pages=100, max_seconds=0.0)
    write_page(batch, 1)
    assert committed(path) == 2
    batch.release()


def test_users_of_one_archive_share_one_connection(path):
    first = WriteBatch.acquire(str(path))
    second = WriteBatch.acquire(str(path))
    assert first is second
    write_page(first, 1)
    first.release()
    write_page(second, 2)  # still open for the other user
    second.release()
    assert committed(path) == 4
    assert WriteBatch.acquire(str(path)) is not first


def test_a_write_transaction_inside_a_batch_is_a_savepoint(path):
    batch = WriteBatch.acquire(str(path), max_pages=10, max_seconds=3600)
    write_page(batch, 1)
    with pytest.raises(RuntimeError), write_transaction(batch.db) as db:
        db.execute("INSERT INTO t VALUES (9, 9)")
        raise RuntimeError("half a write")
    assert batch.db.conn.in_transaction  # the batch survives, page 1 still in it
    batch.release()
    assert committed(path) == 2


def article_row(n: int) -> dict:
    url = f"https://www.8btc.com/article/{n}"
    capture = {"url": url, "final_url": url, "status": 200, "fetched_at": "2023-03-07T16:02:00Z",
               "body_sha256": f"{n:064x}", "site": "8btc", "page_kind": "article"}
    return {"url": url, "canonical_url": url, "site": "8btc", "site_id": str(n),
            "title": f"第{n}号标题", "text": f"比特币第{n}次上涨，英伟达随之走高。", "tags": (),
            "images": (), "capture": capture}


def indexed(path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT rowid FROM articles_fts ORDER BY rowid")]
    finally:
        conn.close()


def test_a_batch_indexes_its_pages_for_search_when_it_commits(tmp_path):
    """The search index of a batch's pages is written as the batch commits: a committed
    page is found, a page rolled back alone is not, and a batch that failed to commit
    leaves nothing for the next batch to index."""
    from archive import search, store

    path = tmp_path / "a.db"
    batch = WriteBatch.acquire(str(path), max_pages=3, max_seconds=3600)
    with batch.page() as db:
        store.save_article(db, article_row(1))
    with pytest.raises(RuntimeError), batch.page() as db:
        store.save_article(db, article_row(2))
        raise RuntimeError("broken page")
    with batch.page() as db:
        store.save_article(db, article_row(3))
    with batch.page() as db:  # the third page: the batch commits
        store.save_article(db, {**article_row(1), "text": "以太坊第1次下跌。"})
    ids = {r[0]: r[1] for r in batch.db.execute("SELECT id, site_id FROM articles")}
    assert sorted(ids.values()) == ["1", "3"] and len(indexed(path)) == 2
    found = list(search.iter_search(batch.db, "以太坊"))
    assert [ids[h["id"]] for h in found] == ["1"]
    assert not list(search.iter_search(batch.db, "第2次"))
    with batch.page() as db:
        store.save_article(db, article_row(4))
    batch._rollback()  # as when the commit fails (disk full)
    with batch.page() as db:
        store.save_article(db, article_row(5))
    batch.release()
    assert sorted(ids.get(i, "5") for i in indexed(path)) == ["1", "3", "5"]
