"""www.8btc.com article pages (2019 and 2024 markup) and 8btc's 404 page.

Structure from sites.md §1: ``div.main__header > div.header__main > div.bbt-container > h1``;
byline ``div.header__info > span.header__info-item`` (author link ``/author/ID``, ``<time>``
``YYYY-MM-DD HH:MM`` + 发布在 + category, view count); body ``div.main__body.main__body--normal
> div.bbt-container > div.bbt-row > div.bbt-col-xs-16 > div.bbt-html`` (2024: with a
``div.ne-render-content`` inside); tags in ``div.bbt-col-xs-16 > div.tag-module`` whose first
line is the label; Vue ``data-v-*`` attributes that change with each build. The 404 page has
no ``div.main__header`` and says 404 / 页面不存在.
"""

from __future__ import annotations

from datetime import UTC
from urllib.parse import quote

from . import relative, truth
from .pages import Page
from .render_common import BodyWriter, attr, esc, meta

NAV = (
    ("首页", "/"),
    ("资讯", "/news"),
    ("快讯", "/flash"),
    ("专栏", "/column"),
    ("元宇宙", "/tags/" + quote("元宇宙")),
)


def _v(build: str) -> str:
    return f" data-v-{build}"


def _head(page: Page) -> str:
    e, v = page.entry, page.variant
    out = [
        '<meta data-n-head="ssr" charset="utf-8">',
        '<meta data-n-head="ssr" name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(e.title)}{esc(v.title_suffix)}</title>",
    ]
    if v.tag_mode != "none":
        out.append(meta("keywords", truth.keywords_content(page)))
    if v.desc_mode == "name":
        out.append(meta("description", e.summary or ""))
    if v.og:
        out += [
            meta("og:type", "article", True),
            meta("og:title", e.title + v.title_suffix, True),
            meta("og:image", e.cover, True),
            meta("og:url", e.url, True),
        ]
        if v.desc_mode in ("name", "og"):
            out.append(meta("og:description", e.summary or "", True))
    if v.time_mode in ("meta", "meta_only"):
        out.append(meta("article:published_time", page.published.isoformat(), True))
    elif v.time_mode == "meta_z":
        stamp = page.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        out.append(meta("article:published_time", stamp, True))
    elif v.time_mode == "pubdate_only":
        out.append(meta("pubdate", page.published.strftime("%Y-%m-%d %H:%M:%S")))
    if v.modified:
        later = page.published.replace(minute=59, second=59).isoformat()
        out.append(meta("article:modified_time", later, True))
    if v.tag_mode == "article_tag":
        out += [meta("article:tag", t, True) for t in e.tags]
    out.append('<link rel="stylesheet" href="/_nuxt/css/app.c4e1f0a.css">')
    return "\n".join(out)


def _byline(page: Page) -> str:
    e, v = page.entry, page.variant
    dv = _v(v.build)
    spans = []
    if v.author_mode == "link":
        spans.append(
            f'<a href="/author/{e.author[0]}" class="link-dark-major"{dv}>{esc(e.author[1])} </a>'
        )
    else:
        spans.append(f"<span{dv}>来源：巴比特</span>")
    category = dict(
        ((6167, "头条"), (6168, "独家"), (1647, "创投"), (6, "矿业"), (572, "政策"))
    ).get(e.cat_id, "资讯")
    cats = f'<a href="javascript:;"{dv}> {category} </a>'
    shown = page.published.strftime("%Y-%m-%d %H:%M")
    if v.time_mode == "relative":
        shown = relative.placeholder(e.ts)
    if v.time_mode in ("visible", "relative", "meta", "meta_z"):
        spans.append(f"<time{dv}>{shown}</time>发布在 {cats}")
    elif v.time_mode == "time_attr":
        spans.append(
            f'<time datetime="{page.published.isoformat()}"{dv}>{shown}</time>发布在 {cats}'
        )
    else:
        spans.append(f"发布在 {cats}")
    spans.append(f'<i class="bbt-icon bbt-icon-view"{dv}></i>{e.views}')
    return "".join(f'<span class="header__info-item"{dv}>{s}</span>' for s in spans)


def _tag_module(page: Page) -> str:
    v = page.variant
    if v.tag_mode != "module" or not page.entry.tags:
        return ""
    tags = list(page.entry.tags)
    if len(tags) > 1 and v.entities:
        tags.append(tags[0])
    links = "\n".join(
        f'<a href="/tags/{quote(t)}" class="bbt-tag"{_v(v.build)}> {esc(t)} </a>' for t in tags
    )
    return (
        f'<div class="tag-module"{_v(v.build)}>\n'
        f'<div class="tag-module__title">{v.tag_label}</div>\n{links}\n</div>'
    )


def _sidebar(page: Page) -> str:
    items = "".join(
        f'<li><a href="/article/{i}" title="{attr(t)}">{esc(t)}</a></li>' for i, t in page.sidebar
    )
    out = (
        '<div class="hot-module"><div class="hot-module__title">热门文章</div>'
        f"<ul>{items}</ul></div>"
    )
    if page.variant.author_trap:
        out += (
            '<div class="author-module"><div class="author-module__title">推荐作者</div>'
            '<a href="/author/66790">周小满</a><a href="/author/73888">Carol Wang</a></div>'
        )
    return f'<div class="bbt-col-xs-8">{out}</div>'


def _chrome(build: str, main: str, title: str, head: str) -> str:
    dv = _v(build)
    nav = "".join(f'<a href="{href}" class="nav__item"{dv}>{text}</a>' for text, href in NAV)
    logo = '<img src="https://www.8btc.com/static/img/logo.png" alt="巴比特">'
    nuxt = f'layout:"default",data:[{{}}],error:null,serverRendered:true,title:"{attr(title)}"'
    return (
        '<!DOCTYPE html>\n<html data-n-head-ssr lang="zh-CN">\n<head>\n'
        f"{head}\n</head>\n<body>\n"
        f'<div id="__nuxt"><div id="__layout"><div id="app"{dv}>\n'
        f'<header class="bbt-header"{dv}><a href="/" class="bbt-header__logo"{dv}>{logo}</a>'
        f"<nav{dv}>{nav}</nav></header>\n{main}\n"
        f'<footer class="bbt-footer"{dv}><p>Copyright © 2011-2024 巴比特 8btc.com 版权所有</p>'
        '<p><a href="https://beian.miit.gov.cn/">浙ICP备14002698号</a></p></footer>\n'
        f"</div></div></div>\n<script>window.__NUXT__={{{nuxt}}};</script>\n</body>\n</html>\n"
    )


def _header(page: Page) -> str:
    """``div.main__header``: the h1 title and the byline."""
    v, dv = page.variant, _v(page.variant.build)
    title = (" " if v.pretty else "") + esc(page.entry.title, v.entities)
    return (
        f'<div class="main__header"{dv}><div class="header__main"{dv}>'
        f'<div class="bbt-container"{dv}>\n<h1{dv}>{title}</h1>\n'
        f'<div class="header__info"{dv}>{_byline(page)}</div>\n</div></div></div>'
    )


def _below_body(page: Page) -> str:
    """Tag module, copyright and share modules under the body."""
    e, dv = page.entry, _v(page.variant.build)
    price = f"${(e.views * 7) % 60000 + 3000:,}"
    return (
        f"{_tag_module(page)}\n"
        f'<div class="copyright-module"{dv}><div class="copyright-module__header">'
        f"<span>发布时比特币价格 <span>{price}</span></span></div>"
        "<div>版权声明：本文版权归原作者所有，转载请注明出处。</div></div>\n"
        f'<div class="share-module"{dv}>'
        f'<a class="link-dark-minor share-module__item">评论 {e.views % 97}</a>'
        f'<button class="bbt-btn bbt-btn--primary share-module__item">赞 {e.views % 313}</button>'
        "</div>"
    )


def article_page(page: Page) -> str:
    """An 8btc article (or 8btc-hosted digest) page."""
    v = page.variant
    dv = _v(v.build)
    body = BodyWriter(v.dialect, v.entities, v.pretty).body(page.blocks)
    if v.dialect == "ne":
        body = f'<div class="ne-render-content">{body}</div>'
    columns = (
        f'<div class="bbt-container"{dv}><div class="bbt-row"{dv}><div class="bbt-col-xs-16"{dv}>\n'
        f'<div class="bbt-html"{dv}>{body}</div>\n{_below_body(page)}\n</div>'
        f"{_sidebar(page)}</div></div>"
    )
    main = (
        f'<div class="main"{dv}>\n{_header(page)}\n'
        f'<div class="main__body main__body--normal"{dv}>{columns}</div>\n</div>'
    )
    return _chrome(v.build, main, page.entry.title, _head(page))


def not_found_page(build: str = "7f057cc4") -> str:
    """8btc's 404 page: no article header; says 404 and 页面不存在."""
    dv = _v(build)
    main = (
        f'<div class="main"{dv}><div class="not-found"{dv}>'
        f'<img src="https://www.8btc.com/static/img/404.png" alt="404"{dv}>'
        f'<div class="not-found__code"{dv}>404</div><p class="not-found__text"{dv}>页面不存在</p>'
        f'<a href="/" class="bbt-btn bbt-btn--primary"{dv}>返回首页</a></div></div>'
    )
    head = (
        '<meta data-n-head="ssr" charset="utf-8">\n'
        "<title>页面不存在_巴比特_服务于区块链创新者</title>\n"
        + meta("description", "巴比特，服务于区块链创新者")
    )
    return _chrome(build, main, "404", head)
