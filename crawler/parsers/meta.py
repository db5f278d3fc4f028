"""Standard metadata of a page: ``<meta>`` (name, property, itemprop), JSON-LD, ``<title>``.

Read once per document into a :class:`PageMeta`; the field rules then ask it for values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from crawler.parsers.text import collapse

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "technicalarticle",
    "techarticle", "scholarlyarticle", "liveblogposting", "report", "socialmediaposting",
})
_JSONLD_WRAPPERS = re.compile(
    r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$"
)


@dataclass(slots=True)
class PageMeta:
    """What a page says about itself in its head."""

    by_name: dict[str, list[str]] = field(default_factory=dict)
    """``<meta name=... content=...>``, names lowercased, page order."""
    by_property: dict[str, list[str]] = field(default_factory=dict)
    """``<meta property=...>`` (og:*, article:*), lowercased."""
    by_itemprop: dict[str, list[str]] = field(default_factory=dict)
    """``<meta itemprop=...>``, lowercased."""
    jsonld: dict[str, Any] | None = None
    """The JSON-LD object describing the article, when there is one."""
    title_tag: str | None = None
    """The ``<title>`` text, collapsed."""

    def name(self, key: str) -> str | None:
        """First non-empty ``meta[name=key]``."""
        values = self.by_name.get(key)
        return values[0] if values else None

    def prop(self, key: str) -> str | None:
        """First non-empty ``meta[property=key]``, else ``meta[name=key]`` (a common slip)."""
        values = self.by_property.get(key) or self.by_name.get(key)
        return values[0] if values else None

    def props(self, key: str) -> list[str]:
        return self.by_property.get(key) or self.by_name.get(key) or []

    def ld(self, key: str) -> Any:
        return self.jsonld.get(key) if self.jsonld else None

    def ld_text(self, key: str) -> str | None:
        """A JSON-LD value as collapsed text (first of a list; ``@value``/``name`` of an object)."""
        return _as_text(self.ld(key))

    def ld_author(self) -> str | None:
        """JSON-LD ``author.name`` (an object, a list of them, or a plain string)."""
        author = self.ld("author")
        if isinstance(author, list):
            author = next((a for a in author if _as_text(a)), None)
        return _as_text(author)

    def ld_keywords(self) -> list[str]:
        value = self.ld("keywords")
        if isinstance(value, str):
            return re.split(r"[,，]", value)
        if isinstance(value, list):
            return [v for v in value if isinstance(v, str)]
        return []


def _as_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        return collapse(value) or None
    return None


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _flatten(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    """Every object of a JSON-LD document: top level, lists, @graph, mainEntity."""
    if depth > 6:
        return
    if isinstance(data, list):
        for entry in data:
            _flatten(entry, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), list | dict):
                _flatten(data[key], out, depth + 1)


def _load_jsonld(raw: str) -> Any:
    text = _JSONLD_WRAPPERS.sub("", raw.strip()).strip().rstrip(";")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:  # json.JSONDecodeError: the block is skipped, other sources remain
        return None


def pick_jsonld(doc: etree._Element) -> dict[str, Any] | None:
    """The article object among the page's JSON-LD blocks (else the first with a headline/date)."""
    objects: list[dict[str, Any]] = []
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json":
            _flatten(_load_jsonld(script.text or ""), objects)
    for obj in objects:
        if _types(obj) & ARTICLE_TYPES:
            return obj
    for obj in objects:
        if "headline" in obj or "datePublished" in obj:
            return obj
    return None


def read_meta(doc: etree._Element) -> PageMeta:
    """All of a page's standard metadata in one pass over its ``meta`` elements."""
    meta = PageMeta(jsonld=pick_jsonld(doc))
    for el in doc.iter("meta"):
        content = collapse(el.get("content"))
        if not content:
            continue
        for attr, table in (("name", meta.by_name), ("property", meta.by_property),
                            ("itemprop", meta.by_itemprop)):
            key = (el.get(attr) or "").strip().lower()
            if key:
                table.setdefault(key, []).append(content)
    for title in doc.iter("title"):
        meta.title_tag = collapse("".join(title.itertext())) or None
        break
    return meta
