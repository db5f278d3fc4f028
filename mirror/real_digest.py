# ruff: noqa: E501 (long Chinese prose literals)
"""The one real digest (March 2023) and the three 8btc articles it recommends.

``data/digest-2023-03-07.md`` is the real text of a 巴比特 元宇宙每日必读 digest
(reference/digest-sample.md). ``blocks()`` turns it into the block list a Foresight column
post would carry: images as ``<img>`` with their real img.foresightnews.pro URLs, the 摘要
line, the credit line, the 热点资讯 label, bold headlines, paragraphs, the 元宇宙荐读 label,
bold 《》 titles, blurbs, URL lines and the footer (``\\_`` unescaped, the glued social
line split back into lines). Blank ``"  "`` lines become empty ``<p><br></p>`` spacers.

The ground truth (``ITEM_FACTS``) was read off the sample by hand: every lead of items 1-4
states 3 月 7 日; item 5 opens 据 Thebigwhale 报道 (its 4 月 24 日 is not in the lead).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from importlib import resources

from .blocks import Block, bold_line, image, multiline, para, spacer
from .digestgen import ItemFacts, RecFacts

DIGEST_ID = 26503
"""Foresight post id chosen for the real digest (its real id is unknown, sites.md §6)."""
PUBLISHED = datetime.fromisoformat("2023-03-08T00:02:00+08:00")
"""00:02 Beijing, the series' usual time (sites.md §0 shows a 00:02:03 digest)."""
# SYNTHETIC: the sample has no title; this one imitates the series' style.
TITLE = "巴比特 | 元宇宙每日必读：证监会科技监管局局长姚前撰文称，训练数据将成为大模型产业化的最大掣肘之一"
COVER = "https://img.foresightnews.pro/202303/f9fdc51ea816b3e751f60ed6ffbc21e9.png?x-oss-process=style/article_img"

ITEM_FACTS = (
    ItemFacts("2023-03-07", None),
    ItemFacts("2023-03-07", "新浪科技"),
    ItemFacts("2023-03-07", "福布斯"),
    ItemFacts("2023-03-07", None),
    ItemFacts(None, "Thebigwhale"),
)

_IMAGE = re.compile(r"^\*?!\[\]\((?P<url>[^)]+)\)\*?$")
_BOLD = re.compile(r"^\*\*(?P<text>.+)\*\*$")
_URL = re.compile(r"^https?://\S+$")
_SOCIAL_SPLIT = re.compile(r"(?=Discord 社区：|电报频道：|电报社区：|!\[\]\()")
_FOOTER_HEAD = "巴比特园区开放合作啦！"


@cache
def markdown() -> str:
    """The real digest text, as shipped in the package data."""
    return (
        resources.files("mirror").joinpath("data/digest-2023-03-07.md").read_text("utf-8")
    )


def _social_blocks(line: str) -> list[Block]:
    """The footer's glued social line: text lines with a trailing image."""
    pieces = [p for p in _SOCIAL_SPLIT.split(line) if p]
    texts = [p for p in pieces if not p.startswith("![](")]
    out = [multiline(texts, role="footer")]
    out += [image(m.group("url"), role="footer") for p in pieces if (m := _IMAGE.match(p))]
    return out


def _text_block(text: str, section: str) -> list[Block]:
    """A plain line in its section: summary, credit, label, item text, blurb, URL, footer."""
    if text.startswith("摘要："):
        return [para(text, role="summary")]
    if text.startswith("图片来源"):
        return [para(text, role="credit")]
    if text == "热点资讯":
        return [para(text, role="news_label")]
    if text == "元宇宙荐读":
        return [para(text, role="rec_label")]
    if section == "footer":
        return (
            _social_blocks(text)
            if "：http" in text and "![](" in text
            else [para(text, role="footer")]
        )
    if section == "recs" and _URL.match(text):
        return [para(text, role="rec_url")]
    return [para(text, role="blurb" if section == "recs" else "item_text")]


def _convert_line(raw: str, state: dict) -> list[Block]:
    """One markdown line -> blocks; ``state`` tracks the section and the facts to attach."""
    if raw.strip() == "" and raw != "":
        return [spacer("br")]
    text = raw.strip().replace("\\_", "_")
    if not text:
        return []
    if text in ("热点资讯", "元宇宙荐读"):
        state["section"] = "items" if text == "热点资讯" else "recs"
    if m := _IMAGE.match(text):
        return [image(m.group("url"), role="footer" if state["section"] == "footer" else "image")]
    if m := _BOLD.match(text):
        title = m.group("text")
        if title == _FOOTER_HEAD:
            state["section"] = "footer"
            return [bold_line(title, role="footer")]
        if state["section"] == "items":
            return [bold_line(title, role="item_head", meta=state["items"].pop(0))]
        return [bold_line(title, role="rec_head", meta=None)]
    return _text_block(text, state["section"])


def _attach_rec_facts(blocks: list[Block]) -> list[Block]:
    """Give each recommendation title its RecFacts (title, URL of the next URL line)."""
    out = list(blocks)
    for i, block in enumerate(out):
        if block.role != "rec_head":
            continue
        url = next(b for b in out[i + 1 :] if b.role == "rec_url").lines[0][0].text
        title = block.lines[0][0].text.removeprefix("《").removesuffix("》")
        out[i] = Block(block.kind, block.lines, block.role, block.style, meta=RecFacts(title, url))
    return out


@cache
def blocks() -> tuple[Block, ...]:
    """The real digest as body blocks, with ground-truth facts on headlines."""
    state = {"section": "opening", "items": list(ITEM_FACTS)}
    out: list[Block] = []
    for raw in markdown().split("\n"):
        out += _convert_line(raw, state)
    assert not state["items"], "the real digest must have exactly 5 items"
    return tuple(_attach_rec_facts(out))


def summary() -> str:
    """The 摘要 text without its label."""
    line = next(b for b in blocks() if b.role == "summary").lines[0][0].text
    return line.removeprefix("摘要：")


# SYNTHETIC beyond the first paragraph: the real articles were not found (sites.md §6).
# Titles and first paragraphs are the digest's recommendation titles and blurbs; dates,
# authors, tags and the later paragraphs are invented.
REAL_ARTICLES = {
    6807594: {
        "published": "2023-03-06T18:41:27+08:00",
        "author": (52968, "区块先生"),
        "tags": ("AIGC", "投资", "ChatGPT"),
        "more": (
            "多位受访投资人表示，目前 AIGC 赛道的估值普遍偏高，不少项目仍停留在调用大模型接口做简单封装的阶段，缺乏核心技术壁垒。",
            "一位早期投资机构合伙人认为，相比通用大模型，垂直行业应用和算力基础设施可能是更现实的投资方向。",
            "也有投资人坦言，机构内部对 AIGC 的判断整体乐观，但在具体项目上会更加谨慎，更看重团队对行业数据的积累。",
        ),
    },
    6807648: {
        "published": "2023-03-07T10:26:41+08:00",
        "author": (80027, "巴比特编辑部"),
        "tags": ("ChatGPT", "大模型", "数据治理"),
        "more": (
            "文章认为，训练数据的来源、质量与合规性将直接影响大模型的能力边界，数据治理需要与技术发展同步推进。",
            "作者建议，一方面重点发展基于 AIGC 技术的合成数据产业，另一方面构建大模型训练数据的监管体系。",
            "此外，可以探索基于可信机构或可信技术的数据托管方式，在保护数据安全的前提下促进数据要素流通。",
            "本文由作者授权巴比特发布，转载请注明出处。",
        ),
    },
    6807678: {
        "published": "2023-03-07T15:12:05+08:00",
        "author": (70034, "ByteAILab"),
        "tags": ("Meta", "LLaMA", "开源"),
        "more": (
            "据了解，LLaMA 是 Meta 推出的大语言模型系列，参数规模从 70 亿到 650 亿不等，此前仅向研究人员开放申请。",
            "模型权重泄露后，大量开发者开始在消费级显卡上尝试运行和微调该模型，相关项目在开源社区迅速走红。",
            "有分析认为，这一事件可能加速开源大模型生态的发展，同时也引发了外界对模型滥用风险的担忧。",
        ),
    },
}


def real_article_lede(article_id: int) -> tuple[str, str]:
    """(title, first paragraph) of a recommended real article, read from the digest."""
    for i, block in enumerate(blocks()):
        if block.role == "rec_head" and block.meta.url.endswith(f"/{article_id}"):
            blurb = next(b for b in blocks()[i + 1 :] if b.role == "blurb")
            return block.meta.title, blurb.lines[0][0].text
    raise KeyError(article_id)
