"""The body model shared by the renderers and the truth, and the text rules applied to it.

A page body is a tuple of ``Block``s; a text block holds lines, a line holds ``Run``s
(plain, bold or linked text). Renderers turn blocks into each site's markup; the truth
reads the same blocks with the rules of docs/extraction.md (line = the collapsed text of
its runs, boilerplate lines dropped, figcaptions dropped, images absolute and deduped).
Nothing here parses HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

BOILERPLATE_PREFIXES = (
    "图片来源",
    "原文：",
    "原文:",
    "原文链接",
    "作者：",
    "作者:",
    "本文由",
    "责任编辑",
    "免责声明",
    "风险提示",
)
"""Line prefixes dropped from texts and blurbs (docs/extraction.md, 'Text: lines')."""


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of inline text: plain, bold (``<strong>``/``<b>``) and/or a link."""

    text: str
    bold: bool = False
    href: str | None = None


Line = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a body.

    kind: ``p``, ``h2``, ``h3``, ``quote``, ``ul`` (one line per ``li``), ``img``,
    ``figure`` (image + figcaption), ``spacer`` (empty paragraph) or ``hr``.
    role: what the block is in a digest (``summary``, ``news_label``, ``item_head``,
    ``item_text``, ``rec_label``, ``rec_head``, ``blurb``, ``rec_url``, ``footer``...);
    ``text`` in articles. ``style`` picks a markup variant; ``meta`` carries the facts the
    truth needs (an item's event date and attribution, a recommendation's title and URL).
    """

    kind: str
    lines: tuple[Line, ...] = ()
    role: str = "text"
    style: str = ""
    src: str | None = None
    lazy: str = ""
    caption: str | None = None
    meta: Any = None


def collapse(text: str) -> str:
    """Whitespace collapse of docs/extraction.md: ``" ".join(text.split())``."""
    return " ".join(text.split())


def line_text(line: Line) -> str:
    """The collapsed text of one line."""
    return collapse("".join(run.text for run in line))


def block_lines(block: Block) -> list[str]:
    """The non-empty lines a block gives (figcaption excluded: it is always dropped)."""
    if block.kind in ("img", "figure", "spacer", "hr"):
        return []
    return [t for t in (line_text(line) for line in block.lines) if t]


def is_boilerplate(line: str) -> bool:
    """True for lines the contract drops (图片来源, 原文：, 作者：, 本文由 ...)."""
    return line.startswith(BOILERPLATE_PREFIXES)


def text_lines(blocks: tuple[Block, ...] | list[Block]) -> list[str]:
    """Every kept line of the blocks, boilerplate dropped."""
    return [t for b in blocks for t in block_lines(b) if not is_boilerplate(t)]


def body_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    """An article's text: its kept lines joined with newlines."""
    return "\n".join(text_lines(blocks))


def image_src(block: Block) -> str | None:
    """The URL the contract reads from an image: src, or the lazy attribute's real URL."""
    return block.src if block.kind in ("img", "figure") else None


def body_images(blocks: tuple[Block, ...] | list[Block], page_url: str) -> list[str]:
    """Absolute image URLs of the body in page order, duplicates dropped."""
    seen: dict[str, None] = {}
    for block in blocks:
        src = image_src(block)
        if src:
            seen.setdefault(urljoin(page_url, src), None)
    return list(seen)


def para(*parts: str | Run, role: str = "text", style: str = "", meta: Any = None) -> Block:
    """A one-line paragraph from strings (plain runs) and Runs."""
    runs = tuple(Run(p) if isinstance(p, str) else p for p in parts)
    return Block("p", (runs,), role=role, style=style, meta=meta)


def multiline(lines: list[str], role: str = "text", style: str = "") -> Block:
    """A paragraph whose lines are separated by ``<br>``."""
    return Block("p", tuple((Run(t),) for t in lines), role=role, style=style)


def bold_line(
    text: str, kind: str = "p", role: str = "text", style: str = "", meta: Any = None
) -> Block:
    """A wholly bold paragraph (``kind='p'``) or a heading (``h2``/``h3``)."""
    run = Run(text, bold=kind == "p")
    return Block(kind, ((run,),), role=role, style=style, meta=meta)


def image(src: str, role: str = "text", lazy: str = "", style: str = "") -> Block:
    """An image-only block."""
    return Block("img", role=role, src=src, lazy=lazy, style=style)


def spacer(style: str = "br") -> Block:
    """An empty paragraph (``<p><br></p>``, ``&nbsp;``, U+3000...): gives no line."""
    return Block("spacer", role="spacer", style=style)


def is_headline_text(text: str) -> bool:
    """Guard for generated headlines: not a section label, not a summary line."""
    short_label = len(text) <= 12 and text.endswith(("资讯", "荐读"))
    return bool(text) and not short_label and not text.startswith(("摘要：", "摘要:"))
