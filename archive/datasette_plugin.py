"""The Datasette plugin of `newsarchive serve`: Chinese search through the archive's search form.

- ``asgi_wrapper``: rewrites ``?_search=`` (the table search box) into the FTS5 expression
  archive.searchform builds, so 减半 or 蘋果 find what `newsarchive search` finds.
- ``prepare_connection``: the SQL function ``search_match(text)`` for canned queries, and
  ``archive.serve_guard.secure_connection`` (authorizer, blob and memory bounds).
Imported only by `newsarchive serve` and its tests (Datasette is an optional extra).
"""

from __future__ import annotations

import html
from urllib.parse import parse_qsl, quote_plus, urlencode

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


def typed_queries(raw: bytes) -> list[tuple[str, str]]:
    """(FTS5 expression, what the user typed) for each ``_search`` value that was rewritten."""
    pairs = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
    return [(_match_or_none(v), v) for k, v in pairs
            if (k == "_search" or (k.startswith("_search_") and k != "_searchmode"))
            and _match_or_none(v) != v]


def show_typed(page: str, queries: list[tuple[str, str]]) -> str:
    """An HTML page with the rewritten queries shown as the user typed them again: in the
    search box, the heading and the links (facets, pages) that carry the search on."""
    for match, typed in queries:
        for form in (lambda q: html.escape(q).replace("&quot;", "&#34;"), quote_plus):
            page = page.replace(form(match), form(typed))
    return page


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def rewritten(scope, receive, send):
            raw = scope.get("query_string", b"") if scope.get("type") == "http" else b""
            if b"_search" not in raw:
                await app(scope, receive, send)
                return
            scope = {**scope, "query_string": rewrite_query_string(raw)}
            await app(scope, receive, _ShowTyped(send, typed_queries(raw)))
        return rewritten
    return wrap


class _ShowTyped:
    """An ASGI ``send`` that rewrites an HTML answer's body with show_typed (buffered: a
    table page is small); any other answer passes through untouched."""

    def __init__(self, send, queries: list[tuple[str, str]]):
        self.send, self.queries = send, queries
        self.start: dict | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if self.queries and headers.get(b"content-type", b"").startswith(b"text/html"):
                self.start = message
                return
        if self.start is None or message["type"] != "http.response.body":
            await self.send(message)
            return
        self.chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = show_typed(b"".join(self.chunks).decode("utf-8"), self.queries).encode("utf-8")
        headers = [(k, str(len(body)).encode() if k == b"content-length" else v)
                   for k, v in self.start.get("headers", [])]
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})
