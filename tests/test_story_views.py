"""m008_story_views: articles beside their story; the story tables described for Datasette."""

from __future__ import annotations

from archive import export, store
from archive.datasette_config import build_metadata
from archive.describe import describe_column
from tests.test_dedupe import keyed_article

LEAD = "英伟达发布新一代人工智能芯片，性能较上一代提升三十倍，多家云厂商宣布采用该芯片。"


def test_articles_with_story_names_the_story_and_its_first_reporter(db, article):
    store.save_article(db, keyed_article(1, LEAD, "英伟达新芯片"))   # 2024-04-30T02:00Z
    store.save_article(db, keyed_article(2, LEAD, "英伟达芯片", site="foresight",
                                         published_at="2024-04-30T05:00:00Z"))
    article["canonical_url"] = article["url"] = "https://www.8btc.com/article/9"
    store.save_article(db, article)   # no dedupe keys: not in a story
    rows = {r["canonical_url"][-1]: r for r in db["articles_with_story"].rows}
    first, second, alone = rows["1"], rows["2"], rows["9"]
    assert first["story_id"] == second["story_id"] is not None
    assert (first["first_reporter"], second["first_reporter"]) == (1, 0)
    assert second["story_headline"] == "英伟达新芯片" and second["story_appearances"] == 2
    assert second["story_sources"] == 2 and second["story_first_site"] == "8btc"
    assert alone["story_id"] is None and alone["story_headline"] is None


def test_story_tables_and_views_are_described_and_faceted():
    tables = build_metadata("archive")["databases"]["archive"]["tables"]
    for name in ("stories", "story_appearances", "articles_with_story"):
        assert tables[name]["description"] and tables[name]["facets"]
        assert "(not documented)" not in tables[name]["columns"].values(), name
    assert "first reporter" in tables["stories"]["columns"]["headline"]
    assert describe_column("headline") != describe_column("headline", "stories")


def test_articles_with_story_exports_with_its_filters(db):
    store.save_article(db, keyed_article(1, LEAD, "英伟达新芯片"))
    sql, params = export.build_select("articles_with_story",
                                      export.Filters(source="8btc", query="英伟达"))
    assert [r[0] for r in db.execute(sql, params)] == [1]
