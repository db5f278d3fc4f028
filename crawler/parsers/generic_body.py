"""The article container of a page without site rules: where its prose is densest.

Pages of other sites put their text in ``<p>`` runs, in ``<div>`` s, in one ``<div>`` broken
by ``<br>`` (thepaper), or in an ``<article>`` / ``[itemprop=articleBody]`` that may hold only
a widget. Every block's own prose (the word characters of its text nodes and inline
children; never link text, URLs or ``|`` separators) is credited to its parent and half to
its grandparent; a block broken by ``<br>`` is a container itself. Hidden blocks and chrome
(footer, comments, menus, share bars, QR codes, by tag or class/id name) earn nothing. The
best-credited element wins; a semantic container (articleBody, ``<article>``) is kept when
the prose credited inside it reaches 0.6 of that, so its headings and figures stay with the
text."""

from __future__ import annotations

import re

from lxml import etree

from crawler.parsers.document import Page
from crawler.parsers.rules import node_text, richest

_ARTICLE_BODY = etree.XPath("//*[@itemprop='articleBody']")
_ARTICLES = etree.XPath("//article")
_BODY_ELEMENTS = etree.XPath(
    "//body//*[not(self::a or self::script or self::style or ancestor::a)]")
"""Blocks that may hold prose: link text (inside an <a>) is never the article's."""
_INLINE = frozenset({"span", "strong", "b", "em", "i", "u", "font", "small", "sup", "sub",
                     "mark", "code", "time", "label", "cite", "q", "abbr", "br", "img"})
_SKIP = frozenset({"script", "style", "noscript", "template", "textarea", "select", "option",
                   "button", "iframe", "svg", "head", "title"})
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "header"})
"""Chrome by tag (not <form>: old CMS pages wrap the whole article in one)."""
_CHROME_NAME = re.compile(
    r"foot|copyright|comment|sidebar|side-bar|(?:^|[-_ ])nav|menu|(?:^|\s)share|recommend"
    r"|related|breadcrumb|login|qrcode|qr_|ewm|(?:^|[-_ ])hot|rank|statement|shenming"
    r"|disclaimer", re.I)
"""Class or id of page chrome: footers, comments, sidebars, menus, share bars, QR codes."""
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WORD = re.compile(r"\w")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_SEMANTIC_SHARE = 0.6
"""An articleBody / <article> is the body when it holds this share of the best prose."""
_MIN_SCORE = 1


def _prose(text: str | None) -> int:
    """Word characters of ``text`` outside URLs (``|`` separators and addresses are no prose)."""
    return len(_WORD.findall(_URL.sub("", text))) if text else 0


def _own_text(el: etree._Element) -> int:
    """Prose characters of ``el``'s own: its text nodes and inline (non-link) children."""
    size = _prose(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag in _INLINE:
            size += _prose(node_text(child))
        size += _prose(child.tail)
    return size


def chrome_itself(el: etree._Element) -> bool:
    """True when ``el`` is chrome by tag or class/id name, or hidden (its ancestors aside)."""
    name = f"{el.get('class') or ''} {el.get('id') or ''}"
    return (el.tag in _CHROME_TAGS or bool(_CHROME_NAME.search(name))
            or el.get("hidden") is not None or bool(_HIDDEN.search(el.get("style") or "")))


def is_chrome_named(el: etree._Element, cache: dict[etree._Element, bool]) -> bool:
    """True when ``el`` or an ancestor is chrome (by tag, class or id name) or hidden."""
    if el in cache:
        return cache[el]
    found = chrome_itself(el)
    if not found:
        parent = el.getparent()
        found = parent is not None and is_chrome_named(parent, cache)
    cache[el] = found
    return found


def prose_scores(page: Page) -> dict[etree._Element, float]:
    """Each candidate container with the prose it holds: a block's own text counts for its
    parent and half for its grandparent; a block that breaks its text with ``<br>`` is a
    container itself: it counts for itself, and half for its parent."""
    scores: dict[etree._Element, float] = {}
    chrome: dict[etree._Element, bool] = {}
    for el in _BODY_ELEMENTS(page.root):
        if not isinstance(el.tag, str) or el.tag in _INLINE or el.tag in _SKIP:
            continue
        own = _own_text(el)
        if own == 0 or is_chrome_named(el, chrome):
            continue
        parent = el.getparent()
        if el.find("br") is not None:
            parent, grand = el, parent
        else:
            grand = parent.getparent() if parent is not None else None
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + own
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + own / 2
    return scores


def find_generic_body(page: Page) -> etree._Element | None:
    """The element holding the page's article text; None when the page has no prose."""
    scores = prose_scores(page)
    best, best_score = max(scores.items(), key=lambda kv: kv[1], default=(None, 0))
    semantic = richest(_ARTICLE_BODY(page.root))
    if semantic is None:
        semantic = richest(_ARTICLES(page.root))
    if semantic is not None:
        held = sum(s for el, s in scores.items() if _within(el, semantic))
        if best is None or held >= _SEMANTIC_SHARE * best_score:
            return semantic
    return best if best_score >= _MIN_SCORE else None


def _within(el: etree._Element, container: etree._Element) -> bool:
    return el is container or any(a is container for a in el.iterancestors())
