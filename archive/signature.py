"""What a story looks like to the deduplicator: folded content units, its facts, its lead.

Pure functions (no database, no crawler). A text is folded (archive.fold: full-width
forms, Traditional script, case, name aliases), cleaned of what every story of a source
carries by rule (lead-ins such as ``Foresight News 消息，``, dated openings, 原标题/来源/
责任编辑/disclaimer lines), and cut into **units**: its sentences and clauses ending in
。！？；：, compact (no spaces or punctuation; figures keep their decimal point). The units
are the body the story index compares and learns boilerplate from (archive.story_keys:
a unit that recurs across many of a site's texts is dropped as boilerplate).

The **lead** of a text is its first content units (until ``SHORT`` characters, cut at
``WINDOW``): what reprints, retellings' summaries and digest items share most surely.
It is taken after learned boilerplate is dropped, so it is computed by the story index,
not stored with the item.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from archive.facts import figures as fact_figures
from archive.facts import names as fact_names
from archive.fold import fold
from archive.minhash import minhash

NUM_PERM = 64
"""Permutations per lead signature (16 LSH bands of 4 rows, archive.story_keys)."""
SHINGLE = 3
"""Characters per shingle."""
WINDOW = 96
"""At most this many characters of content are a lead."""
SHORT = 24
"""A lead grows unit by unit until it has this many characters; a text whose content is
shorter than this is signed with its headline in front."""
PARAGRAPH = 12
"""A first paragraph this long is a lead of its own, even under SHORT (what follows it is
another subject, or the body)."""
BODY_CAP = 4000
"""Characters of content kept per text (whole units): a very long text is compared on
its first 4,000 characters."""

_BOILERPLATE_LINE = re.compile(
    r"^(风险提示|免责声明|声明[：:]|原文[：:]|原标题|(?:作者|撰文|编译|文|编辑|整理|翻译)\s*[：:｜|]|来源[：:]|"
    r"文章来源|图片来源|责任编辑|编辑[：:]|本文由|本文来自|本文为|关注我们|扫码|扫描|长按|点击|"
    r"(?:相关|延伸|推荐|扩展)阅读|(?:相关|此前|往期)报道[：:]|回顾此前|往期回顾|相关文章|"
    r".{0,12}(微信|微博|电报|telegram|twitter|公众号)[：:])", re.I)
_LEAD_IN = re.compile(
    r"^(?:(?:foresight\s*news|巴比特|odaily星球日报|金色财经|[^，,。]{0,12}讯)\s*(?:消息|讯|报道)?[，,:：]"
    r"|据[^，,。]{1,16}?(?:\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*(?:报道|消息)[，,]"
    r"|(?:当地时间\s*)?(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日(?:晚间|早间|凌晨|消息)?\s*[，,]"
    r"|近日[，,]|今日[，,]|日前[，,]|摘要\s*[：:])\s*", re.I)
_DROP = re.compile(r"(?:[^\w.%]|_|(?<!\d)\.|\.(?!\d)|(?<!\d)%)+")
"""Spaces and punctuation; a point stays only between digits (``2.5``), a percent sign
only after one (a figure's unit)."""
_UNIT_END = re.compile(r"(?<=[。!?;！？；])|(?<!\d)[:：](?!\d)|\n|[|丨]")


@dataclass(frozen=True, slots=True)
class Signature:
    """The dedupe keys of one text."""

    text_sha256: str
    """sha256 of the whole normalised text (NFKC, lowercase): equal means the same words."""
    body: str
    """The content units, compact, one per line (at most BODY_CAP characters)."""
    figures: tuple[str, ...]
    """Figures with a unit, values normalised (archive.facts), sorted."""
    names: tuple[str, ...]
    """Named things (archive.facts), in order of first mention."""


def normalize_text(text: str) -> str:
    """NFKC, lowercase, boilerplate lines and lead-ins dropped, lines joined by newlines
    (the form ``text_sha256`` hashes: article versions compare it)."""
    return "\n".join(_clean_lines(unicodedata.normalize("NFKC", text or "").lower()))


def _clean_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        line = line.strip()
        while (m := _LEAD_IN.match(line)) and m.end() < len(line):
            line = line[m.end():]
        if line and not _BOILERPLATE_LINE.match(line):
            lines.append(line)
    return lines


def text_sha256(text: str) -> str:
    """sha256 of the normalised text, lowercase hex."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def units(text: str) -> list[str]:
    """The folded, cleaned, compact units of a text, in order, with an empty unit between
    paragraphs (units of one character carry nothing and are dropped)."""
    return _units_of(_clean_lines(fold(text)))


def _units_of(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        pieces = [p for p in map(_compact, _UNIT_END.split(line)) if len(p) > 1]
        if pieces:
            out += ([""] if out else []) + pieces
    return out


def _compact(text: str) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return _DROP.sub("", text)


def sign(text: str, headline: str | None = None) -> Signature:
    """The signature of an article's or digest item's text (the headline is signed in
    front of a text shorter than SHORT, and its facts count)."""
    lines = _clean_lines(fold(text))
    parts = _units_of(lines)
    if sum(map(len, parts)) < SHORT and headline:
        parts = units(headline) + [""] + parts
    body, size = [], 0
    for part in parts:
        if size + len(part) > BODY_CAP and body:
            break
        body.append(part)
        size += len(part)
    folded = "\n".join(_clean_lines(fold(headline or "")) + lines)
    return Signature(text_sha256=text_sha256(text), body="\n".join(body),
                     figures=tuple(sorted(fact_figures(folded))),
                     names=fact_names(folded))


def lead_of(content: list[str]) -> tuple[str, bool]:
    """The lead of a text's content units (an empty unit ends a paragraph): units until
    SHORT characters, not past the first paragraph once it has PARAGRAPH characters, cut
    at WINDOW; the flag says whether the cut fell inside a unit."""
    out = ""
    for unit in content:
        if len(out) >= SHORT or (not unit and len(out) >= PARAGRAPH):
            break
        out += unit
    return out[:WINDOW], len(out) > WINDOW


def shingles(text: str) -> set[bytes]:
    """Character shingles of ``text`` (the whole text when shorter than one shingle)."""
    if len(text) <= SHINGLE:
        return {text.encode("utf-8")}
    return {text[i:i + SHINGLE].encode("utf-8") for i in range(len(text) - SHINGLE + 1)}


@functools.lru_cache(maxsize=4096)
def lead_minhash(lead: str) -> bytes:
    """The stored MinHash signature of a lead (uint32 little-endian values; cached: a
    placement needs it for its keys and for its row)."""
    return minhash(shingles(lead), NUM_PERM).astype("<u4").tobytes()
