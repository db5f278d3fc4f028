"""What the mirror answers before transport: a ``Response`` and the content types it uses.

Its own module so that the router (``routes``) and the fault plan (``faults``) both build
responses without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass(slots=True)
class Response:
    """A response before transport: status, content type, body (bytes or a stream), headers."""

    status: int
    content_type: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    stream: Callable[[], Iterator[bytes]] | None = None
    gzipped: list[bytes] = field(default_factory=list)
