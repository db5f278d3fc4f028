"""archive.search: the index follows the store, finds short Chinese words, ranks and filters."""

from __future__ import annotations

import json

import pytest

from archive import search, store
from archive.db import open_db
from archive.searchform import QueryError
from archive.tx import write_transaction
from newsarchive.cli import main


def hits(db, query, **kw):
    return [(r["kind"], r["id"]) for r in search.iter_search(db, query, limit=10_000, **kw)]


def test_saved_pages_are_searchable_at_once(db, digest, article):
    digest["items"][0]["headline"] = "比特币减半临近"
    article["text"] = "苹果公司发布 ChatGPT 插件"
    store.save_digest(db, digest)
    article_id, _ = store.save_article(db, article)
    assert [k for k, _ in hits(db, "减半")] == ["digest_item"]
    assert hits(db, "苹果") == [("article", article_id)]
    assert hits(db, "chatgpt") == [("article", article_id)]
    assert hits(db, "蘋果") == [("article", article_id)]   # Traditional query, Simplified text


def test_a_traditional_text_is_found_by_a_simplified_query(db, article):
    article["title"] = "比特幣減半"
    store.save_article(db, article)
    assert len(hits(db, "比特币减半")) == 1
    assert len(hits(db, "币")) == 1


def test_changed_and_deleted_rows_leave_the_index(db, digest, article):
    article_id, _ = store.save_article(db, article)
    assert hits(db, "第一段")
    article["text"] = "全新的正文"
    store.save_article(db, article)
    assert hits(db, "第一段") == [] and hits(db, "全新") == [("article", article_id)]
    with write_transaction(db):  # its versions first: they hold a foreign key to it
        db.execute("DELETE FROM article_versions WHERE article_id = ?", [article_id])
        db.execute("DELETE FROM articles WHERE id = ?", [article_id])   # trigger
    assert hits(db, "全新") == []
    store.save_digest(db, digest)
    digest["items"] = digest["items"][:1]
    store.save_digest(db, digest)     # items replaced: the dropped one leaves the index
    assert hits(db, "新闻二") == [] and len(hits(db, "新闻一")) == 1


def test_headline_hits_rank_above_body_hits(db, digest):
    digest["items"][0].update(headline="稳定币新规", text="监管机构发布。")
    digest["items"][1].update(headline="市场回顾", text="其中提到稳定币。")
    store.save_digest(db, digest)
    assert [r["title"] for r in search.iter_search(db, "稳定币")] == ["稳定币新规", "市场回顾"]


def test_a_common_word_is_ranked_among_its_newest_hits_unless_rank_all(db, digest):
    digest["items"][0].update(headline="稳定币新规", text="稳定币监管。")   # best, oldest
    digest["items"][1].update(headline="市场回顾", text="其中提到稳定币。")
    store.save_digest(db, digest)

    def titles(**kw):
        return [r["title"] for r in search.iter_search(db, "稳定币", limit=1, **kw)]
    assert titles(rank_window=1) == ["市场回顾"]          # only the newest hit was ranked
    assert titles(rank_window=2) == titles(rank_window=None) == ["稳定币新规"]
    assert [r["title"] for r in search.iter_search(db, "稳定币", rank_window=1,
                                                   source="foresight")] == ["稳定币新规",
                                                                            "市场回顾"]


def test_results_of_both_tables_are_merged_by_rank(db, digest, article):
    digest["items"][1].update(headline="市场回顾", text="其中提到稳定币。")
    article.update(title="稳定币稳定币", text="稳定币的监管。稳定币。")
    store.save_digest(db, digest)
    store.save_article(db, article)
    rows = list(search.iter_search(db, "稳定币"))
    assert [r["kind"] for r in rows] == ["article", "digest_item"]
    assert rows[0]["rank"] <= rows[1]["rank"] and rows[0]["url"] == article["canonical_url"]
    assert [r["kind"] for r in search.iter_search(db, "稳定币", limit=1)] == ["article"]


def test_snippets_are_highlighted_and_readable(db, article):
    article["text"] = "据报道，比特币减半将在四月到来。"
    store.save_article(db, article)
    (row,) = search.iter_search(db, "减半", marks=("<b>", "</b>"))
    assert "比特币<b>减半</b>将在四月" in row["snippet"]


def test_since_and_source_filter(db, digest, article):
    store.save_digest(db, digest)            # foresight, 2023-03-07
    article["text"] = "新闻一"
    store.save_article(db, article)          # 8btc, 2024-04-30
    assert {k for k, _ in hits(db, "新闻一")} == {"digest_item", "article"}
    assert [k for k, _ in hits(db, "新闻一", since="2024-01-01")] == ["article"]
    assert [k for k, _ in hits(db, "新闻一", source="foresight")] == ["digest_item"]
    assert [k for k, _ in hits(db, "新闻一", until="2024-01-01")] == ["digest_item"]
    assert hits(db, "新闻一", since="2023-01-01", until="2023-03-07T00:00:00Z") == []
    with pytest.raises(ValueError, match="unknown source"):
        hits(db, "新闻一", source="coindesk")
    with pytest.raises(QueryError):
        hits(db, "？？")


def test_rebuild_restores_a_damaged_index(db, digest, article):
    store.save_digest(db, digest)
    store.save_article(db, article)
    before = hits(db, "新闻")
    with write_transaction(db):
        db.execute("DELETE FROM digest_items_fts")
        assert hits(db, "新闻") == []
        assert search.rebuild(db, batch=1) == {"digest_items": 2, "articles": 1}
    assert hits(db, "新闻") == before


def test_search_and_reindex_commands(tmp_path, capsys, digest):
    path = tmp_path / "a.db"
    db = open_db(path)
    store.save_digest(db, digest)
    db.close()
    assert main(["search", "新闻二", "--db", str(path), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)  # one JSON array, as sqlite-utils prints
    assert row["title"] == "新闻二"
    assert main(["search", "新闻", "--db", str(path), "--nl"]) == 0
    assert [json.loads(line)["kind"] for line in capsys.readouterr().out.splitlines()] == [
        "digest_item", "digest_item"]
    assert main(["search", "新闻", "--db", str(path), "--limit", "1"]) == 0
    assert "1 result\n" in capsys.readouterr().err
    assert main(["search", "新闻", "--db", str(path), "--rank-all"]) == 0
    assert "2 results" in capsys.readouterr().err
    assert main(["reindex", "--db", str(path)]) == 0
    assert "digest_items: 2 indexed" in capsys.readouterr().out


def test_a_repeated_word_is_one_condition(db, digest):
    from archive.searchform import to_match_query

    store.save_digest(db, digest)
    assert to_match_query("新闻 " * 5000) == to_match_query("新闻") == '"新 闻"'
    assert hits(db, "新闻 " * 5000 + "NEWS 新闻") == hits(db, "新闻 news")


@pytest.mark.parametrize(("args", "message"), [
    (["search", "？！"], "nothing to search for"),
    (["search", "x" * 50_001], "at most 50,000 are searched"),
    (["search", " ".join(f"w{i}" for i in range(33))], "more than 32 different words"),
    (["search", "？" * 40_000], "nothing to search for in '？？？"),
    (["search", "x", "--since", "yesterday"], "not a date"),
    (["search", "x", "--source", "coindesk"], "coindesk"),
])
def test_bad_search_input_is_one_line_exit_2(tmp_path, capsys, args, message):
    open_db(tmp_path / "a.db").close()
    assert main([*args, "--db", str(tmp_path / "a.db")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0]


def test_search_until_includes_its_beijing_day(tmp_path, capsys, digest, article):
    db = open_db(tmp_path / "a.db")
    store.save_digest(db, digest)  # 2023-03-07T16:02Z: 2023-03-08 00:02 in Beijing
    article["text"] = "新闻一"
    store.save_article(db, article)  # 2024-04-30 10:00 in Beijing
    db.close()

    def kinds(*window):
        assert main(["search", "新闻一", "--db", str(tmp_path / "a.db"), "--json", *window]) == 0
        return sorted(row["kind"] for row in json.loads(capsys.readouterr().out))
    assert kinds("--until", "2023-03-08") == ["digest_item"]
    assert kinds("--until", "2023-03-07") == []  # a UTC-day reading would include it
    assert kinds("--since", "2023-03-09", "--until", "2024-04-30") == ["article"]
    assert main(["search", "x", "--db", str(tmp_path / "a.db"), "--since", "2024-01-02",
                 "--until", "2024-01-01"]) == 2
    assert "before" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["search", "reindex"])
def test_missing_archive(tmp_path, capsys, command):
    args = [command, "x"] if command == "search" else [command]
    assert main([*args, "--db", str(tmp_path / "none.db")]) == 1
    assert "no archive at" in capsys.readouterr().err


LIKE_SQL = {
    "digest_item": "SELECT id FROM digest_items WHERE headline LIKE :p OR text LIKE :p",
    "article": "SELECT id FROM articles WHERE title LIKE :p OR summary LIKE :p OR text LIKE :p",
}


@pytest.mark.crawl
@pytest.mark.parametrize("word", ["苹果", "减半", "英伟达", "NFT", "ChatGPT", "币"])
def test_demo_archive_hits_equal_like_scan(demo_db, word):
    db = open_db(demo_db, readonly=True)
    expected = {(kind, row[0]) for kind, sql in LIKE_SQL.items()
                for row in db.execute(sql, {"p": f"%{word}%"})}
    assert expected, f"the demo archive has no {word}: the test would prove nothing"
    assert set(hits(db, word)) == expected
