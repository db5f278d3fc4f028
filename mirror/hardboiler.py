"""What the hard-case set's outlets print around the news: lead-ins, columns, footers.

Three outlets: 8btc and Foresight (our two sites) and a third, ChainCatcher-like outlet on
an ``.example`` host that the generic extractor reads. Each has its own lead-ins, header
lines (文｜作者), footer lines (免责声明, 风险提示, 来源, 责任编辑, share prompts,
本文来自...) and columns; a column's fixed introduction (60-150 characters: its name and
what it collects) opens every one of its items. Also the copy edits: headline edits,
name spellings swapped (``hardfacts.ALIASES``), full-width forms.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crawler import sites

from . import hardfacts, textgen

EDITORS = ("李然", "周舟", "王一鸣", "陈默", "Lily", "赵青", "孙小北", "Kevin")


@dataclass(frozen=True)
class Column:
    """A column: its name, its fixed introduction and the event kinds it carries."""

    name: str
    intro: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Outlet:
    """One outlet's URL shape and the boilerplate it prints."""

    name: str
    lead_ins: tuple[str, ...]
    footers: tuple[str, ...]
    columns: tuple[Column, ...]

    def url(self, page_id: int) -> str:
        """The canonical URL of the outlet's article ``page_id``."""
        if self.name == "8btc":
            return sites.eightbtc_article_url(page_id)
        if self.name == "foresight":
            return sites.foresight_detail_url(page_id)
        return f"https://www.chaincatcher.example/article/{page_id}"


OUTLETS = {
    "8btc": Outlet("8btc", ("巴比特讯，", "据巴比特报道，", "巴比特消息，"), (
        "本文来自巴比特，转载请注明出处。",
        "责任编辑：{editor}",
        "风险提示：根据央行等部门发布的相关通知，请广大公众理性看待区块链，切实提高风险意识。",
        "扫码关注巴比特公众号，第一时间获取区块链与 AI 前沿资讯。",
        "声明：本文为作者独立观点，不代表巴比特立场，且不构成投资建议。",
        "来源：巴比特资讯",
    ), (
        Column("链上观察", "「链上观察」是巴比特推出的每日栏目，精选过去 24 小时内的链上数据异动、"
               "巨鲸地址转账与交易所资金流向，以简明快讯的形式呈现值得关注的链上信号，帮助读者"
               "第一时间把握市场脉搏。", ("hack", "unlock", "etf", "listing")),
        Column("AI 前哨", "「AI 前哨」栏目每日追踪全球人工智能领域的重要动态，涵盖大模型发布、算力"
               "产业链、AI 应用落地与政策监管等方面，由巴比特编辑部整理汇编，以下为今日值得关注的"
               "消息。", ("model", "partnership")),
        Column("融资速递", "「融资速递」汇总一级市场最新投融资信息，关注区块链、Web3 与 AI 赛道的"
               "早期项目，每条消息均经编辑核实后发布，本栏目内容仅供参考，不构成投资建议。",
               ("financing",)),
    )),
    "foresight": Outlet("foresight", ("Foresight News 消息，", "据 Foresight News 报道，"), (
        "Foresight News 提醒：本文仅供参考，不构成任何投资建议。",
        "免责声明：本文内容来自公开信息整理，不代表 Foresight News 观点。",
        "扫码下载 Foresight News App，随时随地掌握 Web3 最新动态。",
        "本文来自 Foresight News，作者：{editor}。",
        "来源：Foresight News",
    ), (
        Column("Foresight 早报", "「Foresight 早报」每天早上为你梳理过去一夜加密世界发生的大事，"
               "项目动态、监管进展与市场行情一网打尽，用几分钟读懂行业最新变化。",
               ("listing", "etf", "unlock", "financing")),
        Column("监管周记", "「监管周记」栏目持续关注全球主要司法辖区针对加密资产与人工智能的监管"
               "政策变化，解读新规要点及其对行业的潜在影响，欢迎读者在评论区留言讨论。",
               ("regulation",)),
    )),
    "chaincatcher": Outlet("chaincatcher", ("ChainCatcher 消息，", "据 ChainCatcher 获悉，"), (
        "声明：本文仅代表作者个人观点，不代表 ChainCatcher 立场，不构成投资建议。",
        "ChainCatcher 提醒广大读者理性看待区块链，切实提高风险防范意识。",
        "关注 ChainCatcher 官方微信，获取第一手行业资讯。",
        "编辑：{editor}",
        "来源：ChainCatcher",
    ), (
        Column("项目追踪", "「项目追踪」是 ChainCatcher 的常设栏目，聚焦新近上线、完成融资或遭遇"
               "安全事件的区块链项目，用简短篇幅交代事件的来龙去脉，方便读者快速了解项目进展。",
               ("listing", "hack", "financing", "unlock")),
    )),
}
COLUMNS = tuple((o, c) for o in OUTLETS.values() for c in o.columns)

LIGHT_EDITS = (("表示，", "称，"), ("目前", "眼下"), ("此前", "之前"), ("约为", "大致为"),
               ("，并", "，同时"), ("显示，", "表明，"), ("主要", "重点"))
"""Word swaps an editor makes in a reprint (the new word never contains the old)."""
HEADLINE_EDITS = ("重磅｜{}", "{}（更新）", "快讯：{}", "刚刚，{}", "{}，官方回应", "独家｜{}")
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in
                            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"})


def footers(rng: random.Random, outlet: Outlet, count: int) -> list[str]:
    """``count`` of the outlet's footer lines, in its order."""
    picked = sorted(rng.sample(range(len(outlet.footers)), min(count, len(outlet.footers))))
    editor = rng.choice(EDITORS)
    return [outlet.footers[i].format(editor=editor) for i in picked]


def header(rng: random.Random) -> str:
    """A byline line printed above the body."""
    return f"文｜{rng.choice(EDITORS)}"


def lead_in(rng: random.Random, outlet: Outlet, paragraph: str) -> str:
    """The first paragraph with one of the outlet's lead-ins in front."""
    return rng.choice(outlet.lead_ins) + paragraph


def edit_headline(rng: random.Random, title: str) -> str:
    """A headline as a reprint edits it: a label or an update mark around it."""
    return rng.choice(HEADLINE_EDITS).format(title)


def light_edit(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """The paragraphs with one word changed in one of them, as an editor would."""
    out = list(paragraphs)
    for n in rng.sample(range(len(out)), len(out)):
        edits = [e for e in LIGHT_EDITS if e[0] in out[n]]
        if edits:
            old, new = rng.choice(edits)
            out[n] = out[n].replace(old, new, 1)
            return out
    return out


def swap_names(text: str, to_latin: bool = True) -> str:
    """The text with every aliased name written the other way (百度 -> Baidu)."""
    pairs = hardfacts.ALIASES.items() if to_latin else ((v, k) for k, v in
                                                        hardfacts.ALIASES.items())
    for old, new in sorted(pairs, key=lambda p: -len(p[0])):
        text = text.replace(old, f" {new} ")
    return textgen.tidy(text)


def has_alias(text: str) -> bool:
    """Whether the text names something ``swap_names`` would respell."""
    return any(name in text for name in hardfacts.ALIASES)


def full_width(text: str) -> str:
    """ASCII digits and letters as their full-width forms (ＢＴＣ, １２３)."""
    return text.translate(FULL_WIDTH)
