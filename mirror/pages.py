"""Full page models, built lazily per request: body blocks plus markup variant choices.

Renderers turn a ``Page`` into HTML; the truth reads the same ``Page``. A variant fixes
*where* the page carries each field (visible byline, metadata, JSON-LD...), which decides
what the extraction rules of docs/extraction.md return (for example a visible 8btc byline
time has no seconds, ``article:published_time`` has them).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import datetime

from . import articlegen, catalogue, digestgen, dupes, real_digest, relative, textgen
from .blocks import Block, para
from .catalogue import Catalogue
from .entry import UTC8, Entry

BUILDS_2019 = ("7f057cc4", "76ec936b", "3b1c2f9e")
"""Vue scoped-attribute hashes of 2019-era builds (the first two are in public code)."""
BUILDS_2024 = ("1d6a8e0c", "5fe2b471", "a90c33d7")
TITLE_SUFFIXES_2024 = ("-巴比特", "_巴比特", " - 巴比特", "_巴比特_服务于区块链创新者")


@dataclass(frozen=True, slots=True)
class Variant:
    """Where a page carries its fields; see ``pick_8btc`` and ``pick_foresight``."""

    layout: str  # '8btc-2019' | '8btc-2024' | 'F1' | 'F2' | 'F3'
    build: str = ""  # Vue data-v hash
    title_suffix: str = ""
    time_mode: str = (
        "visible"  # visible | time_attr | meta | meta_z | meta_only | pubdate_only | jsonld
    )  # or relative (a visible byline saying how long ago: mirror.relative)
    tag_mode: str = "module"  # module | article_tag | keywords | none | jsonld
    tag_label: str = "标签"
    desc_mode: str = "name"  # name | og | none | jsonld
    author_mode: str = "link"  # link | none | meta | jsonld | article_author
    og: bool = False
    entities: bool = False
    pretty: bool = False
    author_trap: bool = False
    modified: bool = False
    dialect: str = "plain"  # body markup: plain | ne (8btc 2024) | div (paragraphs as <div>)


@dataclass(frozen=True, slots=True)
class Page:
    """Everything needed to render one detail page and to state its truth."""

    entry: Entry
    variant: Variant
    blocks: tuple[Block, ...]
    published: datetime
    sidebar: tuple[tuple[int, str], ...] = ()


def pick_8btc(rng: random.Random, era: str, digest: bool) -> Variant:
    """Markup choices for an 8btc page of a given era."""
    if era == "2019":
        return Variant(
            "8btc-2019",
            build=rng.choice(BUILDS_2019),
            title_suffix="_巴比特_服务于区块链创新者",
            tag_mode="keywords" if rng.random() < 0.05 else "module",
            tag_label=rng.choice(("标签", "标签", "标签：")),
            author_mode="none" if rng.random() < 0.04 else "link",
            desc_mode="none" if rng.random() < 0.03 else "name",
            entities=rng.random() < 0.3,
            pretty=rng.random() < 0.3,
            author_trap=rng.random() < 0.3,
        )
    modes = ("visible", "time_attr", "meta", "meta_z", "meta_only", "pubdate_only")
    time_mode = rng.choices(modes, (30, 10, 20, 15, 15, 10))[0]
    og = time_mode in ("meta", "meta_z", "meta_only") or rng.random() < 0.4
    return Variant(
        "8btc-2024",
        build=rng.choice(BUILDS_2024),
        title_suffix=rng.choice(TITLE_SUFFIXES_2024),
        time_mode=time_mode,
        tag_mode=rng.choices(
            ("module", "article_tag", "keywords", "none"), (60, 15 if og else 0, 15, 10)
        )[0],
        tag_label=rng.choice(("标签", "标签：")),
        desc_mode=rng.choices(("name", "og", "none"), (82, 10 if og else 0, 8))[0],
        author_mode="none" if rng.random() < 0.04 else "link",
        og=og,
        entities=rng.random() < 0.3,
        pretty=rng.random() < 0.2,
        author_trap=rng.random() < 0.3,
        modified=og and rng.random() < 0.5,
        dialect="ne",
    )


def pick_foresight(rng: random.Random, digest: bool) -> Variant:
    """Markup choices for a Foresight detail page (F1, F2 or F3; sites.md §3).

    F3 articles sometimes write paragraphs as ``<div>`` (a div holding text gives lines);
    digests never do, since their bold-only headlines hold no direct text.
    """
    layout = rng.choices(("F1", "F2", "F3"), (40, 30, 30))[0]
    common = {"entities": rng.random() < 0.3, "pretty": rng.random() < 0.3}
    if layout == "F1":
        return Variant("F1", tag_mode="keywords", author_mode="meta", **common)
    if layout == "F2":
        return Variant(
            "F2",
            time_mode="jsonld",
            tag_mode="jsonld",
            desc_mode="jsonld",
            author_mode="jsonld",
            modified=rng.random() < 0.5,
            **common,
        )
    dialect = "div" if not digest and rng.random() < 0.4 else "plain"
    return Variant(
        "F3",
        time_mode="meta",
        tag_mode="article_tag",
        desc_mode="og",
        dialect=dialect,
        author_mode="article_author",
        og=True,
        modified=rng.random() < 0.5,
        **common,
    )


def _digest_blocks(cat: Catalogue, entry: Entry) -> tuple[Block, ...]:
    if entry.real:
        return real_digest.blocks()
    rng = textgen.rng_for(cat.seed, "digest-body", entry.key)
    targets = [catalogue.rec_target(t) for t in entry.targets]
    echo_rng = textgen.rng_for(cat.seed, "digest-echo", entry.key)
    served = [t for t in entry.targets if not t.deleted]
    echo = None
    if served and echo_rng.random() < 0.5:
        echo = (echo_rng, catalogue.rec_target(echo_rng.choice(served)))
    return digestgen.compose(
        rng, entry.day, entry.site, entry.summary, targets, entry.force_dated, echo
    )


def _article_blocks(cat: Catalogue, entry: Entry) -> tuple[Block, ...]:
    if entry.dup_kind:
        return dupes.body(cat, entry, lambda source: _article_blocks(cat, source))
    if entry.real:
        info = real_digest.REAL_ARTICLES[entry.id]
        return (para(entry.lede), *(para(t) for t in info["more"]))
    filled = catalogue.article_meta(cat.seed, Entry(entry.site, entry.kind, entry.key, entry.ts))
    rng = textgen.rng_for(cat.seed, "body", entry.key)
    return articlegen.body(
        rng, filled, entry.lede, entry.site, entry.era, entry.author[1], entry.day
    )


def _sidebar(cat: Catalogue, rng: random.Random, entry: Entry) -> tuple[tuple[int, str], ...]:
    """A few other served (not deleted) 8btc articles, as a 热门文章 list."""
    pool = cat.btc_list
    picks = [pool[rng.randrange(len(pool))] for _ in range(4)] if pool else []
    return tuple(dict.fromkeys((e.id, e.title) for e in picks if not e.deleted and e is not entry))


def build(cat: Catalogue, entry: Entry) -> Page:
    """The full model of one served detail page (not for deleted entries)."""
    rng = textgen.rng_for(cat.seed, "variant", entry.key)
    if entry.real and entry.site == "foresight":
        variant = Variant("F1", tag_mode="keywords", author_mode="meta")
    elif entry.site == "foresight":
        variant = pick_foresight(rng, entry.kind == "digest")
    else:
        variant = pick_8btc(rng, entry.era, entry.kind == "digest")
    if relative.shows_relative(cat.seed, entry, variant.layout, variant.time_mode):
        variant = dataclasses.replace(variant, time_mode="relative")
    blocks = _digest_blocks(cat, entry) if entry.kind == "digest" else _article_blocks(cat, entry)
    published = datetime.fromtimestamp(entry.ts, UTC8)
    sidebar = _sidebar(cat, rng, entry) if entry.site == "8btc" else ()
    return Page(entry, variant, blocks, published, sidebar)
