"""The "lines" model of docs/extraction.md: an element's text as whitespace-collapsed lines.

A block element (``p``, ``h1``-``h6``, ``li``, ``div``...) gives one line per ``<br>``-separated
run; inline elements add their text in place with no extra spaces. Each line keeps the flags
the digest reader needs: whole-text bold, heading level, link hrefs, link-only, image-only,
inside a ``figcaption``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd", "figcaption",
    "div", "section", "article", "main", "header", "footer", "aside", "nav", "ul", "ol", "dl",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "form",
    "fieldset", "address", "hr", "details", "summary", "center", "body", "html",
})
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "svg", "math", "select", "textarea",
    "iframe", "object", "embed", "canvas", "audio", "video", "title",
})
BOLD_TAGS = frozenset({"strong", "b"})
_PLAIN_INLINE = frozenset({"span", "strong", "b", "em", "i", "u", "code", "sup", "sub", "small",
                           "mark", "font", "s", "del", "ins", "abbr", "cite", "q", "label", "time"})
"""Inline tags whose text-only instances are added in place without a recursive walk."""
_PLAIN_BLOCK = frozenset({"p", "li", "div", "section", "blockquote", "dd", "dt"})
"""Block tags (not headings or figcaptions: no flags of their own) with the same fast path."""
HEADING_LEVELS = {f"h{n}": n for n in range(1, 7)}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)
_MAX_DEPTH = 200
"""Deeper than this (never on real pages), a subtree is read as plain text: no recursion error."""

BOILERPLATE_PREFIXES = (
    "图片来源", "原文：", "原文:", "原文链接", "作者：", "作者:", "本文由",
    "责任编辑", "免责声明", "风险提示",
    # the same in Traditional script (8btc pages circulate converted, see samples/)
    "圖片來源", "原文鏈接", "責任編輯", "免責聲明", "風險提示",
)


def collapse(text: str | None) -> str:
    """Any run of Unicode whitespace to one ASCII space, ends stripped (``3 月 7 日`` stays)."""
    return " ".join(text.split()) if text else ""


@dataclass(slots=True)
class Line:
    """One line of text with the flags of where it came from."""

    text: str
    """Whitespace-collapsed text; empty only for an image-only line."""
    bold: bool = False
    """The whole text is inside strong/b."""
    heading: int = 0
    """1-6 when the line comes from an h1-h6 element, else 0."""
    links: tuple[str, ...] = ()
    """hrefs of the links the line holds, in order, without duplicates."""
    link_only: bool = False
    """All of the text is link text."""
    has_image: bool = False
    """The run holds at least one img."""
    figcaption: bool = False
    """The line is inside a figcaption."""

    @property
    def image_only(self) -> bool:
        return not self.text and self.has_image


class _Builder:
    """Walks an element, accumulating the current run and emitting lines.

    ``_bold``/``_linked`` track, as text is added, whether every non-blank piece of the run is
    bold / link text; a line's flags come from the block it is in.
    """

    __slots__ = ("lines", "_texts", "_solid", "_bold", "_linked", "_links", "_image",
                 "_heading", "_figcaption", "_skip")

    def __init__(self, skip: Callable[[etree._Element], bool] | None = None) -> None:
        self.lines: list[Line] = []
        self._skip = skip
        self._heading = 0
        self._figcaption = False
        self._reset()

    def _reset(self) -> None:
        self._texts: list[str] = []
        self._solid = False
        self._bold = True
        self._linked = True
        self._links: list[str] = []
        self._image = False

    def add(self, text: str | None, bold: bool, link: str | None) -> None:
        if not text:
            return
        self._texts.append(text)
        if text.isspace():
            return
        self._solid = True
        if not bold:
            self._bold = False
        if link is None:
            self._linked = False
        elif link not in self._links:
            self._links.append(link)

    def image(self, link: str | None) -> None:
        self._image = True
        if link is not None and link not in self._links:
            self._links.append(link)

    def flush(self) -> None:
        if self._solid:
            text = " ".join("".join(self._texts).split())
            self.lines.append(Line(text, self._bold, self._heading, tuple(self._links),
                                   self._linked, self._image, self._figcaption))
        elif self._image:
            self.lines.append(Line("", False, 0, tuple(self._links), False, True,
                                   self._figcaption))
        elif not self._texts:
            return
        self._reset()

    def walk(self, el: etree._Element, bold: bool, link: str | None, depth: int) -> None:
        tag = el.tag
        if tag.__class__ is not str or tag in SKIP_TAGS or (self._skip and self._skip(el)):
            return  # comments, processing instructions, scripts...
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            self.image(link)
            return
        if depth > _MAX_DEPTH:
            self.add("".join(el.itertext()), bold, link)
            return
        if not bold and (tag in BOLD_TAGS or _bold_style(el)):
            bold = True
        if tag == "a" and el.get("href"):
            link = el.get("href").strip()
        if tag not in BLOCK_TAGS:
            self._children(el, bold, link, depth)
            return
        self.flush()
        saved = (self._heading, self._figcaption)
        self._heading = HEADING_LEVELS.get(tag, self._heading)
        self._figcaption = self._figcaption or tag == "figcaption"
        self._children(el, bold, link, depth)
        self.flush()
        self._heading, self._figcaption = saved

    def _children(self, el: etree._Element, bold: bool, link: str | None, depth: int) -> None:
        """The element's own text, then each child (plain inline leaves inlined) and its tail."""
        self.add(el.text, bold, link)
        for child in el:
            tag = child.tag
            plain = self._skip is None and not len(child) and not child.get("style")
            if tag == "br":
                self.flush()
            elif tag == "img":
                self.image(link)
            elif plain and tag in _PLAIN_INLINE:
                self.add(child.text, bold or tag in BOLD_TAGS, link)
            elif plain and tag in _PLAIN_BLOCK:
                self.flush()
                self.add(child.text, bold, link)
                self.flush()
            else:
                self.walk(child, bold, link, depth + 1)
            self.add(child.tail, bold, link)


def _bold_style(el: etree._Element) -> bool:
    style = el.get("style")
    return bool(style) and _BOLD_STYLE.search(style) is not None


def extract_lines(
    el: etree._Element | None, skip: Callable[[etree._Element], bool] | None = None
) -> list[Line]:
    """The lines of an element (image-only lines included, flagged); ``skip`` leaves out the
    subtrees it is true for."""
    if el is None:
        return []
    builder = _Builder(skip)
    builder.walk(el, False, None, 0)
    builder.flush()
    return builder.lines


def is_boilerplate(line: Line) -> bool:
    """Image credits, source/author notes, disclaimers, and every figcaption line."""
    return line.figcaption or line.text.startswith(BOILERPLATE_PREFIXES)


def content_lines(lines: list[Line]) -> list[str]:
    """Texts of the lines that count as content: no image-only lines, no boilerplate."""
    return [ln.text for ln in lines if ln.text and not is_boilerplate(ln)]


def joined_text(lines: list[Line]) -> str:
    """Content lines joined with newlines (the article ``text`` rule)."""
    return "\n".join(content_lines(lines))
