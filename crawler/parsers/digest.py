"""Daily digests (docs/extraction.md "Digest detection", "Digest fields").

A digest's body reads as a sequence of lines: an optional ``摘要：`` summary, a news section
(label ending in ``资讯``) of bold/heading headlines each followed by its paragraphs, a reading
section (label ending in ``荐读``) of ``《title》`` headlines each followed by a blurb and a
link, then a footer (园区 promotion, social links) that yields nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from crawler.items import DigestItem, Recommendation
from crawler.parsers.dates import DateReading, as_calendar_date, read_date
from crawler.parsers.text import Line, is_boilerplate
from crawler.sites import canonical_url

SUMMARY_PREFIXES = ("摘要：", "摘要:")
LABEL_MAX_CHARS = 12
SOCIAL_STRONG = ("twitter.com", "t.me/", "discord.gg")
SOCIAL_WEAK = ("推特", "电报", "微信")
_SOCIAL_ANY = re.compile("|".join(re.escape(t) for t in SOCIAL_STRONG + SOCIAL_WEAK), re.I)
_SOCIAL_SHORT = 40
_PROSE_MIN = 50
_URL = re.compile(r"https?://\S+")
_LABELLED_URL = re.compile(r"[^\s：:]{1,12}\s*[：:]\s*(https?://\S+)")
"""``阅读原文：https://…``: a short label, a colon, a URL (taken as the link line it is)."""
_LEAD_END = re.compile(r"[，,]")
_ATTRIBUTION = re.compile(
    r"据\s*([^，。、,；;：:]{1,30}?)\s*"
    r"(?:(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日\s*)?"
    r"(?:报道|消息|援引|披露|称)"
)
_CITING = re.compile(r"援引\s*([^，。、,；;：:]{1,30}?)\s*(?:报道|消息|称|表示|[，,；;])")
_OUTLET_DATE = re.compile(r"^(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日\s*的?")
_NOT_OUTLETS = frozenset({"悉", "了解", "报道", "消息", "援引", "披露", "称", "知情人士",
                          "消息人士", "相关人士", "内部人士", "知情者"})
_NOT_URL_HREF = ("javascript:", "mailto:", "#", "tel:")
FOOTER = object()
"""Marker: the headline being read starts the footer."""


def summary_text(text: str) -> str | None:
    """The summary without its label, when ``text`` is a summary line."""
    if text.startswith(SUMMARY_PREFIXES):
        return text[len(SUMMARY_PREFIXES[0]):].strip()
    return None


_LABEL_PUNCTUATION = re.compile(r"[：:，,。；;！!？?、]")
"""A section label is a bare name: ``来源：巴比特资讯`` is a credit line, not a label."""


def _is_label(text: str, ending: str) -> bool:
    return (0 < len(text) <= LABEL_MAX_CHARS and text.endswith(ending)
            and not _LABEL_PUNCTUATION.search(text))


def is_news_label(text: str) -> bool:
    return _is_label(text, "资讯")


def is_reading_label(text: str) -> bool:
    return _is_label(text, "荐读")


def is_digest(lines: list[Line]) -> bool:
    """At least two of the three markers (summary, news label, reading label), each a line."""
    texts = [ln.text for ln in lines if ln.text]
    markers = (
        any(summary_text(t) is not None for t in texts),
        any(is_news_label(t) for t in texts),
        any(is_reading_label(t) for t in texts),
    )
    return sum(markers) >= 2


def is_headline(line: Line) -> bool:
    """Whole-bold, or an h2-h6 heading (labels are told apart before this is asked)."""
    return bool(line.text) and (line.bold or 2 <= line.heading <= 6)


def is_social(line: Line) -> bool:
    """A footer social line: names twitter.com / t.me/ / discord.gg, or 推特 / 电报 / 微信
    with a link or as a short non-headline line; a prose sentence mentioning them is not one."""
    text = line.text
    if len(text) >= _PROSE_MIN and ("，" in text or "。" in text):
        bare = _URL.sub("", text)
        if len(bare) >= _PROSE_MIN and ("，" in bare or "。" in bare):
            return False
    haystack = " ".join((text, *line.links)) if line.links else text
    if not _SOCIAL_ANY.search(haystack):
        return False
    strong = any(token in haystack.lower() for token in SOCIAL_STRONG)
    weak = any(token in text for token in SOCIAL_WEAK)
    if strong:
        return True
    if not weak:
        return False
    if line.links or _URL.search(text):
        return True
    return not is_headline(line) and len(text) <= _SOCIAL_SHORT


def line_url(text: str) -> str | None:
    """The URL of a link line: a bare URL, or ``label：URL`` with a short label."""
    if _URL.fullmatch(text):
        return text
    m = _LABELLED_URL.fullmatch(text)
    return m.group(1) if m else None


def is_prose(line: Line) -> bool:
    """A text line that is more than links: not link-only, not a bare URL, not boilerplate."""
    return bool(line.text) and not (
        line.link_only or line_url(line.text) or is_boilerplate(line) or is_social(line)
    )


def _kind(line: Line) -> str:
    if line.image_only:
        return "image"
    if summary_text(line.text) is not None:
        return "summary"
    if is_news_label(line.text):
        return "news"
    if is_reading_label(line.text):
        return "reading"
    if is_social(line):
        return "social"
    return "headline" if is_headline(line) else "text"


_BLOCK_ENDS = frozenset({"headline", "news", "reading", "social", "summary"})


def attribution(first_line: str) -> str | None:
    """The outlet the first sentence credits: ``据 <outlet> [M 月 D 日] 报道|消息|援引|披露|称``
    (not ``据悉``/``据了解``/``据报道``), else ``援引 <outlet> [的] 报道|消息|称|，``; an
    outlet keeps neither a date before it nor ``的`` after it. ``OKX 宣布`` (the item's
    own actor) and anonymous sources (知情人士) are not attributions."""
    sentence = first_line.split("。", 1)[0]
    for pattern in (_ATTRIBUTION, _CITING):
        for m in pattern.finditer(sentence):
            outlet = _OUTLET_DATE.sub("", m.group(1)).strip().removesuffix("的").strip()
            if outlet and outlet not in _NOT_OUTLETS:
                return outlet
    return None


def event_date(first_line: str, anchor: date | None) -> DateReading:
    """The date in the lead (first line up to ``，``/``,``) as a calendar date; a yearless
    one takes the year nearest ``anchor`` (the digest's date). No date: raw None."""
    lead = _LEAD_END.split(first_line, 1)[0]
    return as_calendar_date(read_date(lead, anchor, source="text"))


def item_date_fields(reading: DateReading) -> dict[str, str | None]:
    """A lead's date reading as the ``event_date*`` fields of a DigestItem."""
    if reading.raw is None:
        return {}
    return {"event_date_raw": reading.raw, "event_date": reading.value,
            "event_date_precision": reading.precision, "event_date_source": reading.source,
            "event_date_reason": reading.reason}


def strip_book_title(text: str) -> str:
    """Remove one surrounding 《》 pair: ``《A》`` -> ``A``; ``《A》与《B》`` stays."""
    if not (text.startswith("《") and text.endswith("》")):
        return text
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "《") - (char == "》")
        if depth == 0 and index < len(text) - 1:
            return text
    return text[1:-1].strip() or text


@dataclass(slots=True)
class _Reading:
    summary: str | None = None
    items: list[DigestItem] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)


def _item(head: Line, block: list[Line], anchor: date | None, position: int) -> object:
    texts = [ln for ln in block if ln.text and not is_boilerplate(ln)]
    if not any(is_prose(ln) for ln in texts):
        has_other = any(ln.image_only for ln in block) or bool(texts)
        return FOOTER if has_other else None
    first = texts[0].text
    return DigestItem(
        position=position,
        headline=head.text,
        text="\n".join(ln.text for ln in texts),
        **item_date_fields(event_date(first, anchor)),
        attribution=attribution(first),
    )


def _link(line: Line) -> str | None:
    return next((h for h in line.links if h and not h.lower().startswith(_NOT_URL_HREF)), None)


def _recommendation(
    head: Line, block: list[Line], position: int, resolve: Callable[[str], str]
) -> object:
    """A 荐读 entry: the first link line after the title (else the title's own link), the
    lines before it as blurb; FOOTER when there is no link before the next headline."""
    url: str | None = None
    blurb: list[str] = []
    for line in block:
        if not line.text:
            continue
        url = line_url(line.text)
        if url:
            break
        link = _link(line)
        if link:
            url = link
            if not line.link_only and not is_boilerplate(line):
                blurb.append(line.text)
            break
        if not is_boilerplate(line):
            blurb.append(line.text)
    if url is None:
        url = _link(head)
        if url is None or (not blurb and any(ln.image_only or ln.text for ln in block)):
            return FOOTER  # no link at all, or a linked banner followed only by images/links
    url = resolve(url)
    return Recommendation(
        position=position,
        title=strip_book_title(head.text),
        blurb="\n".join(blurb) or None,
        url=url,
        canonical_url=canonical_url(url),
    )


def read_digest(lines: list[Line], anchor: date | None, resolve: Callable[[str], str]
                ) -> _Reading:
    """Summary, items and recommendations of a digest body; ``resolve`` makes a link absolute
    (against the page's URL)."""
    kinds = [_kind(ln) for ln in lines]
    result = _Reading()
    section, i = None, 0
    while i < len(lines):
        kind, line = kinds[i], lines[i]
        i += 1
        if kind == "summary":
            if result.summary is None:
                result.summary = summary_text(line.text) or _next_text(lines, kinds, i)
            continue
        if kind in ("news", "reading"):
            section = kind
            continue
        if section is None or kind != "headline":
            if section is not None and kind == "social":
                break
            continue
        end = next((j for j in range(i, len(lines)) if kinds[j] in _BLOCK_ENDS), len(lines))
        block, i = lines[i:end], end
        if section == "news":
            found = _item(line, block, anchor, len(result.items) + 1)
        else:
            found = _recommendation(line, block, len(result.recommendations) + 1, resolve)
        if found is FOOTER:
            break
        if isinstance(found, DigestItem):
            result.items.append(found)
        elif isinstance(found, Recommendation):
            result.recommendations.append(found)
    return result


def _next_text(lines: list[Line], kinds: list[str], start: int) -> str | None:
    """The summary written on the line after a bare ``摘要：`` label."""
    if start < len(lines) and kinds[start] == "text":
        return lines[start].text
    return None
