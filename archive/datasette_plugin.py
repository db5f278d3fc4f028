"""The Datasette plugin of `newsarchive serve`: Chinese search through the archive's search form.

- ``asgi_wrapper``: rewrites ``?_search=`` (the table search box) into the FTS5 expression
  archive.searchform builds, so 减半 or 蘋果 find what `newsarchive search` finds.
- ``prepare_connection``: the SQL function ``search_match(text)`` for canned queries, and
  ``archive.serve_guard.secure_connection`` (authorizer, blob and memory bounds).
Imported only by `newsarchive serve` and its tests (Datasette is an optional extra).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from archive.searchform import QueryError, to_match_query
from archive.serve_guard import secure_connection


def rewrite_query_string(raw: bytes) -> bytes:
    """``_search`` values in a query string turned into their FTS5 expression."""
    pairs = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
    out = []
    for key, value in pairs:
        if key == "_search" or (key.startswith("_search_") and key != "_searchmode"):
            value = _match_or_none(value)
        out.append((key, value))
    return urlencode(out).encode("ascii")


def _match_or_none(value: str) -> str:
    try:
        return to_match_query(value)
    except QueryError:
        return '""'   # nothing searchable: an empty phrase matches nothing


def search_match(text: str | None) -> str:
    """SQL function: a query as its FTS5 expression; one that matches nothing if empty."""
    return _match_or_none(text or "")


@hookimpl
def prepare_connection(conn):
    conn.create_function("search_match", 1, search_match, deterministic=True)
    secure_connection(conn)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def rewritten(scope, receive, send):
            if scope.get("type") == "http" and b"_search" in scope.get("query_string", b""):
                scope = {**scope, "query_string": rewrite_query_string(scope["query_string"])}
            await app(scope, receive, send)
        return rewritten
    return wrap
