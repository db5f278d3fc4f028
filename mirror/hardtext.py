"""Chinese news prose for the hard-case set: an event's title and paragraphs in one voice.

``compose`` writes one event (``hardfacts.Facts``) in voice ``a`` or ``b`` at about a
target length (150-1500 characters): a lead with the date, some of the kind's details
in a shuffled order, then, for longer pieces, background sentences about the sector and
a look back at an earlier event of the same kind. ``flash`` writes a price flash, whose
pairs differ only in their figures. The templates are in ``hardtext_crypto`` and
``hardtext_ai``; the background pools below. All texts are written for this set.
"""

from __future__ import annotations

import random
from datetime import date

from . import hardfacts, hardtext_ai, hardtext_crypto, textgen, vocab

TEMPLATES = {**hardtext_crypto.TEMPLATES, **hardtext_ai.TEMPLATES}
GROUP = {"model": "ai", "partnership": "ai"}

BACKGROUND = {
    ("crypto", "a"): (
        "从行业整体来看，{bg_firm} 的数据显示，今年以来加密市场的机构参与度明显上升。",
        "今年上半年，全球加密领域一级市场融资总额同比增长 {bg_pct}。",
        "市场人士认为，流动性改善是近期行业回暖的主要原因之一。",
        "与此同时，各地监管机构对合规经营的要求也在不断提高。",
        "{bg_firm} 在最新报告中指出，{bg_sector}赛道的活跃开发者数量持续增加。",
        "部分分析师提醒，市场情绪转暖的同时，投资者仍需警惕波动风险。",
        "在链上活动方面，主流公链的日均交易笔数较上月增长 {bg_pct2}。",
        "业内普遍预计，未来一段时间行业整合仍将持续。",
        "多家机构在近期的研报中上调了对行业增长的预期。",
        "此外，稳定币总市值近几个月也在稳步攀升。",
    ),
    ("crypto", "b"): (
        "把视线拉远一些，{bg_firm} 统计称，机构资金今年明显加快了进场节奏。",
        "一级市场同样热闹，上半年加密项目拿到的融资比去年同期多出 {bg_pct}。",
        "有交易员把近来的回暖归结为流动性的宽松。",
        "合规则是另一条主线，不少地区的监管口径都在收紧。",
        "{bg_firm} 的研究还提到，{bg_sector}方向的开发者人数一直在涨。",
        "也有声音提醒，情绪升温之际更要当心行情的大起大落。",
        "链上数据也在印证这种变化，主要公链每天的交易量比上个月多了 {bg_pct2}。",
        "行业洗牌恐怕还会持续一段时间。",
        "近期发布的多份研究报告都给出了更乐观的行业预测。",
        "稳定币的发行总量这几个月同样一路走高。",
    ),
    ("ai", "a"): (
        "{bg_firm} 的数据显示，今年全球企业在生成式 AI 上的投入同比增长 {bg_pct}。",
        "随着模型能力提升，AI 应用正从聊天机器人向办公、编程和搜索等场景延伸。",
        "算力成本仍是制约大模型普及的重要因素。",
        "业内人士指出，开源模型的快速进步正在改变行业竞争格局。",
        "{bg_firm} 预计，未来三年{bg_sector}相关市场规模将保持高速增长。",
        "与此同时，数据安全和内容合规问题也受到越来越多的关注。",
        "多家科技公司近期都宣布加大在 AI 基础设施上的资本开支。",
        "分析人士认为，应用落地能力将成为下一阶段竞争的关键。",
        "国内已有数百个大模型完成备案并向公众提供服务。",
        "开发者社区对多模态能力的需求也在快速上升。",
    ),
    ("ai", "b"): (
        "钱正在大量涌入这一领域，{bg_firm} 估算企业今年在生成式 AI 上多花了 {bg_pct}。",
        "模型越来越强，落地场景也从对话扩展到了写代码、做文档和查资料。",
        "昂贵的算力依旧是横在普及路上的一道坎。",
        "开源阵营追赶得很快，闭源厂商的领先优势正在缩小。",
        "按照 {bg_firm} 的预测，{bg_sector}市场在接下来三年仍会快速扩张。",
        "数据怎么用、内容怎么管，也成了绕不开的话题。",
        "几家大型科技公司最近都调高了数据中心方面的投资预算。",
        "谁能把模型真正用进业务里，可能决定下一轮的胜负。",
        "国内通过备案、可以面向公众服务的大模型已经有数百个。",
        "开发者对能同时看图、听声音的模型兴趣越来越大。",
    ),
}
RECAP = {"a": "回顾此前报道：", "b": "相关阅读："}

FLASHES = (
    ("{coin} 跌破 {level} 美元", "{date} {time}，行情数据显示，{coin} 跌破 {level} 美元，现报 "
     "{price} 美元，24 小时跌幅 {pct}。"),
    ("{coin} 突破 {level} 美元", "{date} {time}，据行情显示，{coin} 突破 {level} 美元，现报 "
     "{price} 美元，日内涨幅 {pct}。"),
    ("{coin} 短线下挫，失守 {level} 美元", "{date} {time}，{coin} 短线快速下挫，失守 {level} "
     "美元关口，最低触及 {price} 美元，1 小时内下跌 {pct}。"),
    ("{coin} 站上 {level} 美元，日内涨 {pct}", "{date} {time}，{coin} 价格重新站上 {level} 美元，"
     "报 {price} 美元，日内上涨 {pct}。"),
)
FLASH_TAILS = ("全网过去 24 小时爆仓金额约 {liq} 美元。", "",
               "期货市场未平仓合约随之变化，资金费率维持在 {fund}。")
COINS = {"BTC": (30000, 100000, 1000), "ETH": (1500, 4500, 100), "SOL": (80, 260, 10),
         "BNB": (300, 700, 10), "比特币": (30000, 100000, 1000), "以太坊": (1500, 4500, 100)}


def fill(template: str, slots: dict[str, str]) -> str:
    """A template with its slots filled and CJK/Latin spacing tidied."""
    return textgen.tidy(template.format(**slots))


def background_slots(rng: random.Random) -> dict[str, str]:
    """The slots the background sentences name, drawn once per story."""
    return {"bg_firm": rng.choice(vocab.RESEARCH_FIRMS), "bg_pct": f"{rng.randint(12, 180)}%",
            "bg_pct2": f"{rng.randint(3, 60)}%",
            "bg_sector": rng.choice(vocab.SECTORS)}


def compose(rng: random.Random, facts: hardfacts.Facts, voice: str,
            length: int) -> tuple[str, list[str]]:
    """(title, paragraphs) of an event in ``voice``, about ``length`` characters long.

    The plan (which sentences, how many paragraphs) is measured on the unfilled templates,
    so the same ``rng`` state gives two events the same plan (template siblings)."""
    t = TEMPLATES[facts.kind][voice]
    slots = facts.slots
    details = rng.sample(t["detail"], len(t["detail"]))
    plan = [[(rng.choice(t["lead"]), slots)]]
    while details and _size(plan) < length:
        take = rng.choice((1, 2))
        plan.append([(d, slots) for d in details[:take]])
        details = details[take:]
    pool = list(BACKGROUND[(GROUP.get(facts.kind, "crypto"), voice)])
    rng.shuffle(pool)
    if _size(plan) < length - 60:
        plan.append([(b, slots) for b in pool[:rng.choice((2, 3))]])
    while _size(plan) < length - 60:
        plan.append(_recap(rng, facts, voice))
    paragraphs = ["".join(fill(x, s) for x, s in part) for part in plan]
    return fill(rng.choice(t["title"]), slots), paragraphs


def _recap(rng: random.Random, facts: hardfacts.Facts,
           voice: str) -> list[tuple[str, dict[str, str]]]:
    """A look back at an earlier event of the same kind (other names, other figures)."""
    earlier = hardfacts.draw(rng, date.fromordinal(facts.day.toordinal() - rng.randint(20, 300)),
                             facts.kind)
    t = TEMPLATES[earlier.kind][voice]
    told = [RECAP[voice] + rng.choice(t["lead"]), *rng.sample(t["detail"], 2)]
    return [(x, earlier.slots) for x in told]


def _size(plan: list[list[tuple[str, dict[str, str]]]]) -> int:
    """Characters of a plan's templates (slots count as their names)."""
    return sum(len(x) for part in plan for x, _ in part)


def flash_slots(rng: random.Random, coin: str, day: date) -> dict[str, str]:
    """The figures of one price flash about ``coin`` on ``day``."""
    low, high, step = COINS[coin]
    level = rng.randrange(low, high, step)
    shown = f"{level / 10000:g} 万" if level >= 10000 else f"{level:,}"
    price = level + rng.randint(-step // 2, step // 2)
    return {"coin": coin, "level": shown, "price": f"{price:,}",
            "pct": f"{rng.uniform(0.8, 9):.2f}%", "date": f"{day.month} 月 {day.day} 日",
            "time": f"{rng.randint(0, 23)}:{rng.randint(0, 59):02d}",
            "liq": f"{rng.randint(1, 9)}.{rng.randint(1, 9)} 亿",
            "fund": f"0.0{rng.randint(1, 9)}%"}


def flash(template: int, tail: int, slots: dict[str, str]) -> tuple[str, list[str]]:
    """(title, paragraphs) of a price flash: template ``template`` with tail ``tail``."""
    head, body = FLASHES[template]
    text = fill(body, slots) + fill(FLASH_TAILS[tail], slots)
    return fill(head, slots), [text]
