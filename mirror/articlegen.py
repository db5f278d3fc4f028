"""Regular article bodies (8btc articles, Foresight column posts) as block lists.

The first paragraph is the article's lede (what digests quote as a blurb). Around it:
sub-headings, quotes, lists, images (some lazy, some relative, some repeated), a figure
with a caption, ``<br>``-split paragraphs, U+3000 indents, bold clauses, empty spacers and
the boilerplate the contract drops (图片来源, 原文：, 作者：, 本文由..., 责任编辑, 风险提示).
"""

from __future__ import annotations

import random
from datetime import date

from . import media, textgen, vocab
from .blocks import Block, Run, bold_line, image, multiline, para, spacer

_TAIL_8BTC = (
    "本文由作者授权巴比特发布，未经授权禁止转载。",
    "风险提示：本文仅代表作者观点，不构成任何投资建议。",
    "责任编辑：{editor}",
)


def _image_blocks(rng: random.Random, site: str, day: date, era: str) -> list[Block]:
    """An image (maybe lazy or relative) with, sometimes, its credit line or a caption."""
    src = media.site_image(rng, site, day)
    if site == "8btc" and era == "2019":
        lazy = "data-original" if rng.random() < 0.15 else ""
        if rng.random() < 0.1:
            src = src.removeprefix("https:")
    else:
        lazy = "data-src" if rng.random() < 0.2 else ""
    roll = rng.random()
    if roll < 0.12:
        caption = rng.choice(("示意图", "图片来源：网络", "数据来源：公开资料整理"))
        return [Block("figure", src=src, caption=caption)]
    out = [image(src, lazy=lazy)]
    if roll < 0.45:
        out.append(
            para(rng.choice(("图片来源：由无界AI生成", "图片来源：视觉中国", "图片来源：Unsplash")))
        )
    return out


def _paragraph(rng: random.Random, text: str, indent: bool) -> Block:
    """A body paragraph, maybe with a bold clause, maybe indented with U+3000."""
    prefix = "\u3000\u3000" if indent else ""
    parts = text.split("，")
    if len(parts) >= 3 and rng.random() < 0.2:
        return para(prefix + parts[0] + "，", Run(parts[1], bold=True), "，" + "，".join(parts[2:]))
    return para(prefix + text)


def _middle(
    rng: random.Random, filled: textgen.Filled, site: str, era: str, day: date
) -> list[Block]:
    """Sub-headings, commentary, quotes and lists after the lede."""
    out: list[Block] = []
    pool = [textgen.filler(rng, filled.slots) for _ in range(2)] + list(filled.more[1:])
    commentary = textgen.Commentary(rng, filled.slots)
    indent = site == "8btc" and era == "2019" and rng.random() < 0.3
    for _ in range(rng.randint(3, 7)):
        roll = rng.random()
        if roll < 0.15:
            kind = "h3" if era == "2024" and rng.random() < 0.5 else "h2"
            out.append(bold_line(rng.choice(vocab.SUBHEADS), kind=kind))
        elif roll < 0.22:
            quote = textgen.fill(
                "“{theme}不是一个短期风口，而是一次基础设施的迁移。”", filled.slots
            )
            out.append(Block("quote", ((Run(quote),),)))
        elif roll < 0.28:
            items = [textgen.fill(t, filled.slots) for t in rng.sample(_LIST_ITEMS, 3)]
            out.append(Block("ul", tuple((Run(t),) for t in items)))
        elif roll < 0.34:
            out.append(multiline([commentary.paragraph(1) for _ in range(2)]))
        text = (
            pool.pop() if pool and rng.random() < 0.4 else commentary.paragraph(rng.randint(2, 3))
        )
        out.append(_paragraph(rng, text, indent))
        if rng.random() < 0.1:
            out.append(spacer(rng.choice(("br", "nbsp", "ideo"))))
        if rng.random() < 0.25:
            out += _image_blocks(rng, site, day, era)
    return out


_LIST_ITEMS = (
    "降低{theme}产品的使用门槛",
    "完善链上身份与信用体系",
    "引入合规的法币出入金通道",
    "建立开发者激励与资助计划",
    "加强智能合约安全审计",
    "探索 AI 与{sector}的结合",
)


def _tail(rng: random.Random, site: str, author: str) -> list[Block]:
    """Boilerplate the contract drops, as real pages carry it at the end."""
    out: list[Block] = []
    if rng.random() < 0.2:
        out.append(para("原文：https://www.odaily.news/post/" + str(rng.randint(5000000, 5200000))))
    if rng.random() < 0.15:
        out.append(para("作者：" + author))
    if site == "8btc" and rng.random() < 0.3:
        out.append(para(rng.choice(_TAIL_8BTC).format(editor=author)))
    if site == "foresight" and rng.random() < 0.25:
        out.append(para("风险提示：根据央行等部门发布的相关通知，请广大公众理性看待区块链。"))
    if rng.random() < 0.05:
        out.append(Block("hr") if site == "8btc" else spacer("empty"))
    return out


def body(
    rng: random.Random,
    filled: textgen.Filled,
    lede: str,
    site: str,
    era: str,
    author: str,
    day: date,
) -> tuple[Block, ...]:
    """The body of a regular article whose first paragraph is ``lede``."""
    out: list[Block] = []
    if site == "foresight" and rng.random() < 0.3:
        out.append(para(f"撰文：{author}，Foresight News"))
    if rng.random() < 0.05:
        out.append(para("摘要：" + filled.first))
    out.append(para(lede))
    if rng.random() < 0.5:
        out += _image_blocks(rng, site, day, era)
    out += _middle(rng, filled, site, era, day)
    images = [b for b in out if b.kind == "img"]
    if images and rng.random() < 0.08:
        out.append(image(images[0].src or "", lazy=images[0].lazy))
    if era == "2024" and rng.random() < 0.2:
        out.insert(len(out) - 1, Block("hr"))
    out += _tail(rng, site, author)
    return tuple(out)
