"""The hard-case set as HTML pages in a WARC file, and its command line.

8btc pages go through the mirror's 8btc renderer (2024 markup, its variants), Foresight
pages through the Foresight renderer (layouts F1-F3), so the project's site parsers read
them; the third outlet's pages are plain news-article pages (``<title>``, og: metadata,
``article:published_time``, an ``<article>`` body) that the generic extractor reads.
Each page is one WARC ``response`` record with its HTTP headers, fetched two hours after
publication. ``python -m mirror.hardcases`` (``mirror.hardcases.main``) writes it.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from . import pages, render_8btc, render_foresight, textgen
from .blocks import para
from .entry import Entry
from .render_common import attr, esc, meta
from .vocab import EIGHTBTC_AUTHORS, FORESIGHT_AUTHORS

FORESIGHT_COLUMN_IDS = (1, 894)


def _entry(page: dict, rng) -> Entry:
    """The catalogue entry a mirror renderer needs for this page."""
    site, page_id = page["site"], int(page["url"].rsplit("/", 1)[1])
    authors = EIGHTBTC_AUTHORS if site == "8btc" else FORESIGHT_AUTHORS
    author = rng.choice(authors)
    when = datetime.fromisoformat(page["published_at"])
    return Entry(site, "article", page["url"], int(when.timestamp()), id=page_id,
                 column=rng.choice(FORESIGHT_COLUMN_IDS), cat_id=6167, title=page["title"],
                 summary=page["text"].split("\n")[0][:80], author=author,
                 tags=tuple(page["names"][:3]), cover=f"https://img.example/{page_id}.png",
                 views=rng.randint(100, 90000))


def _mirror_html(page: dict) -> str:
    """An 8btc or Foresight page through that site's mirror renderer."""
    rng = textgen.rng_for(0, "hardcase-page", page["url"])
    entry = _entry(page, rng)
    blocks = tuple(para(line) for line in page["text"].split("\n"))
    when = datetime.fromisoformat(page["published_at"])
    if page["site"] == "8btc":
        variant = pages.pick_8btc(rng, "2024", False)
        return render_8btc.article_page(pages.Page(entry, variant, blocks, when))
    variant = pages.pick_foresight(rng, False)
    return render_foresight.detail_page(pages.Page(entry, variant, blocks, when))


def _plain_html(page: dict) -> str:
    """A plain news-article page on the third outlet."""
    body = "\n".join(f"<p>{esc(line)}</p>" for line in page["text"].split("\n"))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(page['title'])} | ChainCatcher</title>\n"
        f"{meta('og:type', 'article', True)}\n{meta('og:title', page['title'], True)}\n"
        f"{meta('og:url', page['url'], True)}\n"
        f"{meta('article:published_time', page['published_at'], True)}\n"
        f'<link rel="canonical" href="{attr(page["url"])}">\n</head>\n<body>\n'
        '<header class="site-header"><a href="/">ChainCatcher</a><nav><a href="/news">快讯</a>'
        '<a href="/article">文章</a></nav></header>\n<main>\n<article class="post">\n'
        f'<header class="post-header"><h1 class="post-title">{esc(page["title"])}</h1>\n'
        f'<div class="post-meta"><time datetime="{attr(page["published_at"])}">'
        f'{page["published_at"][:16].replace("T", " ")}</time></div></header>\n'
        f'<div class="post-content">\n{body}\n</div>\n</article>\n</main>\n'
        '<footer class="site-footer"><p>© 2024 ChainCatcher 版权所有</p></footer>\n'
        "</body>\n</html>\n"
    )


def html(page: dict) -> str:
    """The HTML page of one hard-case page."""
    return _plain_html(page) if page["site"] == "chaincatcher" else _mirror_html(page)


def write_warc(pages_: list[dict], path: Path) -> int:
    """Write every page as a gzipped WARC response record; returns the record count."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in pages_:
            body = html(page).encode("utf-8")
            fetched = datetime.fromisoformat(page["published_at"]) + timedelta(hours=2)
            headers = StatusAndHeaders("200 OK", [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            stamp = fetched.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            record = writer.create_warc_record(page["url"], "response",
                                               payload=io.BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": stamp})
            writer.write_record(record)
    return len(pages_)
