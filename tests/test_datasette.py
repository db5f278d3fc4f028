"""`newsarchive serve`: a real Datasette instance over the demo archive, asked over HTTP (ASGI)."""

from __future__ import annotations

import asyncio

import pytest

from archive.db import open_db
from newsarchive.cli import main

pytest.importorskip("datasette", reason="Datasette is the optional `serve` extra")
pytestmark = pytest.mark.crawl

from newsarchive.cli_serve import make_datasette  # noqa: E402


def get(path, url):
    async def fetch():
        response = await make_datasette(path).client.get(url)
        return response.status_code, response.json() if url.split("?")[0].endswith(
            ".json") else response.text
    return asyncio.run(fetch())


def like_ids(path, sql, word):
    db = open_db(path, readonly=True)
    return sorted(r[0] for r in db.execute(sql, [f"%{word}%", f"%{word}%"]))


@pytest.mark.parametrize("word", ["苹果", "蘋果", "英伟达", "ChatGPT"])
def test_the_view_search_box_finds_chinese_words(demo_db, word):
    status, data = get(demo_db, f"/{demo_db.stem}/news_items.json?_search={word}"
                                "&_shape=objects&_size=max&_facet=source")
    assert status == 200
    expected = like_ids(demo_db, "SELECT id FROM digest_items WHERE headline LIKE ? "
                        "OR text LIKE ?", word.replace("蘋", "苹"))
    assert expected and sorted(r["id"] for r in data["rows"]) == expected
    facet = {f["value"]: f["count"] for f in data["facet_results"]["source"]["results"]}
    assert sum(facet.values()) == len(expected)


def test_article_search_and_facets(demo_db):
    status, data = get(demo_db, f"/{demo_db.stem}/articles.json?_search=减半&_shape=objects"
                                "&_size=max&_facet=site")
    assert status == 200
    expected = like_ids(demo_db, "SELECT id FROM articles WHERE title LIKE ? OR text LIKE ? "
                        "OR summary LIKE '%减半%'", "减半")
    assert expected and sorted(r["id"] for r in data["rows"]) == expected
    assert data["facet_results"]["site"]["results"][0]["value"] == "8btc"


def test_canned_search_query_folds_traditional(demo_db):
    status, data = get(demo_db, f"/{demo_db.stem}/search.json?q=英偉達&_shape=objects")
    assert status == 200
    assert data["rows"] and all("英伟达" in r["title"] or r["kind"] == "article"
                                for r in data["rows"])


def test_metadata_describes_columns_and_sources(demo_db):
    status, data = get(demo_db, "/-/metadata.json")
    assert status == 200 and "8btc" in data["source"]
    columns = data["databases"][demo_db.stem]["tables"]["news_items"]["columns"]
    assert "Beijing" in columns["digest_date"] and "UTC" in columns["digest_published_at"]
    status, page = get(demo_db, f"/{demo_db.stem}/items_per_day")
    assert status == 200 and "news_items" in page


def test_a_search_with_nothing_to_search_answers_empty(demo_db):
    status, data = get(demo_db, f"/{demo_db.stem}/news_items.json?_search=？&_shape=objects")
    assert status == 200 and data["rows"] == []


def test_serve_needs_an_archive(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "none.db")]) == 1
    assert "no archive at" in capsys.readouterr().err


def test_story_tables_answer_with_facets_and_search(demo_db):
    status, data = get(demo_db, f"/{demo_db.stem}/stories.json?_shape=objects&_size=5"
                                "&_facet=first_site")
    assert status == 200 and data["rows"]
    assert data["rows"][0]["appearances"] == max(r["appearances"] for r in data["rows"])
    assert data["facet_results"]["first_site"]["results"]
    status, data = get(demo_db, f"/{demo_db.stem}/articles_with_story.json?_search=英伟达"
                                "&_shape=objects&_size=max&_facet=first_reporter")
    expected = like_ids(demo_db, "SELECT id FROM articles WHERE title LIKE ? OR text LIKE ? "
                        "OR summary LIKE '%英伟达%'", "英伟达")
    assert status == 200 and sorted(r["id"] for r in data["rows"]) == expected
    assert data["facet_results"]["first_reporter"]["results"]


def test_the_search_box_keeps_what_the_user_typed(demo_db):
    status, page = get(demo_db, f"/{demo_db.stem}/news_items?_search=比特币")
    assert status == 200
    assert 'name="_search" value="比特币"' in page
    assert "matches &#34;比特币&#34;" in page and "比 特 币" not in page
    assert "_search=%E6%AF%94%E7%89%B9%E5%B8%81&amp;_facet=" in page  # links carry it on
    status, data = get(demo_db, f"/{demo_db.stem}/news_items.json?_search=比特币&_shape=objects")
    assert status == 200 and data["rows"]  # the search itself still uses the FTS5 form
