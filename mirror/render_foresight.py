"""foresightnews.pro column-post detail pages (three layouts) and its not-found page.

No real detail HTML exists (sites.md §3, §6): the layouts are built from the selectors
public spiders use (``.topic``, ``.topic-time`` as ``%Y-%m-%d %H:%M``, body candidates
``.detail-body`` / ``.article-content`` / ``.news_body_content``) and from standard metadata:

- F1: title in ``div.topic`` (no ``<h1>``), time in ``div.topic-time``, body ``div.detail-body``,
  ``meta name=description/keywords/author`` and ``og:title``/``og:description``;
- F2: ``<article>`` with ``<h1>`` and ``<time datetime="...+08:00">``, body ``.article-content``,
  a JSON-LD NewsArticle (headline, datePublished, author, description, keywords), nothing else;
- F3: title only in ``<title>`` and ``og:title``, date only in ``article:published_time``,
  author in ``article:author``, tags as ``article:tag``, body ``.news_body_content``.
"""

from __future__ import annotations

from . import truth
from .catalogue import DIGEST_COLUMN
from .pages import Page
from .render_common import BodyWriter, esc, json_ld, meta
from .vocab import FORESIGHT_COLUMNS

SUFFIX = " - Foresight News"


def _chrome(head: str, main: str) -> str:
    nav = "".join(
        f'<li class="nav-item"><a href="{h}">{t}</a></li>'
        for t, h in (("首页", "/"), ("快讯", "/news"), ("专栏", "/column"), ("活动", "/activity"))
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f'{head}\n</head>\n<body>\n<div id="__nuxt"><div id="__layout"><div class="layout">\n'
        '<div class="header"><a href="/" class="logo">'
        '<img src="https://foresightnews.pro/static/logo.png" alt="Foresight News"></a>'
        f'<ul class="nav el-menu">{nav}</ul></div>\n{main}\n'
        '<div class="footer"><p>© 2024 Foresight News 版权所有</p>'
        "<p>风险提示：本网站内容不构成投资建议。</p></div>\n"
        "</div></div></div>\n</body>\n</html>\n"
    )


def _column_link(page: Page) -> str:
    column = page.entry.column or DIGEST_COLUMN
    title = FORESIGHT_COLUMNS.get(column, ("专栏", "", 0))[0]
    return f'<div class="breadcrumb"><a href="/column/detail/{column}">{esc(title)}</a></div>'


def _f1(page: Page, body: str) -> str:
    e, v = page.entry, page.variant
    head = [f"<title>{esc(e.title)}{SUFFIX}</title>", meta("description", e.summary or "")]
    if e.tags:
        head.append(meta("keywords", truth.keywords_content(page)))
    head += [
        meta("author", e.author[1]),
        meta("og:title", e.title, True),
        meta("og:description", e.summary or "", True),
        meta("og:image", e.cover, True),
    ]
    main = (
        f'<div class="main-content"><div class="list_body">\n{_column_link(page)}\n'
        f'<div class="topic">{esc(e.title, v.entities)}</div>\n'
        f'<div class="topic-info"><span class="topic-author">{esc(e.author[1])}</span>'
        f'<div class="topic-time">{page.published:%Y-%m-%d %H:%M}</div></div>\n'
        f'<div class="detail-body">{body}</div>\n</div></div>'
    )
    return _chrome("\n".join(head), main)


def _f2(page: Page, body: str) -> str:
    e, v = page.entry, page.variant
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": e.title,
        "datePublished": page.published.isoformat(),
        "author": {"@type": "Person", "name": e.author[1]},
        "description": e.summary,
        "image": [e.cover],
        "publisher": {"@type": "Organization", "name": "Foresight News"},
    }
    if v.modified:
        data["dateModified"] = page.published.replace(minute=59).isoformat()
    if e.tags:
        data["keywords"] = list(e.tags)
    head = f"<title>{esc(e.title)}{SUFFIX}</title>\n{json_ld(data)}"
    main = (
        f'<div class="main-content">{_column_link(page)}\n<article class="article-detail">\n'
        f'<header class="article-header"><h1 class="article-title">{esc(e.title, v.entities)}</h1>'
        f'<div class="article-meta"><span class="article-author">{esc(e.author[1])}</span>'
        f'<time datetime="{page.published.isoformat()}">{page.published:%Y-%m-%d %H:%M}</time>'
        "</div></header>\n"
        f'<div class="article-content">{body}</div>\n</article></div>'
    )
    return _chrome(head, main)


def _f3(page: Page, body: str) -> str:
    e, v = page.entry, page.variant
    head = [
        f"<title>{esc(e.title)}{SUFFIX}</title>",
        meta("og:title", e.title, True),
        meta("og:type", "article", True),
        meta("og:description", e.summary or "", True),
        meta("article:published_time", page.published.isoformat(), True),
        meta("article:author", e.author[1], True),
    ]
    if v.modified:
        head.append(
            meta("article:modified_time", page.published.replace(minute=59).isoformat(), True)
        )
    head += [meta("article:tag", t, True) for t in e.tags]
    main = (
        f'<div class="main-content"><div class="news-detail">{_column_link(page)}\n'
        f'<div class="news_body"><div class="news_body_content">{body}</div></div>\n'
        '<div class="share-bar"><span>分享到</span><a href="javascript:;">微博</a></div>'
        "</div></div>"
    )
    return _chrome("\n".join(head), main)


def detail_page(page: Page) -> str:
    """A Foresight column post in its layout."""
    v = page.variant
    body = BodyWriter(v.dialect, v.entities, v.pretty).body(page.blocks)
    return {"F1": _f1, "F2": _f2, "F3": _f3}[v.layout](page, body)


def not_found_page() -> str:
    """The small page Foresight answers (HTTP 404) for an unknown post."""
    head = f"<title>页面不存在{SUFFIX}</title>"
    main = (
        '<div class="main-content"><div class="error-page"><h2>404</h2>'
        '<p>抱歉，您访问的页面不存在或已被删除</p><a href="/">返回首页</a></div></div>'
    )
    return _chrome(head, main)
