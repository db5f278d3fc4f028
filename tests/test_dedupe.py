"""Dedupe: text hashes, article versions, URL aliases and story clusters in the archive."""

from __future__ import annotations

import copy
import dataclasses

from archive import queries_stories, store
from archive.db import open_db
from archive.lead_compare import compare, lead_jaccard
from archive.signature import lead_of, normalize_text, sign, units
from pipelines.dedupe import DedupePipeline, dedupe_keys, with_keys
from tests.conftest import ARTICLE

LEDE = ("美国专利商标局公布了一份 Meta 的专利申请，该专利涉及利用机器学习算法为用户生成个性化"
        "虚拟形象。专利文件显示，用户只需上传数张照片，系统即可自动生成可定制服装、配饰和表情的"
        "三维化身。Meta 在专利背景中指出，虚拟化身能够在保护隐私的前提下提升社交体验，公司计划于"
        "2024 年将该技术用于旗下 3 款产品，预计覆盖 12 亿用户。")
OTHER = ("香港证监会发布咨询文件，就稳定币发行、加密资产托管以及交易平台牌照等监管安排公开征求"
         "意见。文件提出，面向零售投资者提供服务的平台须满足资本充足、资产隔离和信息披露等要求，"
         "咨询期为 8 周，相关规则预计将于 2025 年生效。")
FOOTER = "风险提示：根据央行等部门发布的相关通知，请广大公众理性看待区块链。"


def keyed_article(n: int, text: str, title: str = "标题", site: str = "8btc",
                  published_at: str = "2024-04-30T02:00:00Z") -> dict:
    art = copy.deepcopy(ARTICLE)
    url = f"https://www.8btc.com/article/{n}"
    art.update(canonical_url=url, url=url, site_id=str(n), text=text, title=title, site=site,
               published_at=published_at)
    art["capture"] = {**art["capture"], "url": url, "final_url": url,
                      "body_sha256": f"{n:064d}"}
    art["dedupe"] = dataclasses.asdict(dedupe_keys(text, title))
    return art


def lead(text: str) -> str:
    """The lead a text is compared on when its site has no learned boilerplate."""
    return lead_of(units(text))[0]


def story_of(db, n: int) -> int:
    return db.execute("SELECT story_id FROM articles WHERE site_id = ?", [str(n)]).fetchone()[0]


def test_normalising_drops_lead_ins_and_boilerplate_lines():
    text = f"Foresight News 消息，3 月 7 日，据彭博社报道，{OTHER}\n{FOOTER}"
    assert normalize_text(text) == normalize_text(OTHER)
    assert sign(text).text_sha256 == sign(OTHER).text_sha256


def test_reprint_with_an_edited_headline_joins_the_story(db):
    store.save_article(db, keyed_article(1, LEDE, "Meta 新专利"))
    store.save_article(db, keyed_article(2, "巴比特讯，" + LEDE + "\n编辑的话。", "重磅｜Meta 专利",
                                         site="foresight", published_at="2024-04-29T00:00:00Z"))
    assert story_of(db, 1) == story_of(db, 2)
    story = db["stories"].get(story_of(db, 1))
    assert (story["appearances"], story["sources"]) == (2, 2)
    # The earlier publication is the first appearance, whatever the crawl order.
    assert (story["first_url"], story["headline"]) == (
        "https://www.8btc.com/article/2", "重磅｜Meta 专利")


def test_different_stories_sharing_lead_in_and_footer_stay_apart(db):
    store.save_article(db, keyed_article(1, f"Foresight News 消息，{LEDE}\n{FOOTER}"))
    store.save_article(db, keyed_article(2, f"Foresight News 消息，{OTHER}\n{FOOTER}"))
    assert story_of(db, 1) != story_of(db, 2)


def test_flash_items_that_differ_only_in_a_number_are_different_stories(db):
    flash = "比特币短时跌破 {} 美元，现报 {} 美元，24 小时跌幅 2.5%。"
    a, b = flash.format("60,000", "59,980"), flash.format("58,000", "57,990")
    assert lead_jaccard(lead(a), lead(b)) > 0.5
    store.save_article(db, keyed_article(1, a))
    store.save_article(db, keyed_article(2, b))
    store.save_article(db, keyed_article(3, a + "\n" + FOOTER))
    assert story_of(db, 1) != story_of(db, 2)
    assert story_of(db, 1) == story_of(db, 3)


def test_stories_survive_reopening_the_archive(tmp_path):
    path = tmp_path / "a.db"
    db = open_db(path)
    store.save_article(db, keyed_article(1, LEDE))
    db.close()
    db = open_db(path)
    store.save_article(db, keyed_article(2, LEDE + "\n后续。"))
    assert story_of(db, 1) == story_of(db, 2)


def test_identical_recapture_writes_no_version_a_changed_body_adds_one(db):
    store.save_article(db, keyed_article(1, LEDE))
    store.save_article(db, keyed_article(1, LEDE))
    assert db["article_versions"].count == 1
    changed = keyed_article(1, OTHER)
    changed["capture"]["body_sha256"] = "f" * 64
    assert store.save_article(db, changed)[1] == "changed"
    versions = list(db["article_versions"].rows_where(order_by="version"))
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["text"] == LEDE and versions[1]["text"] == OTHER
    row = next(db["articles"].rows)
    assert (row["version"], row["text"]) == (2, OTHER)
    # The article left its old story (now empty, so gone) for one matching its new text.
    assert db["stories"].count == 1 and db["story_members"].count == 1


def test_every_spelling_resolves_to_the_canonical_row(db, digest):
    art = keyed_article(7, LEDE)
    art["capture"]["url"] = "https://m.8btc.com/article/7?utm_source=x"
    art["capture"]["final_url"] = "https://www.8btc.com/article/7"
    digest["recommendations"][0].update(url="http://8btc.com/article/7/",
                                        canonical_url="https://www.8btc.com/article/7")
    store.save_digest(db, digest)
    store.save_article(db, art)
    for spelling in ("https://m.8btc.com/article/7?utm_source=x", "http://8btc.com/article/7/",
                     "https://www.8btc.com/article/7"):
        assert queries_stories.resolve_url(db, spelling)["id"] == next(db["articles"].rows)["id"]
    assert queries_stories.resolve_url(db, "https://www.8btc.com/article/8") is None


def test_digest_items_join_the_story_of_the_article_they_summarise(db, digest):
    from crawler.items import Digest, DigestItem
    item = DigestItem(position=1, headline="Meta 申请虚拟形象专利", text="4 月 29 日消息，" + LEDE)
    parsed = Digest(url=digest["url"], canonical_url=digest["canonical_url"], site="foresight",
                    title="t", published_raw=None, published_at="2024-04-30T16:00:00Z",
                    summary=None, items=(item,))
    keyed = with_keys(parsed)
    data = {**digest, "items": [{"position": 1, "headline": item.headline, "text": item.text,
                                 "dedupe": _asdict(keyed.items[0].dedupe)}]}
    store.save_article(db, keyed_article(1, LEDE))
    store.save_digest(db, data)
    item_story = db.execute("SELECT story_id FROM digest_items").fetchone()[0]
    assert item_story == story_of(db, 1)
    store.save_digest(db, {**data, "title": "changed"})  # parts replaced: still one member
    assert db["stories"].get(item_story)["appearances"] == 2
    got = queries_stories.get_stories(db)
    # The digest (2023-03-07) reported it before the article (2024-04-30): first reporter first.
    assert [m["kind"] for m in got[0]["members"]] == ["digest_item", "article"]
    assert got[0]["first_url"] == digest["canonical_url"] + "#item-1"


def test_pipeline_keys_articles_and_items_and_counts_them():
    from crawler.items import Article

    class Stats(dict):
        def inc_value(self, key, n=1):
            self[key] = self.get(key, 0) + n

    stats = Stats()
    art = Article(url="u", canonical_url="u", site="8btc", site_id=None, title="t",
                  author=None, published_raw=None, published_at=None, summary=None, text=LEDE)
    out = DedupePipeline(stats).process_item(art)
    assert out.dedupe.body == sign(LEDE, "t").body and "meta" in out.dedupe.names
    assert stats == {"dedupe/articles": 1}


def _asdict(keys):
    import dataclasses
    return dataclasses.asdict(keys)


def test_template_siblings_naming_another_company_are_different_stories(db):
    baidu = LEDE.replace("Meta", "百度")
    assert lead_jaccard(lead(LEDE), lead(baidu)) > 0.6
    store.save_article(db, keyed_article(1, LEDE))
    store.save_article(db, keyed_article(2, baidu))
    store.save_article(db, keyed_article(3, LEDE.replace("Meta", "Intel")))
    assert len({story_of(db, n) for n in (1, 2, 3)}) == 3


def test_funding_template_told_of_two_projects_stays_apart_the_same_project_joins():
    one = lead("Alpha Labs 完成 500 万美元种子轮融资，本轮由红杉中国领投，其他机构跟投。")
    two = lead("Beta Labs 完成 500 万美元种子轮融资，本轮由红杉中国领投，其他机构跟投。")
    three = lead("Alpha Labs 完成 500 万美元种子轮融资，本轮由高瓴资本领投，其他机构跟投。")
    again = lead("据巴比特报道，Alpha Labs 完成 500 万美元种子轮融资，本轮由红杉中国领投，"
                 "其他机构跟投。\n该项目此前已上线测试网。")
    assert compare(one, two) == 0.0 and compare(one, three) == 0.0
    assert compare(one, again) == 1.0


def test_a_digest_item_repeating_the_first_sentence_joins_the_longer_article(db):
    first = LEDE.split("。")[0] + "。"
    store.save_article(db, keyed_article(1, LEDE))
    store.save_article(db, keyed_article(2, "4 月 29 日消息，" + first, site="foresight"))
    store.save_article(db, keyed_article(3, "巴比特讯，" + first + "\n" + OTHER, site="foresight"))
    assert story_of(db, 1) == story_of(db, 2) == story_of(db, 3)


def test_a_floor_only_hides_scores_that_could_not_win():
    """compare(floor=f) skips the names check under f; at or above f it is the full score."""
    texts = [LEDE, LEDE.replace("Meta", "百度"), LEDE.replace("Meta", "Intel"),
             LEDE.split("。")[0] + "。",
             "Alpha Labs 完成 500 万美元种子轮融资，本轮由红杉中国领投，其他机构跟投。",
             "Beta Labs 完成 500 万美元种子轮融资，本轮由红杉中国领投，其他机构跟投。",
             "Alpha Labs 完成 500 万美元种子轮融资，本轮由高瓴资本领投，其他机构跟投。"]
    leads = [lead_of(units(t)) for t in texts]
    seen = set()
    for a, a_cut in leads:
        for b, b_cut in leads:
            full = compare(a, b, a_cut, b_cut)
            for floor in (0.0, 0.3, 0.6, 0.9, 1.0):
                expected = full if full >= floor else 0.0
                assert compare(a, b, a_cut, b_cut, floor) == expected
            seen.add(full > 0.0)
    assert seen == {True, False}
