"""What stands between `newsarchive serve` and a hostile page or query.

- ``guard(app, host, db_path)``: an ASGI wrapper that answers 421 to a request whose
  ``Host`` header is not the address the server was started on (or, on loopback, a
  loopback name): a page on another origin that rebinds its DNS name to 127.0.0.1
  sends its own name and is refused. It also removes the archive's folder from the
  answers under ``/-/`` (``/-/databases.json`` showed the absolute path).
- ``secure_connection(conn)``: on every connection Datasette opens, an authorizer
  refusing ``fts3_tokenizer`` (it hands out a function pointer) and extension loading,
  every value a query builds bounded (``SQLITE_LIMIT_LENGTH``: ``randomblob(300000000)``
  fails) and SQLite's heap bounded (``PRAGMA hard_heap_limit``), so one query cannot
  take the server's memory.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

MAX_VALUE = 32 * 1024 * 1024
"""The longest string or blob one query may build (SQLITE_LIMIT_LENGTH): randomblob,
zeroblob, printf or replace past it fail with "string or blob too big"."""
HEAP_LIMIT = 512 * 1024 * 1024
"""SQLite's own allocations in the server process (PRAGMA hard_heap_limit)."""
_REFUSED_FUNCTIONS = {"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit"}
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def allowed_hosts(host: str) -> frozenset[str]:
    """The Host names a request may carry to a server started on ``host``."""
    names = {host.lower().strip("[]")}
    if _is_loopback(host):
        names |= _LOOPBACK_NAMES
    if host in ("0.0.0.0", "::", ""):
        names |= {socket.gethostname().lower(), socket.getfqdn().lower(), *_LOOPBACK_NAMES}
    return frozenset(names)


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_of(header: str) -> str:
    """The name in a Host header, without its port or IPv6 brackets, lower case."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def guard(app: App, host: str, db_path: Path) -> App:
    """``app`` behind the Host check, its ``/-/`` answers without the archive's folder."""
    names = allowed_hosts(host)
    folder = (str(Path(db_path).resolve().parent) + os.sep).encode()

    async def guarded(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if host_of(headers.get(b"host", b"").decode("latin-1")) not in names:
            await _refuse(send)
            return
        if scope.get("path", "").startswith("/-/"):
            await app(scope, receive, _hiding(send, folder))
            return
        await app(scope, receive, send)

    return guarded


async def _refuse(send: Any) -> None:
    body = b"misdirected request: this server answers only to the host it was started on\n"
    await send({"type": "http.response.start", "status": 421,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _hiding(send: Any, folder: bytes) -> Any:
    """A ``send`` that buffers one response and removes ``folder`` from its body."""
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def hiding(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks).replace(folder, b"")
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return hiding


def secure_connection(conn: sqlite3.Connection) -> None:
    """The authorizer, blob bounds and memory limits of one server connection."""
    conn.set_authorizer(_authorize)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE)
    conn.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT}")


def _authorize(action: int, arg1: str | None, arg2: str | None, *_: Any) -> int:
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK
