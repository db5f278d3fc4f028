"""Issue 15: stories on real pages: folding, learned boilerplate, retellings, light edits.

Each test places texts with the store's own path (archive.store.save_article, keys from
the dedupe pipeline) and reads the stories back, so it fails if any rule it names breaks.
"""

from __future__ import annotations

import random

import opencc
import pytest

from archive import store
from archive.db import open_db
from archive.facts import figures, names
from archive.fold import fold
from archive.signature import units
from tests.test_dedupe import keyed_article as article

COLUMN = ("「链上观察」是本站每日推出的区块链行业速递栏目，为读者精选过去二十四小时内值得关注的"
          "项目动态、融资消息与监管进展，帮助读者快速把握行业脉搏。")
DISCLAIMER = "风险提示：本文仅为信息分享，不构成任何投资建议，读者应自行判断并承担风险。"
NEWS = [
    "Arbitrum 基金会宣布推出总额 5000 万枚 ARB 的游戏激励计划，首批资助将于下月发放。",
    "Solstice Labs 完成 1200 万美元种子轮融资，Paradigm 领投，资金将用于跨链钱包研发。",
    "香港证监会批准两家虚拟资产交易平台牌照申请，持牌平台总数增至 11 家。",
    "Lido 链上质押总量突破 950 万枚 ETH，占以太坊质押总量的 29%。",
    "Nebula Finance 遭遇闪电贷攻击，损失约 320 万美元，团队已暂停合约。",
    "Worldcoin 宣布在新加坡上线虹膜认证服务，首月计划覆盖 20 个网点。",
    "Tether 公布季度报告，USDT 储备中美国国债持仓增至 810 亿美元。",
    "Farcaster 客户端 Warpcast 日活跃用户突破 8 万，较上月增长 60%。",
]


def stories_of(db, ns) -> list[int]:
    return [db.execute("SELECT story_id FROM articles WHERE site_id = ?", [str(n)]).fetchone()[0]
            for n in ns]


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "a.db")
    yield database
    database.close()


def test_folding_makes_script_width_and_alias_copies_one_spelling():
    simplified = "英伟达与百度合作，比特币价格突破 6 万美元。"
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    assert fold(traditional) == fold(simplified)
    assert units("Nvidia 与 Baidu 合作，ＢＴＣ 价格突破 ６ 万美元。") == units(simplified)
    assert fold("ethena 与 eth") == "ethena 与 以太坊"  # whole Latin words only


def test_figures_are_normalised_and_names_read_in_order():
    assert figures(fold("融资 1.2 亿美元")) == figures(fold("融资 12,000 万美元"))
    assert figures(fold("比特币跌破 6 万美元")) != figures(fold("比特币跌破 5.8 万美元"))
    assert figures(fold("上涨 3.5%，成交 200 笔，3 月 1 日")) == {"3.5%", "200笔", "d3-1"}
    assert names(fold("据 The Block 报道，Multicoin Capital 领投 Zenith Protocol")) == (
        "multicoin", "zenith")  # "capital", "protocol": common words, trimmed
    assert names(fold("百度发布「文心一言」")) == ("百度", "文心一言")


def test_a_column_introduction_is_learned_as_boilerplate_and_merges_nothing(db):
    """Eight items of one column: its introduction is learned at the eighth (a sentence
    stating no fact, in 8 texts of a site), and the items placed before are placed again."""
    for n, news in enumerate(NEWS, 1):
        store.save_article(db, article(n, f"{COLUMN}\n{news}\n{DISCLAIMER}"))
    assert len(set(stories_of(db, range(1, 9)))) == 8
    learned = {r[0] for r in db.execute("SELECT sample FROM boilerplate WHERE what = 'u'")}
    assert any("链上观察" in s for s in learned)
    # A reprint of one column item, after the introduction was learned, joins its story.
    store.save_article(db, article(9, f"{COLUMN}\n巴比特讯，{NEWS[4]}\n{DISCLAIMER}"))
    assert stories_of(db, [9]) == stories_of(db, [5])


def test_a_story_reprinted_many_times_on_one_site_keeps_its_sentences(db):
    text = f"{NEWS[1]}\n该项目此前已上线测试网，累计吸引超过 30 万名用户参与。"
    for n in range(1, 9):
        store.save_article(db, article(n, ("巴比特讯，" if n % 2 else "") + text))
    assert len(set(stories_of(db, range(1, 9)))) == 1
    assert db.execute("SELECT count(*) FROM boilerplate WHERE what = 'u'"
                      ).fetchone()[0] == 0


RETOLD = ("据 Cointelegraph 报道，跨链钱包开发商 Solstice Labs 已筹得 1200 万美元，本轮种子"
          "融资的领投方为 Paradigm。")


def test_a_retelling_in_other_words_joins_and_a_price_flash_pair_stays_two(db):
    store.save_article(db, article(1, NEWS[1] + "\n团队表示将在年内推出主网。"))
    store.save_article(db, article(2, RETOLD, site="foresight",
                                   published_at="2024-04-30T09:00:00+08:00"))
    store.save_article(db, article(3, "比特币短时跌破 6 万美元，24 小时跌幅 3.1%。"))
    store.save_article(db, article(4, "比特币短时跌破 5.8 万美元，24 小时跌幅 4.2%。"))
    one, two, three, four = stories_of(db, [1, 2, 3, 4])
    assert one == two and three != four


def test_a_retelling_weeks_later_is_another_story(db):
    store.save_article(db, article(1, NEWS[1]))
    store.save_article(db, article(2, RETOLD, published_at="2024-06-30T09:00:00+08:00"))
    assert len(set(stories_of(db, [1, 2]))) == 2


BODY = ("团队表示，新资金将主要用于钱包的多链账户抽象功能开发，并扩充位于新加坡和柏林的工程团队。"
        "\nSolstice Labs 的钱包目前支持以太坊、Solana 和 Arbitrum 等 12 条公链，"
        "月活跃用户约 45 万。\n创始人 Mira Chen 此前曾在 Coinbase 负责钱包产品，"
        "她表示下一阶段的重点是降低新用户的使用门槛。")


def test_a_copy_whose_first_paragraph_was_rewritten_joins(db):
    store.save_article(db, article(1, f"{NEWS[1]}\n{BODY}"))
    rewritten = ("Solstice Labs 周二宣布已完成新一轮融资，金额达 1200 万美元，"
                 "Paradigm 担任本轮领投方。")
    store.save_article(db, article(2, f"{rewritten}\n{BODY}", site="foresight"))
    store.save_article(db, article(3, opencc.OpenCC("s2t").convert(f"{NEWS[1]}\n{BODY}")))
    assert len(set(stories_of(db, [1, 2, 3]))) == 1


def test_the_same_template_told_of_another_project_stays_apart(db):
    store.save_article(db, article(1, f"{NEWS[1]}\n{BODY}"))
    sibling = f"{NEWS[1]}\n{BODY}".replace("Solstice Labs", "Aurora Grid")
    store.save_article(db, article(2, sibling))
    assert len(set(stories_of(db, [1, 2]))) == 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_partition_does_not_depend_on_arrival_order(tmp_path, seed):
    texts = ([f"{COLUMN}\n{news}\n{DISCLAIMER}" for news in NEWS]
             + [f"{NEWS[1]}\n{BODY}", RETOLD, opencc.OpenCC("s2t").convert(NEWS[2]),
                f"巴比特讯，{NEWS[4]}", "比特币短时跌破 6 万美元。", "比特币短时跌破 5.8 万美元。"])

    def partition(order: list[int], path) -> set[frozenset[int]]:
        database = open_db(path)
        for n in order:
            store.save_article(database, article(n + 1, texts[n]))
        groups: dict[int, set[int]] = {}
        for n, story in zip(range(len(texts)), stories_of(database, range(1, len(texts) + 1)),
                            strict=True):
            groups.setdefault(story, set()).add(n)
        database.close()
        return {frozenset(g) for g in groups.values()}

    order = list(range(len(texts)))
    straight = partition(order, tmp_path / "a.db")
    random.Random(seed).shuffle(order)
    assert partition(order, tmp_path / "b.db") == straight
    # the column's Solstice item, its longer copy and the retelling; the Traditional copy
    # of the Hong Kong item; the reprint of the exploit item; every other text alone
    joined = {frozenset({1, 8, 9}), frozenset({2, 10}), frozenset({4, 11})}
    assert joined <= straight and len(straight) == len(texts) - 4
