"""The dedupe hard cases: pages that retell, reprint or mimic other pages, with their story.

Added to the catalogue after every regular page has its id, each in a free id right after
an existing page of its site (published between that page and the next), so that ids
still grow with time and no existing page changes its id, its listing order or its truth:

- **reprint** (8btc): an 8btc article reprinted under an edited headline, with a source's
  lead-in (``巴比特讯，``) and a risk footer; the same story as the original;
- **retell** (Foresight column post): the same story at the other outlet, told with the
  original's first two sentences and the outlet's own commentary;
- **flash** (Foresight column post, in pairs): short price flashes with the same lead-in
  and footer, the second differing from the first only in its figures: different stories.

The digest items that summarise an article the crawl also fetches are written by the
digests themselves (``digestgen.echo_item``). Every row's story is a key of the filled
template sentence that makes it news (``story_key``): rows telling the same filled news
share it, template siblings (another company, another figure) do not.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterable
from typing import Protocol

from . import textgen, vocab
from .blocks import Block, line_text, para
from .entry import Entry


class Catalogue(Protocol):
    """What the hard cases need of the catalogue (mirror.catalogue.Catalogue)."""

    seed: int
    articles: list[Entry]

    def all_entries(self) -> Iterable[Entry]:
        """Every page of the catalogue."""

SHARE = {"8btc": 0.2, "foresight": 0.8}
"""Share of free id slots that take a hard case (Foresight ids leave fewer free slots)."""
LEAD_INS = ("巴比特讯，", "据巴比特报道，", "Foresight News 消息，")
FOOTER = "风险提示：根据央行等部门发布的相关通知，请广大公众理性看待区块链。"
EDITS = ("重磅｜{}", "{}（更新）", "快讯：{}", "{}？")
FLASH = "{coin} 短时跌破 {a} 美元，现报 {b} 美元，24 小时跌幅 {c}%。"


def story_key(text: str) -> str:
    """The story label of a filled news sentence (or a feature's whole lede)."""
    return "s" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def add(cat: Catalogue, new: Callable[..., Entry]) -> None:
    """Add the hard-case pages to a catalogue whose regular pages all have ids."""
    rng = textgen.rng_for(cat.seed, "dupes")
    sources = [e for e in cat.articles if e.site == "8btc" and not e.real and not e.deleted]
    taken = {(e.site, e.id) for e in cat.all_entries()}
    slots = 0
    for site in ("8btc", "foresight"):
        ordered = sorted((e for e in cat.all_entries() if e.site == site), key=lambda e: e.id)
        for here, after in zip(ordered, ordered[1:], strict=False):
            if (site, here.id + 1) in taken or after.ts - here.ts < 2 or rng.random() > SHARE[site]:
                continue
            ts = rng.randrange(here.ts + 1, after.ts)
            earlier = [s for s in sources if s.ts < ts] or sources
            if site == "8btc":
                _copy(new, rng, rng.choice(earlier), "reprint", here.id + 1, ts)
            elif slots % 3 == 0 or not earlier:
                _copy(new, rng, rng.choice(earlier), "retell", here.id + 1, ts)
            else:
                _flash(cat.seed, new, rng, here.id + 1, ts, slots)
            slots += site == "foresight"
            taken.add((site, here.id + 1))


def _copy(new: Callable[..., Entry], rng: random.Random, source: Entry, kind: str,
          page_id: int, ts: int) -> None:
    site = "8btc" if kind == "reprint" else "foresight"
    entry = new(site, "article", f"{kind}{page_id}", ts, id=page_id, dup_of=source,
                dup_kind=kind, column=1 if site == "foresight" else 0)
    entry.title = textgen.tidy(rng.choice(EDITS).format(source.title))
    entry.story, entry.tags, entry.cat_id = source.story, source.tags, source.cat_id
    sentences = [s + "。" for s in source.lede.split("。") if s]
    entry.lede = rng.choice(LEAD_INS) + "".join(sentences[:2] if kind == "retell" else sentences)
    entry.summary = entry.lede
    authors = vocab.EIGHTBTC_AUTHORS if site == "8btc" else vocab.FORESIGHT_AUTHORS
    entry.author = rng.choice(authors)
    entry.cover, entry.views = source.cover, rng.randint(300, 9000)


def _flash(seed: int, new: Callable[..., Entry], rng: random.Random, page_id: int, ts: int,
           n: int) -> None:
    """A price flash; the two flashes of a pair differ only in their prices."""
    pair = textgen.rng_for(seed, "flash-pair", n // 3)
    coin = pair.choice(("BTC", "ETH"))
    a = (60000 if coin == "BTC" else 3000) - pair.randint(1, 300) * 10
    a -= 0 if n % 3 == 1 else rng.randint(1, 9) * 10
    text = textgen.tidy(FLASH.format(coin=coin, a=f"{a:,}", b=f"{a - pair.randint(1, 9):,}",
                                     c=f"{pair.randint(10, 90) / 10}"))
    entry = new("foresight", "article", f"flash{page_id}", ts, id=page_id, dup_kind="flash",
                column=1)
    entry.title = text.split("，")[0]
    entry.lede = entry.summary = "Foresight News 消息，" + text
    entry.story = story_key(text)
    entry.author = rng.choice(vocab.FORESIGHT_AUTHORS)
    entry.tags = (coin, "行情")
    entry.views = rng.randint(300, 9000)


def body(cat: Catalogue, entry: Entry, regular: Callable[[Entry], tuple[Block, ...]]
         ) -> tuple[Block, ...]:
    """A hard case's body: its lede, then the source's or its own text, and the footer."""
    rng = textgen.rng_for(cat.seed, "dupe-body", entry.key)
    if entry.dup_kind == "flash":
        return (para(entry.lede), para(FOOTER))
    source = entry.dup_of
    assert source is not None
    blocks = regular(source)
    start = next((n for n, b in enumerate(blocks) if b.lines and source.lede in
                  line_text(b.lines[0])), 0)
    rest = [b for b in blocks[start + 1:] if b.kind in ("p", "h2", "h3") and b.lines]
    if entry.dup_kind == "retell":
        rng.shuffle(rest)
        rest = rest[: rng.randint(1, 3)]
    return (para(entry.lede), *rest, para(FOOTER))
