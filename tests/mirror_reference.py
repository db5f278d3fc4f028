"""A small, independent reader of docs/extraction.md, used only to test the mirror.

The mirror computes its truth from its own page model; this module reads the *rendered
HTML* with the contract's rules, so a test can check that markup and truth agree. It is
deliberately written from the contract, not from the mirror's code, and it is not the
project's parser (crawler/parsers).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import urljoin

from lxml import html as lhtml

from crawler import sites

BEIJING = timezone(timedelta(hours=8))
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "figcaption",
}
CONTAINERS = {"div", "section"}
BOILER = (
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
SOCIAL = ("twitter.com", "t.me/", "discord.gg", "推特", "电报", "微信")
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ATTR = re.compile(
    r"据\s*([^，。、,；;：:]{1,30}?)\s*(?:\d{1,2}\s*月\s*\d{1,2}\s*日\s*)?(?:报道|消息|援引|披露|称)"
)
_URL = re.compile(r"^https?://\S+$")


def collapse(text: str) -> str:
    return " ".join(text.split())


class Line:
    """One line: text, whether wholly bold, heading tag, links, figcaption."""

    def __init__(self, segs: list[tuple[str, bool, str | None]], tag: str):
        self.text = collapse("".join(s[0] for s in segs))
        visible = [s for s in segs if s[0].strip()]
        self.bold = bool(visible) and all(s[1] for s in visible)
        self.tag = tag
        self.hrefs = [s[2] for s in segs if s[2]]
        self.all_link = bool(visible) and all(s[2] for s in visible)


def _segments(el, bold: bool, href: str | None, out: list[list], nested: list) -> None:
    if el.text:
        out[-1].append((el.text, bold, href))
    for child in el:
        if not isinstance(child.tag, str):
            pass
        elif child.tag == "br":
            out.append([])
        elif (
            child.tag in BLOCKS
            or child.tag in CONTAINERS
            or child.tag in ("ul", "ol", "figure", "table")
        ):
            nested.append(child)
        elif child.tag not in ("img", "script", "style"):
            _segments(
                child,
                bold or child.tag in ("strong", "b"),
                child.get("href") if child.tag == "a" else href,
                out,
                nested,
            )
        if child.tail:
            out[-1].append((child.tail, bold, href))


def _direct_text(el) -> bool:
    return bool((el.text or "").strip()) or any(
        (c.tail or "").strip()
        or (isinstance(c.tag, str) and c.tag in ("strong", "b", "span", "a", "em"))
        for c in el
    )


def lines_of(el) -> list[Line]:
    """The lines of a container, in document order."""
    out: list[Line] = []
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in BLOCKS or (tag in CONTAINERS and _direct_text(el)):
        runs: list[list] = [[]]
        nested: list = []
        _segments(el, False, None, runs, nested)
        out += [ln for ln in (Line(r, tag) for r in runs) if ln.text]
        for child in nested:
            out += lines_of(child)
        return out
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style"):
            out += lines_of(child)
    return out


def _meta(doc, attr: str, name: str) -> list[str]:
    return [m.get("content", "") for m in doc.xpath(f'//meta[@{attr}="{name}"]')]


def _jsonld(doc) -> dict:
    for s in doc.xpath('//script[@type="application/ld+json"]'):
        return json.loads(s.text_content())
    return {}


def parse_time(text: str) -> datetime | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=BEIJING)
        except ValueError:
            pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def relative_day(text: str, fetched_at: datetime | None) -> str | None:
    """``N天前`` read against the fetch time: the Beijing calendar day, ``YYYY-MM-DD``."""
    m = re.fullmatch(r"\s*(\d+)\s*天前\s*", text)
    if not m or fetched_at is None:
        return None
    return (fetched_at.astimezone(BEIJING).date() - timedelta(days=int(m.group(1)))).isoformat()


def published(doc, fetched_at: datetime | None = None) -> str | None:
    candidates = [_jsonld(doc).get("datePublished", "")] + _meta(
        doc, "property", "article:published_time"
    )
    candidates += doc.xpath('//div[contains(@class,"main__header")]//time/@datetime')
    candidates += doc.xpath("//article//header//time/@datetime")
    candidates += [
        t.text_content() for t in doc.xpath('//span[contains(@class,"header__info-item")]/time')
    ]
    candidates += [t.text_content() for t in doc.xpath('//*[contains(@class,"topic-time")]')]
    candidates += _meta(doc, "name", "pubdate") + _meta(doc, "name", "publishdate")
    for c in candidates:
        if c and (moment := parse_time(c)):
            return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if c and (day := relative_day(c, fetched_at)):
            return day
    return None


def title(doc, url: str) -> str | None:
    for xp in ('//div[contains(@class,"main__header")]//h1', '//div[@class="topic"]', "//h1"):
        found = doc.xpath(xp)
        if found and collapse(found[0].text_content()):
            return collapse(found[0].text_content())
    og = _meta(doc, "property", "og:title")
    if og:
        return collapse(og[0])
    if _jsonld(doc).get("headline"):
        return collapse(_jsonld(doc)["headline"])
    raw = collapse(doc.findtext(".//title") or "")
    site = sites.site_for_url(url)
    for suffix in site.title_suffixes if site else ():
        raw = raw.removesuffix(suffix.strip()).strip()
    return raw or None


def body_of(doc):
    for xp in (
        '//div[contains(concat(" ",@class," ")," bbt-html ")]',
        '//*[contains(@class,"detail-body")]',
        '//*[contains(concat(" ",@class," ")," article-content ")]',
        '//*[contains(@class,"news_body_content")]',
    ):
        found = doc.xpath(xp)
        if found:
            inner = found[0].xpath('.//div[contains(@class,"ne-render-content")]')
            return inner[0] if inner else found[0]
    raise AssertionError("no body container")


def is_not_found(doc) -> bool:
    text = doc.text_content()
    return (
        not doc.xpath('//div[contains(@class,"main__header")]')
        and "404" in text
        and "页面不存在" in text
    )


def read(html_text: str, url: str, fetched_at: datetime | None = None) -> dict:
    """The contract's output object for one page (relative dates read against
    ``fetched_at``; without it they have no value)."""
    doc = lhtml.fromstring(html_text)
    if "8btc.com" in url and is_not_found(doc):
        return {"kind": "not_found"}
    lines = lines_of(body_of(doc))
    markers = sum(
        (
            any(ln.text.startswith(("摘要：", "摘要:")) for ln in lines),
            any(_label(ln, "资讯") for ln in lines),
            any(_label(ln, "荐读") for ln in lines),
        )
    )
    if markers >= 2:
        return _digest(doc, url, lines)
    return _article(doc, url, fetched_at)


def _label(line: Line, suffix: str) -> bool:
    return len(line.text) <= 12 and line.text.endswith(suffix)


def _headline(line: Line) -> bool:
    if _label(line, "资讯") or _label(line, "荐读"):
        return False
    return line.bold or line.tag in ("h2", "h3", "h4", "h5", "h6")


def _social(line: Line) -> bool:
    return any(s in line.text for s in SOCIAL)


def _prose(line: Line) -> bool:
    return not (_URL.match(line.text) or line.all_link or _social(line))


def _footer_start(lines: list[Line], start: int, stop: int) -> int:
    """Where the footer starts inside the news section (``stop`` when it does not)."""
    for i in range(start, stop):
        if _social(lines[i]):
            return i
        if _headline(lines[i]):
            following = []
            for ln in lines[i + 1 :]:
                if _headline(ln) or _label(ln, "资讯") or _label(ln, "荐读"):
                    break
                following.append(ln)
            if following and not any(_prose(ln) for ln in following):
                return i
    return stop


def _event_date(lead: str, pub: str | None) -> str | None:
    m = _DATE.search(lead)
    if not m or not pub:
        return None
    anchor = datetime.fromisoformat(pub.replace("Z", "+00:00")).astimezone(BEIJING).date()
    month, day = int(m.group(2)), int(m.group(3))
    if m.group(1):
        return date(int(m.group(1)), month, day).isoformat()
    options = [date(y, month, day) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    return min(options, key=lambda d: abs((d - anchor).days)).isoformat()


def _attribution(first: str) -> str | None:
    sentence = first.split("。")[0]
    for m in _ATTR.finditer(sentence):
        outlet = m.group(1).strip()
        if outlet and outlet not in ("悉", "了解"):
            return outlet
    return None


def _digest(doc, url: str, lines: list[Line]) -> dict:
    pub = published(doc)
    summary = next((ln.text[3:] for ln in lines if ln.text.startswith(("摘要：", "摘要:"))), None)
    news = next(i for i, ln in enumerate(lines) if _label(ln, "资讯"))
    reading = next((i for i, ln in enumerate(lines) if _label(ln, "荐读")), len(lines))
    footer = _footer_start(lines, news + 1, reading)
    items, cur = [], None
    for ln in lines[news + 1 : footer]:
        if _headline(ln):
            cur = {"headline": ln.text, "lines": []}
            items.append(cur)
        elif cur is not None and not ln.text.startswith(BOILER):
            cur["lines"].append(ln.text)
    out_items = []
    for it in items:
        if not it["lines"]:
            continue
        first = it["lines"][0]
        lead = re.split("[，,]", first, maxsplit=1)[0]
        out_items.append(
            {
                "headline": it["headline"],
                "event_date": _event_date(lead, pub),
                "text": "\n".join(it["lines"]),
                "attribution": _attribution(first),
            }
        )
    return {
        "kind": "digest",
        "url": url,
        "title": title(doc, url),
        "published_at": pub,
        "summary": summary,
        "items": out_items,
        "recommendations": _recs(lines, reading + 1) if footer == reading else [],
    }


def _recs(lines: list[Line], start: int) -> list[dict]:
    """Each headline, its blurb and the first link after it (else its own link); a
    headline without any link, or a linked banner without text, starts the footer."""
    recs, i = [], start
    while i < len(lines) and not _social(lines[i]):
        if not _headline(lines[i]):
            i += 1
            continue
        head, j = lines[i], i + 1
        while j < len(lines) and not _headline(lines[j]) and not _social(lines[j]):
            j += 1
        url, blurb = _rec_link(lines[i + 1 : j])
        if url is None:
            url = head.hrefs[0] if head.hrefs else None
            if url is None or not blurb:
                break
        t = head.text
        if t.startswith("《") and t.endswith("》"):
            t = t[1:-1]
        recs.append({"title": t, "url": url, "blurb": "\n".join(blurb) or None})
        i = j
    return recs


def _rec_link(block: list[Line]) -> tuple[str | None, list[str]]:
    blurb: list[str] = []
    for ln in block:
        if _URL.match(ln.text):
            return ln.text, blurb
        if ln.hrefs:
            if not ln.all_link:
                blurb.append(ln.text)
            return ln.hrefs[0], blurb
        if ln.text and not ln.text.startswith(BOILER):
            blurb.append(ln.text)
    return None, blurb


def _article(doc, url: str, fetched_at: datetime | None = None) -> dict:
    body = body_of(doc)
    text = "\n".join(
        ln.text
        for ln in lines_of(body)
        if ln.tag != "figcaption" and not ln.text.startswith(BOILER)
    )
    return {
        "kind": "article",
        "url": url,
        "canonical_url": sites.canonical_url(url),
        "title": title(doc, url),
        "author": _author(doc),
        "published_at": published(doc, fetched_at),
        "summary": _summary(doc),
        "text": text,
        "tags": _tags(doc),
        "images": _images(body, url),
    }


def _author(doc) -> str | None:
    links = doc.xpath('//div[contains(@class,"header__info")]//a[contains(@href,"/author/")]')
    if links:
        return collapse(links[-1].text_content())
    for value in _meta(doc, "name", "author") + _meta(doc, "property", "article:author"):
        if value and not value.startswith("http"):
            return value
    author = _jsonld(doc).get("author")
    return author.get("name") if isinstance(author, dict) else None


def _summary(doc) -> str | None:
    for value in _meta(doc, "name", "description") + _meta(doc, "property", "og:description"):
        return value or None
    return _jsonld(doc).get("description")


def _tags(doc) -> list[str]:
    module = doc.xpath('//div[contains(@class,"bbt-col-xs-16")]/div[contains(@class,"tag-module")]')
    raw: list[str] = []
    if module:
        raw = [t for t in (collapse(x) for x in module[0].text_content().split("\n")) if t][1:]
    elif tags := _meta(doc, "property", "article:tag"):
        raw = tags
    elif kw := _meta(doc, "name", "keywords"):
        raw = kw[0].replace("，", ",").split(",")
    elif isinstance(_jsonld(doc).get("keywords"), list):
        raw = _jsonld(doc)["keywords"]
    return list(dict.fromkeys(t for t in (collapse(x) for x in raw) if t))


def _images(body, url: str) -> list[str]:
    out: dict[str, None] = {}
    for img in body.iter("img"):
        src = img.get("src")
        if not src or src.startswith("data:"):
            src = img.get("data-src") or img.get("data-original")
        if src:
            out.setdefault(urljoin(url, src), None)
    return list(out)
