"""The two listing APIs, answered from the catalogue (sites.md §2, §3).

- Foresight ``/v1/articles?column_id=&page=&size=``: ``{"code":1,"msg":"success","data":X}``
  with X the base64 (padding stripped) of zlib-deflated UTF-8 JSON: a list of posts, newest
  first, fields as in the decoded 2023-08 sample. Missing or invalid parameters:
  ``{"code":0,"msg":"invalid params","data":null}`` with HTTP 200.
- 8btc ``/bbt_api/news/list?num=&page=[&cat_id=]``: ``{"code":0,"msg":"success",
  "data":{"list":[...],"total":T}}``, newest first; ``post_date`` is unix seconds, a string of
  digits for about 10% of rows; ``post_date_format`` is Beijing wall-clock time.
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import datetime

from .catalogue import Catalogue
from .entry import UTC8, Entry
from .vocab import FORESIGHT_COLUMNS

MAX_PAGE_SIZE = 50


def dumps(data: object) -> bytes:
    """Compact UTF-8 JSON, as the real APIs send it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode_foresight(data: object) -> str:
    """Foresight's ``data`` string: base64 without '=' padding of zlib-deflated JSON."""
    return base64.b64encode(zlib.compress(dumps(data), 6)).decode("ascii").rstrip("=")


def _int(query: dict[str, list[str]], name: str, default: int | None = None) -> int | None:
    """A positive integer parameter; None when missing (without default) or invalid."""
    values = query.get(name)
    if not values:
        return default
    text = values[0].strip()
    return int(text) if text.isdigit() and int(text) >= 1 else None


def _column(column_id: int) -> dict:
    title, brief, created = FORESIGHT_COLUMNS[column_id]
    return {
        "id": column_id,
        "title": title,
        "brief": brief,
        "content": "",
        "img": f"https://img.foresightnews.pro/202204/{column_id}-1650606962554.png?x-oss-process=style/article_avatar",
        "default_cover": "",
        "is_recommend": column_id != 1154,
        "weight": 1,
        "subscribed": False,
        "created_at": created,
        "last_update_at": 0,
        "last_article_title": "",
        "last_article_id": "",
        "total": 0,
        "articles": None,
    }


def foresight_post(entry: Entry) -> dict:
    """One post as the column listing gives it (``content`` is empty in listings)."""
    return {
        "id": entry.id,
        "title": entry.title,
        "brief": entry.summary or "",
        "content": "",
        "img": entry.cover.split("?")[0] + "?x-oss-process=style/article_img",
        "source_link": "",
        "column": _column(entry.column),
        "author": {"id": entry.author[0], "username": entry.author[1]},
        "tags": [{"name": t} for t in entry.tags],
        "is_hot": entry.views % 7 == 0,
        "is_important": entry.views % 11 == 0,
        "published_at": entry.ts,
        "last_update_at": entry.ts + entry.views % 3600,
        "favorited": False,
    }


def foresight_articles(cat: Catalogue, query: dict[str, list[str]]) -> bytes:
    """``/v1/articles``: one page of a column, encoded."""
    column, page, size = _int(query, "column_id"), _int(query, "page"), _int(query, "size")
    if column is None or page is None or size is None:
        return dumps({"code": 0, "msg": "invalid params", "data": None})
    size = min(size, MAX_PAGE_SIZE)
    posts = cat.columns.get(column, [])[(page - 1) * size : page * size]
    return dumps(
        {"code": 1, "msg": "success", "data": encode_foresight([foresight_post(e) for e in posts])}
    )


def eightbtc_row(entry: Entry) -> dict:
    """One row of 8btc's article list."""
    posted = datetime.fromtimestamp(entry.ts, UTC8)
    return {
        "id": entry.id,
        "title": entry.title,
        "desc": entry.summary or "",
        "image": entry.cover,
        "post_date": str(entry.ts) if entry.post_date_str else entry.ts,
        "post_date_format": posted.strftime("%Y-%m-%d %H:%M:%S"),
        "post_type": "post",
        "author_info": {
            "id": entry.author[0],
            "display_name": entry.author[1],
            "name": entry.author[1],
        },
        "source": {"link": "", "name": "巴比特"},
        "cat_id": entry.cat_id,
        "tags": [{"name": t, "slug": t.lower()} for t in entry.tags],
        "views": entry.views,
    }


def eightbtc_list(cat: Catalogue, query: dict[str, list[str]]) -> bytes:
    """``/bbt_api/news/list``: one page of the newest-first article list."""
    num, page = _int(query, "num", 20), _int(query, "page", 1)
    cat_id = _int(query, "cat_id", 0)
    if num is None or page is None or cat_id is None:
        return dumps({"code": 1, "msg": "invalid params", "data": None})
    num = min(num, MAX_PAGE_SIZE)
    rows = cat.btc_by_cat.get(cat_id, []) if cat_id else cat.btc_list
    chunk = rows[(page - 1) * num : page * num]
    return dumps(
        {
            "code": 0,
            "msg": "success",
            "data": {"list": [eightbtc_row(e) for e in chunk], "total": len(rows)},
        }
    )
