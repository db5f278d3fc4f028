"""Generated daily digests: the real digest's structure with realistic variety.

A digest body is a block list: opening images, the 摘要 line, an image credit, the news
label, 3-8 items (bold or ``<h3>`` headline, 1-3 paragraphs whose lead states a date and/or
an outlet), the reading label, the recommendations (title, blurb, link) and a footer that is
not news. Each item headline carries ``ItemFacts`` and each recommendation title carries
``RecFacts``: what docs/extraction.md must return for them, fixed when the text is written.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from . import dupes, media, textgen, vocab
from .blocks import Block, Run, bold_line, image, is_headline_text, multiline, para, spacer
from .stories import STORIES


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """Ground truth of one item: the date its lead states and the outlet it credits."""

    event_date: str | None
    attribution: str | None
    story: str | None = None
    """The story label (dupes.story_key); None for the real digest's items."""


@dataclass(frozen=True, slots=True)
class RecFacts:
    """Ground truth of one recommendation: title without 《》 and the URL as written."""

    title: str
    url: str


class RecTarget(NamedTuple):
    """An 8btc article a digest recommends."""

    article_id: int
    title: str
    lede: str
    story: str = ""


@dataclass(frozen=True, slots=True)
class Styles:
    """Markup choices made once per digest (real digests are consistent within a page)."""

    label: str  # 'p' | 'strong' | 'h2'
    head: str  # 'strong' | 'b' | 'h3'
    url: str  # 'plain' | 'a_url' | 'a_read'
    spacer: str  # 'br' | 'nbsp' | 'ideo' | 'empty' | ''
    summary: str  # 'plain' | 'ascii' | 'bold_label' | 'none'


def pick_styles(rng: random.Random) -> Styles:
    """Per-digest markup choices."""
    return Styles(
        label=rng.choice(("p", "p", "strong", "h2")),
        head=rng.choice(("strong", "strong", "strong", "b", "h3")),
        url=rng.choice(("plain", "plain", "a_url", "a_read")),
        spacer=rng.choice(("br", "br", "nbsp", "ideo", "empty", "")),
        summary=rng.choices(("plain", "ascii", "bold_label", "none"), (70, 10, 10, 10))[0],
    )


def _gap(rng: random.Random, st: Styles, out: list[Block], p: float = 0.7) -> None:
    if st.spacer and rng.random() < p:
        out.append(spacer(st.spacer))


def _headline(text: str, st: Styles, role: str, meta: object) -> Block:
    if st.head == "h3":
        return bold_line(text, kind="h3", role=role, meta=meta)
    return bold_line(text, role=role, style=st.head, meta=meta)


def _label(text: str, st: Styles, role: str) -> Block:
    if st.label == "h2":
        return bold_line(text, kind="h2", role=role)
    if st.label == "strong":
        return bold_line(text, role=role)
    return para(text, role=role)


def opening(
    rng: random.Random, day: date, site: str, st: Styles, summary: str | None
) -> list[Block]:
    """Banner image, 摘要 line, cover image and its credit line."""
    out: list[Block] = []
    if rng.random() < 0.7:
        out.append(image(media.site_image(rng, site, day), role="image"))
    if summary and st.summary != "none":
        if st.summary == "bold_label":
            out.append(para(Run("摘要：", bold=True), summary, role="summary"))
        else:
            out.append(
                para(("摘要:" if st.summary == "ascii" else "摘要：") + summary, role="summary")
            )
    _gap(rng, st, out, 0.9)
    if rng.random() < 0.75:
        out.append(image(media.site_image(rng, site, day), role="image"))
        out.append(
            para(
                rng.choice(("图片来源：由无界 AI 绘画工具生成。", "图片来源：由无界AI生成")),
                role="credit",
            )
        )
        _gap(rng, st, out)
    return out


def _emphasise(rng: random.Random, text: str) -> tuple[str | Run, ...]:
    """A paragraph with a bold clause in the middle (never the whole line)."""
    parts = text.split("，")
    if len(parts) < 3 or rng.random() < 0.8:
        return (text,)
    head, mid, tail = "，".join(parts[:1]), parts[1], "，".join(parts[2:])
    return (head + "，", Run(mid, bold=True), "，" + tail)


def item(
    rng: random.Random, day: date, site: str, st: Styles, force_dated: bool, story_index: int
) -> list[Block]:
    """One news item: headline, lead paragraph, optional follow-ups, image and credit."""
    event = day - timedelta(days=rng.choices((1, 2), (85, 15))[0])
    story = textgen.pick_story(rng, event, story_index)
    assert is_headline_text(story.headline), story.headline
    lead = textgen.lead_phrase(rng, event, force_dated)
    first = lead.prefix + story.first
    if rng.random() < 0.15:
        first += textgen.earlier_report(rng, story.subject)
    facts = ItemFacts(lead.event_date.isoformat() if lead.event_date else None, lead.attribution,
                      dupes.story_key(story.first))
    out = [_headline(story.headline, st, "item_head", facts)]
    _gap(rng, st, out)
    out.append(para(*_emphasise(rng, first), role="item_text"))
    follow = list(story.more) + [textgen.filler(rng, story.slots)]
    for extra in range(rng.choices((0, 1, 2), (35, 45, 20))[0]):
        _gap(rng, st, out, 0.5)
        if extra == 0 and rng.random() < 0.1:
            out.append(image(media.site_image(rng, site, day), role="item_image"))
            out.append(para("图片来源：" + rng.choice(vocab.RESEARCH_FIRMS), role="item_text"))
        if rng.random() < 0.08 and len(follow) >= 2:
            out.append(multiline(follow[:2], role="item_text"))
            follow = follow[2:] or follow
        else:
            out.append(para(follow.pop(0) if len(follow) > 1 else follow[0], role="item_text"))
    _gap(rng, st, out)
    return out


def echo_item(rng: random.Random, day: date, st: Styles, target: RecTarget) -> list[Block]:
    """A news item summarising an article the digest recommends: an edited headline and
    the article's first sentence (two when the first is short) behind a lead phrase."""
    lead = textgen.lead_phrase(rng, day - timedelta(days=1))
    headline = rng.choice(("{}", "快讯｜{}", "{}。")).format(target.title)
    facts = ItemFacts(lead.event_date.isoformat() if lead.event_date else None, lead.attribution,
                      target.story)
    first = ""
    for sentence in (s + "。" for s in target.lede.split("。") if s):
        first += sentence
        if len(first) >= 30:
            break
    out = [_headline(headline, st, "item_head", facts)]
    _gap(rng, st, out)
    out.append(para(lead.prefix + first, role="item_text"))
    _gap(rng, st, out)
    return out


def rec_url(rng: random.Random, article_id: int) -> str:
    """The link as a digest writes it: usually canonical, sometimes http, m. or bare host."""
    return rng.choices(
        (
            f"https://www.8btc.com/article/{article_id}",
            f"http://www.8btc.com/article/{article_id}",
            f"https://m.8btc.com/article/{article_id}?utm_source=foresight",
            f"https://8btc.com/article/{article_id}",
        ),
        (75, 10, 10, 5),
    )[0]


def _linked_headline(text: str, url: str, st: Styles, meta: object) -> Block:
    """A recommendation title that is itself the link (no link line follows it)."""
    kind = "h3" if st.head == "h3" else "p"
    run = Run(text, bold=kind == "p", href=url)
    return Block(kind, ((run,),), role="rec_head", style=st.head, meta=meta)


def recommendation(
    rng: random.Random, target: RecTarget, st: Styles, last: bool = False
) -> list[Block]:
    """Bold 《title》, blurb paragraph(s), link line; sometimes no blurb, or a linked title.

    A linked title has no link line after it, so its blurb runs to the next headline: it
    is never the last recommendation, where a plain-text footer would join the blurb.
    """
    url = rec_url(rng, target.article_id)
    shown = f"《{target.title}》" if rng.random() < 0.85 else target.title
    facts = RecFacts(target.title, url)
    form = rng.choices(("standard", "no_blurb", "linked_title"), (80, 10, 10))[0]
    if form == "linked_title" and last:
        form = "standard"
    if form == "linked_title":
        out = [_linked_headline(shown, url, st, facts)]
    else:
        out = [_headline(shown, st, "rec_head", facts)]
    _gap(rng, st, out)
    sentences = [s + "。" for s in target.lede.split("。") if s]
    if form == "no_blurb":
        pass
    elif len(sentences) >= 2 and rng.random() < 0.12:
        out += [para(sentences[0], role="blurb"), para("".join(sentences[1:]), role="blurb")]
    else:
        out.append(para(target.lede, role="blurb"))
    _gap(rng, st, out)
    if form != "linked_title":
        out.append(_url_line(rng, st, url))
        _gap(rng, st, out)
    return out


def _url_line(rng: random.Random, st: Styles, url: str) -> Block:
    style = st.url if rng.random() < 0.85 else rng.choice(("plain", "a_url", "a_read"))
    if style == "plain":
        return para(url, role="rec_url")
    return para(Run(url if style == "a_url" else "阅读原文", href=url), role="rec_url")


def footer(rng: random.Random, day: date, site: str) -> list[Block]:
    """Not news: the 园区 promotion, a 关注我们 block, social lines or a disclaimer."""
    kind = rng.choice(("park", "park", "follow", "social", "disclaimer", "none"))
    social = multiline(
        [
            "中文推特：https://twitter.com/8BTC_OFFICIAL",
            "英文推特：https://twitter.com/btcinchina",
            "Discord 社区：https://discord.gg/defidao",
            "电报频道：https://t.me/Mute_8btc",
        ],
        role="footer",
    )
    pics = [
        image(media.site_image(rng, site, day), role="footer") for _ in range(rng.randint(1, 3))
    ]
    if kind == "park":
        return [bold_line("巴比特园区开放合作啦！", role="footer"), *pics, social]
    if kind == "follow":
        return [
            bold_line("关注我们", role="footer"),
            pics[0],
            para("微信公众号：巴比特8btc", role="footer"),
        ]
    if kind == "social":
        return [social, pics[0]]
    if kind == "disclaimer":
        return [
            para(
                "免责声明：本文内容仅供参考，不构成任何投资建议，"
                "请读者理性看待区块链与 AI 相关投资。",
                role="footer",
            )
        ]
    return []


def compose(
    rng: random.Random,
    day: date,
    site: str,
    summary: str | None,
    targets: list[RecTarget],
    force_dated: bool = False,
    echo: tuple[random.Random, RecTarget] | None = None,
) -> tuple[Block, ...]:
    """A whole generated digest body for the digest published on ``day`` (Beijing).

    ``echo``: an item that summarises one of the recommended articles, written last with
    its own generator (so the other items stay as they were).
    """
    st = pick_styles(rng)
    out = opening(rng, day, site, st, summary)
    out.append(_label(rng.choice(vocab.NEWS_LABELS), st, "news_label"))
    _gap(rng, st, out)
    stories = rng.sample(range(len(STORIES)), rng.randint(3, 8))
    for i, story_index in enumerate(stories):
        out += item(rng, day, site, st, force_dated and i == 0, story_index)
    if echo is not None:
        out += echo_item(echo[0], day, st, echo[1])
    out.append(_label(rng.choice(vocab.REC_LABELS), st, "rec_label"))
    _gap(rng, st, out)
    for n, target in enumerate(targets, 1):
        out += recommendation(rng, target, st, last=n == len(targets))
    out += footer(rng, day, site)
    return tuple(out)
