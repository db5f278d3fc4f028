"""Ground truth: what docs/extraction.md returns for every page the mirror serves.

Computed from the page models (``pages.Page``), never by parsing HTML: titles, dates,
authors, summaries and tags follow from the variant (which source the page carries),
texts and images from the body blocks with the contract's text rules, digest items and
recommendations from the facts attached when the digest was written.

``/_mirror/truth.json`` is ``{"seed", "scale", "real_digest", "pages": {url: expected}}``;
``iter_json`` streams it in pieces so a scale-10000 mirror never holds it whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from crawler import sites

from . import dupes, pages, real_digest
from .blocks import Block, body_images, body_text, collapse, line_text, text_lines
from .catalogue import Catalogue
from .entry import Entry


def iso_utc(moment: datetime, seconds: bool) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ``; without ``seconds`` the page only said HH:MM."""
    moment = moment.astimezone(UTC)
    if not seconds:
        moment = moment.replace(second=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def published_at(page: pages.Page) -> str:
    """The first readable date source of the variant: metadata has seconds, bylines don't;
    a relative byline (``N天前``) gives only the Beijing calendar day (mirror.relative)."""
    if page.variant.time_mode == "relative":
        return page.published.date().isoformat()
    return iso_utc(page.published, page.variant.time_mode != "visible")


def split_keywords(content: str) -> list[str]:
    """``meta[name=keywords]`` split on ``,`` / ``，`` as the contract reads it."""
    return [t for t in (collapse(p) for p in content.replace("，", ",").split(",")) if t]


def keywords_content(page: pages.Page) -> str:
    """The keywords meta a page carries (8btc adds site-wide words before the tags)."""
    if page.variant.layout.startswith("8btc"):
        head = "巴比特,区块链" if page.variant.layout == "8btc-2019" else "巴比特，区块链"
        return ",".join([head, *page.entry.tags])
    return "，".join(page.entry.tags)


def tags(page: pages.Page) -> list[str]:
    """Tags from the first source the page carries, in the contract's order.

    8btc: the tag module (or ``article:tag`` metas) when the page has tags, else its keywords
    meta (site-wide words included). Foresight: the one source its layout uses.
    """
    v, e = page.variant, page.entry
    if v.tag_mode == "none":
        return []
    raw: list[str] | tuple[str, ...] = e.tags
    if v.tag_mode == "keywords" or (v.layout.startswith("8btc") and not e.tags):
        raw = split_keywords(keywords_content(page))
    return list(dict.fromkeys(t for t in (collapse(x) for x in raw) if t))


def author(page: pages.Page) -> str | None:
    """The author the page shows, or None when it shows none."""
    return None if page.variant.author_mode == "none" else page.entry.author[1]


def summary(page: pages.Page) -> str | None:
    """The description metadata (8btc ``desc``, Foresight ``brief``) when carried."""
    return None if page.variant.desc_mode == "none" else page.entry.summary


def article(page: pages.Page) -> dict:
    """The expected article object."""
    url = page.entry.url
    return {
        "kind": "article",
        "url": url,
        "canonical_url": sites.canonical_url(url),
        "title": collapse(page.entry.title),
        "author": author(page),
        "published_at": published_at(page),
        "summary": summary(page),
        "text": body_text(page.blocks),
        "tags": tags(page),
        "images": body_images(page.blocks, url),
    }


def _items_and_recs(blocks: tuple[Block, ...]) -> tuple[list[dict], list[dict]]:
    """Digest items and recommendations from the roles and facts of the blocks."""
    items: list[dict] = []
    recs: list[dict] = []
    lines: dict[int, list[str]] = {}
    for block in blocks:
        if block.role == "item_head":
            items.append(
                {
                    "headline": line_text(block.lines[0]),
                    "event_date": block.meta.event_date,
                    "text": None,
                    "attribution": block.meta.attribution,
                }
            )
            lines[id(items[-1])] = []
        elif block.role == "item_text" and items:
            lines[id(items[-1])] += text_lines([block])
        elif block.role == "rec_head":
            recs.append({"title": block.meta.title, "url": block.meta.url, "blurb": None})
            lines[id(recs[-1])] = []
        elif block.role == "blurb" and recs:
            lines[id(recs[-1])] += text_lines([block])
    for item in items:
        item["text"] = "\n".join(lines[id(item)])
    for rec in recs:
        rec["blurb"] = "\n".join(lines[id(rec)]) or None
    return [i for i in items if i["text"]], recs


def digest(page: pages.Page) -> dict:
    """The expected digest object."""
    summary_lines = [line_text(b.lines[0]) for b in page.blocks if b.role == "summary"]
    summary_text = summary_lines[0][3:] if summary_lines else None
    items, recs = _items_and_recs(page.blocks)
    return {
        "kind": "digest",
        "url": page.entry.url,
        "title": collapse(page.entry.title),
        "published_at": published_at(page),
        "summary": summary_text,
        "items": items,
        "recommendations": recs,
    }


def expected(cat: Catalogue, entry: Entry) -> dict:
    """What a correct parser returns for one reachable page."""
    if entry.deleted:
        return {"kind": "not_found", "status": 200}
    page = pages.build(cat, entry)
    return digest(page) if entry.kind == "digest" else article(page)


def real_digest_url() -> str:
    """The canonical URL of the real digest."""
    return sites.foresight_detail_url(real_digest.DIGEST_ID)


def stories(cat: Catalogue, entry: Entry) -> dict[str, str]:
    """The story of each row a reachable page gives: ``{url: story}`` for an article,
    ``{url#item-N: story}`` for each of a digest's items (N counts the truth's items)."""
    if entry.deleted:
        return {}
    page = pages.build(cat, entry)
    if entry.kind == "article":
        return {entry.url: _article_story(page)}
    heads = [b for b in page.blocks if b.role == "item_head"]
    items = _items_and_recs(page.blocks)[0]
    labels, n = {}, 0
    for head in heads:
        if line_text(head.lines[0]) not in {i["headline"] for i in items}:
            continue
        n += 1
        url = f"{entry.url}#item-{n}"
        labels[url] = head.meta.story or url
    return labels


def _article_story(page: pages.Page) -> str:
    """An article's story; one that opens with a 摘要 line tells the news of that line."""
    opening = next((line_text(b.lines[0]) for b in page.blocks if b.kind == "p" and b.lines), "")
    if opening.startswith("摘要：") and not page.entry.dup_kind:
        return dupes.story_key(opening.removeprefix("摘要："))
    return page.entry.story or page.entry.url


def iter_json(cat: Catalogue) -> Iterator[str]:
    """truth.json in pieces: header, one ``"url": {...}`` per page, the stories, braces.

    ``stories`` maps every clustered row (an article's URL, ``DIGEST_URL#item-N``) to its
    story label: rows with the same label tell the same news.
    """
    head = {"seed": cat.seed, "scale": cat.scale, "real_digest": real_digest_url()}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "pages": {'
    labels: dict[str, str] = {}
    for n, entry in enumerate(cat.reachable()):
        body = json.dumps(expected(cat, entry), ensure_ascii=False, sort_keys=False)
        yield ("" if n == 0 else ", ") + json.dumps(entry.url) + ": " + body
        labels.update(stories(cat, entry))
    yield '}, "stories": ' + json.dumps(labels) + "}\n"


def build(cat: Catalogue) -> dict:
    """The whole truth as a dict (tests and small scales)."""
    return json.loads("".join(iter_json(cat)))
