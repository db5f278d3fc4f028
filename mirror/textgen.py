"""Synthetic Chinese news text: slot filling, typography, dates, lead phrases.

Everything takes an explicit ``random.Random`` so output is a pure function of the seed.
Typography follows the sites' style: a space between Latin/digits and CJK
(``微软将 ChatGPT 整合``), none between two CJK characters, ``3 月 7 日`` dates.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from . import vocab
from .stories import ANALYSIS, ARTICLE_TITLES, FILLERS, INTROS, STORIES, Story

_CJK = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_MULTI_SPACE = re.compile(r" {2,}")
_LATIN_CJK = re.compile(r"(?<=[A-Za-z0-9%])(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])")


def rng_for(seed: int, *parts: object) -> random.Random:
    """A generator seeded from the mirror seed and a stable key (str seeds hash with sha512)."""
    return random.Random("|".join([str(seed), *map(str, parts)]))


@lru_cache(maxsize=65536)
def tidy(text: str) -> str:
    """Fix spacing after slot filling: none between two CJK characters, one around Latin."""
    return _MULTI_SPACE.sub(" ", _LATIN_CJK.sub(" ", _CJK_GAP.sub("", text))).strip()


def cn_date(d: date, spaced: bool = True, year: bool = False) -> str:
    """``3 月 7 日`` (or ``3月7日``), optionally with ``2023 年`` in front."""
    sep = " " if spaced else ""
    core = f"{d.month}{sep}月{sep}{d.day}{sep}日"
    return f"{d.year}{sep}年{sep}{core}" if year else core


def project_name(rng: random.Random) -> str:
    """An invented project name (never a real company)."""
    return f"{rng.choice(vocab.PROJECT_HEADS)} {rng.choice(vocab.PROJECT_TAILS)}"


_PRICE_RANGES = {"BTC": (16000, 69000), "ETH": (900, 4800), "BNB": (200, 690), "SOL": (10, 260)}


def _token_price(rng: random.Random, token: str) -> str:
    """A plausible USD price for a token (large caps by range, others small)."""
    low, high = _PRICE_RANGES.get(token, (1, 60))
    return f"{rng.randint(low, high):,}"


def _amount(rng: random.Random) -> str:
    unit = rng.choice(("万美元", "亿美元", "万美元", "亿元人民币"))
    value = (
        rng.randint(2, 9) if "亿" in unit else rng.choice((300, 500, 800, 1200, 1500, 2000, 3500))
    )
    return f"{value} {unit}"


_DRAWS = {
    "bigtech": lambda r, w, s: r.choice(vocab.BIGTECH),
    "chip": lambda r, w, s: r.choice(vocab.CHIPMAKERS),
    "lab": lambda r, w, s: r.choice(vocab.AI_LABS),
    "aiprod": lambda r, w, s: r.choice(vocab.AI_PRODUCTS),
    "model": lambda r, w, s: r.choice(vocab.MODEL_HEADS) + r.choice(vocab.MODEL_TAILS),
    "exchange": lambda r, w, s: r.choice(vocab.EXCHANGES),
    "token": lambda r, w, s: r.choice(vocab.TOKENS),
    "newtoken": lambda r, w, s: r.choice(vocab.NEW_TOKENS),
    "chain": lambda r, w, s: r.choice(vocab.CHAINS),
    "nft": lambda r, w, s: r.choice(vocab.NFT_PROJECTS),
    "platform": lambda r, w, s: r.choice(vocab.METAVERSE_PLATFORMS),
    "game": lambda r, w, s: r.choice(vocab.GAME_NAMES),
    "studio": lambda r, w, s: r.choice(vocab.GAME_STUDIOS),
    "vc": lambda r, w, s: r.choice(vocab.VCS),
    "vc2": lambda r, w, s: r.choice([v for v in vocab.VCS if v != s["vc"]]),
    "project": lambda r, w, s: project_name(r),
    "defi": lambda r, w, s: r.choice(vocab.PROJECT_HEADS) + " Finance",
    "secfirm": lambda r, w, s: r.choice(vocab.SECURITY_FIRMS),
    "research": lambda r, w, s: r.choice(vocab.RESEARCH_FIRMS),
    "regulator": lambda r, w, s: r.choice(vocab.REGULATORS),
    "city": lambda r, w, s: r.choice(vocab.CITIES),
    "gcity": lambda r, w, s: r.choice(vocab.GLOBAL_CITIES),
    "payco": lambda r, w, s: r.choice(vocab.PAY_COMPANIES),
    "stable": lambda r, w, s: r.choice(vocab.STABLE_NAMES),
    "sector": lambda r, w, s: r.choice(vocab.SECTORS),
    "theme": lambda r, w, s: r.choice(vocab.THEMES),
    "round": lambda r, w, s: r.choice(vocab.ROUNDS),
    "amount": lambda r, w, s: _amount(r),
    "n_small": lambda r, w, s: str(r.randint(3, 30)),
    "n_mid": lambda r, w, s: str(r.randint(12, 980)),
    "n_big": lambda r, w, s: str(r.randint(1000, 9000)),
    "pct": lambda r, w, s: str(r.randint(3, 180)),
    "price": lambda r, w, s: _token_price(r, s["token"]),
    "share": lambda r, w, s: str(r.randint(12, 87)),
    "hw_price": lambda r, w, s: f"{r.choice((299, 399, 499, 999, 1499, 1999, 3499)):,}",
    "floor": lambda r, w, s: f"{r.randint(1, 80)}.{r.randint(1, 99):02d}",
    "year0": lambda r, w, s: str(w.year),
    "year": lambda r, w, s: str(w.year + r.randint(1, 5)),
    "later": lambda r, w, s: cn_date(w + timedelta(days=r.randint(2, 12))),
}


class Slots(dict):
    """Template values drawn on first use (cheap; the draw order is the code's, so fixed)."""

    def __init__(self, rng: random.Random, when: date):
        super().__init__()
        self.rng, self.when = rng, when

    def __missing__(self, key: str) -> str:
        value = _DRAWS[key](self.rng, self.when, self)
        self[key] = value
        return value


def make_slots(rng: random.Random, when: date) -> Slots:
    """Values for the placeholders the templates use, drawn lazily from ``rng``."""
    return Slots(rng, when)


def fill(template: str, slots: dict[str, str]) -> str:
    """Fill a template and fix its spacing."""
    return tidy(template.format_map(slots))


class Filled(NamedTuple):
    """A story with its slots filled."""

    headline: str
    first: str
    more: tuple[str, ...]
    subject: str
    slots: Slots


def pick_story(rng: random.Random, when: date, index: int | None = None) -> Filled:
    """A random (or the ``index``-th) story, filled for a given day."""
    story: Story = STORIES[index % len(STORIES)] if index is not None else rng.choice(STORIES)
    slots = make_slots(rng, when)
    slots["subj"] = slots[story.subject]
    return Filled(
        fill(story.headline, slots),
        fill(story.first, slots),
        tuple(fill(s, slots) for s in story.more),
        slots["subj"],
        slots,
    )


def filler(rng: random.Random, slots: dict[str, str]) -> str:
    """One generic follow-up sentence about the story's subject or theme."""
    return fill(rng.choice(FILLERS), slots)


class Commentary:
    """A shuffled deck of commentary sentences: no sentence twice in one article."""

    def __init__(self, rng: random.Random, slots: Slots):
        self.rng, self.slots, self.deck = rng, slots, []

    def paragraph(self, sentences: int) -> str:
        """A paragraph of ``sentences`` commentary sentences."""
        out = []
        for _ in range(sentences):
            if not self.deck:
                self.deck = self.rng.sample(ANALYSIS, len(ANALYSIS))
            out.append(fill(self.deck.pop(), self.slots))
        return "".join(out)


def article_title(rng: random.Random, filled: Filled) -> tuple[str, str]:
    """(title, lede): the story as news, or a feature on its theme with an intro lede."""
    news_lede = filled.first + (filled.more[0] if filled.more else "")
    if rng.random() < 0.5:
        return filled.headline, news_lede
    return fill(rng.choice(ARTICLE_TITLES), filled.slots), fill(rng.choice(INTROS), filled.slots)


class Lead(NamedTuple):
    """The phrase a digest item opens with, and what docs/extraction.md reads from it."""

    prefix: str
    event_date: date | None
    attribution: str | None


def _outlet(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(vocab.OUTLETS_CN)
    return f" {rng.choice(vocab.OUTLETS_LATIN)} "


def lead_phrase(rng: random.Random, event: date, force_dated: bool = False) -> Lead:
    """A lead such as ``3 月 7 日，据新浪科技报道，``; the event day only when it states one."""
    spaced = rng.random() < 0.75
    d = cn_date(event, spaced)
    out = _outlet(rng)
    variants = [
        (f"{d}消息，", True, None),
        (f"{d}消息，", True, None),
        (f"{d}，", True, None),
        (f"{d}，据{out}报道，", True, out),
        (f"据{out} {d}报道，", True, out),
        (f"当地时间{d}，", True, None),
        (f"{d}晚间，", True, None),
        (f"{cn_date(event, spaced, year=True)}，", True, None),
        (f"{d}消息,", True, None),
        (f"据{out}报道，", False, out),
        (f"据{out}消息，", False, out),
        ("近日，", False, None),
    ]
    weights = [20, 10, 12, 12, 8, 5, 4, 2, 2, 10, 8, 7]
    if force_dated:
        weights = [w if dated else 0 for w, (_, dated, _) in zip(weights, variants, strict=True)]
    prefix, dated, outlet = rng.choices(variants, weights=weights)[0]
    return Lead(
        tidy(prefix) if outlet else prefix,
        event if dated else None,
        outlet.strip() if outlet else None,
    )


def earlier_report(rng: random.Random, subject: str) -> str:
    """A later sentence citing another outlet (``此前据 Blockworks 报道``): not the attribution."""
    outlet = rng.choice(vocab.OUTLETS_LATIN + vocab.OUTLETS_CN)
    return tidy(f"此前据 {outlet} 报道，{subject} 已就相关事项与多方进行接触。")
