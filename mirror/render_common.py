"""HTML helpers shared by the 8btc and Foresight renderers: escaping and body blocks.

Three body dialects: ``plain`` (``<p>``, ``<strong>``, ``<h2>``: Foresight and 8btc 2019),
``ne`` (8btc 2024's ``div.ne-render-content``: ``<p class="ne-p"><span class="ne-text">``,
``img.ne-image``, ``hr.ne-hr``) and ``div`` (paragraphs written as ``<div>``). Optional
quirks: named/numeric entities for punctuation, pretty-printed whitespace inside blocks.
"""

from __future__ import annotations

import html
import json

from .blocks import Block, Line, Run

PLACEHOLDER_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
_ENTITIES = str.maketrans(
    {
        "“": "&ldquo;",
        "”": "&rdquo;",
        "‘": "&lsquo;",
        "’": "&rsquo;",
        "—": "&mdash;",
        "…": "&hellip;",
        "（": "&#xFF08;",
        "）": "&#65289;",
        "\u00a0": "&nbsp;",
    }
)
_SPACERS = {"br": "<br>", "nbsp": "&nbsp;", "ideo": "\u3000", "empty": "", "": "<br>"}


def esc(text: str, entities: bool = False) -> str:
    """Escape text content; with ``entities`` also write some punctuation as entities."""
    out = html.escape(text, quote=False)
    return out.translate(_ENTITIES) if entities else out


def attr(value: str) -> str:
    """Escape an attribute value (double-quoted)."""
    return html.escape(value, quote=True)


def json_ld(data: dict) -> str:
    """A JSON-LD script element (``</`` escaped so the script cannot close early)."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


class BodyWriter:
    """Renders blocks in one dialect, with a page's quirks."""

    def __init__(
        self,
        dialect: str = "plain",
        entities: bool = False,
        pretty: bool = False,
        bold_tag: str = "strong",
    ):
        self.dialect, self.entities, self.pretty, self.bold_tag = (
            dialect,
            entities,
            pretty,
            bold_tag,
        )

    def run(self, run: Run, bold_tag: str) -> str:
        """One inline run."""
        text = esc(run.text, self.entities)
        if self.dialect == "ne":
            text = f'<span class="ne-text">{text}</span>'
        if run.href:
            cls = ' class="ne-link"' if self.dialect == "ne" else ""
            text = f'<a href="{attr(run.href)}"{cls} target="_blank" rel="noopener">{text}</a>'
        if run.bold:
            text = f"<{bold_tag}>{text}</{bold_tag}>"
        return text

    def lines(self, lines: tuple[Line, ...], bold_tag: str) -> str:
        """Lines of runs joined with ``<br>``."""
        inner = "<br>".join("".join(self.run(r, bold_tag) for r in line) for line in lines)
        return f"\n    {inner}\n  " if self.pretty else inner

    def _p(self, inner: str, extra: str = "") -> str:
        tag = "div" if self.dialect == "div" else "p"
        cls = ' class="ne-p"' if self.dialect == "ne" else ""
        return f"<{tag}{cls}{extra}>{inner}</{tag}>"

    def img(self, block: Block) -> str:
        """An ``<img>`` with the block's lazy-loading quirk."""
        src = attr(block.src or "")
        cls = ' class="ne-image"' if self.dialect == "ne" else ""
        if block.lazy == "data-src":
            return f'<img{cls} src="{PLACEHOLDER_GIF}" data-src="{src}" alt="">'
        if block.lazy == "data-original":
            return f'<img class="lazy" data-original="{src}" alt="">'
        return f'<img{cls} src="{src}" alt="">'

    def block(self, block: Block) -> str:
        """One block as HTML."""
        ne = self.dialect == "ne"
        bold_tag = "b" if block.style == "b" else self.bold_tag
        if block.kind == "p":
            return self._p(self.lines(block.lines, bold_tag))
        if block.kind in ("h2", "h3"):
            cls = f' class="ne-{block.kind}"' if ne else ""
            return f"<{block.kind}{cls}>{self.lines(block.lines, bold_tag)}</{block.kind}>"
        if block.kind == "img":
            center = ' style="text-align: center;"' if not ne else ""
            return self._p(self.img(block), center)
        if block.kind == "figure":
            cap = esc(block.caption or "", self.entities)
            return f'<figure class="image">{self.img(block)}<figcaption>{cap}</figcaption></figure>'
        if block.kind == "spacer":
            return self._p(_SPACERS.get(block.style, "<br>"))
        if block.kind == "hr":
            return '<hr class="ne-hr">' if ne else "<hr>"
        if block.kind == "quote":
            cls = ' class="ne-quote"' if ne else ""
            return f"<blockquote{cls}>{self.lines(block.lines, bold_tag)}</blockquote>"
        if block.kind == "ul":
            li = '<li class="ne-li">' if ne else "<li>"
            items = "".join(f"{li}{self.lines((line,), bold_tag)}</li>" for line in block.lines)
            return f'<ul class="ne-ul">{items}</ul>' if ne else f"<ul>{items}</ul>"
        raise ValueError(f"unknown block kind {block.kind!r}")

    def body(self, blocks: tuple[Block, ...]) -> str:
        """All blocks, one per source line (as SSR output often is)."""
        sep = "\n" if self.pretty else ""
        return sep.join(self.block(b) for b in blocks)


def meta(name: str, content: str, prop: bool = False) -> str:
    """A ``<meta name=...>`` (or ``property=...``) tag."""
    key = "property" if prop else "name"
    return f'<meta {key}="{name}" content="{attr(content)}">'
