"""Typed reasons a page could not be read. Never a silent None."""

from __future__ import annotations


class ParseError(ValueError):
    """A page could not be turned into an item. ``kind`` is a short key for stats."""

    kind = "parse_error"

    def __init__(self, reason: str, *, url: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.url = url

    def __str__(self) -> str:
        return self.reason


class WrongKind(ParseError):
    """The page is not of a kind this parser reads (e.g. a listing given to the article parser)."""

    kind = "wrong_kind"


class MissingField(ParseError):
    """The page is of the right kind but lacks a required field (title, body...)."""

    kind = "missing_field"


class PageNotFound(ParseError):
    """The site answered with its 'not found' page, whatever the HTTP status."""

    kind = "not_found"


class BadPayload(ParseError):
    """An API answer that cannot be decoded (bad envelope, base64, zlib or JSON)."""

    kind = "bad_payload"


class BadEncoding(ParseError):
    """The bytes decode only to mojibake (e.g. Chinese read as Latin-1): flagged, not stored."""

    kind = "bad_encoding"


class Truncated(ParseError):
    """A complete HTTP response whose HTML stops mid-page: never counted as a whole page."""

    kind = "truncated_html"


class FieldTooLong(ParseError):
    """A one-line field (title, headline, author) far longer than any real one: refused,
    not stored raw and not cut silently (the page stays in the WARC record)."""

    kind = "oversize_field"
