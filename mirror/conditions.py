"""Conditions the mirror serves on demand: what a cron crawler must survive, offline.

Set with ``GET /_mirror/conditions?NAME=VALUE&...`` (the answer is the current state
as JSON; ``clear=1`` resets everything first), or in-process with
``mirror.app.conditions.update({...})``:

- ``hold_back=K``: the K newest digests, and every page published since the oldest
  of them, are not published yet (absent from listings, HTTP 404). ``hold_back=0``
  publishes them: new items appearing between runs, at the top of the listings.
- ``block=SOURCE:MODE`` (repeatable): every answer of that source's hosts is a block:
  ``403``, ``429``, ``567``, ``challenge`` (Aliyun ``acw_sc__v2`` script page, HTTP
  200) or ``shell`` (an empty Vue app shell, HTTP 200). SOURCE is ``foresight``/``8btc``.
- ``robots=SOURCE:STATUS``: that source's robots.txt answers STATUS (e.g. 503).
- ``drift=SOURCE``: a layout change: 8btc article bylines lose their ``/author/`` link;
  Foresight pages lose their ``<meta name="description">`` and move the publication time
  where no reader looks (``div.topic-date``, JSON-LD ``dateCreated``, ``<time data-time>``,
  ``article:created_time``).
- ``slow=SECONDS``: every answer waits that long.

Always on: detail pages carry ``ETag`` and ``Last-Modified`` and answer a matching
``If-None-Match`` (or, without it, ``If-Modified-Since``) with 304.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Mapping
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .catalogue import Catalogue
from .entry import Entry

SOURCES = {"foresight": "foresightnews.pro", "8btc": "8btc.com"}
_CHALLENGE = (
    "<html><head><meta charset=\"utf-8\"></head><body><script>var arg1='3E40CCD6';"
    "function setCookie(name,value){document.cookie=name+'='+value+';path=/';}"
    "setCookie('acw_sc__v2', 'x');document.location.reload();</script>"
    "<!-- aliyun_waf_aa --></body></html>")
_SHELL = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>巴比特</title>"
          "<script src=\"/_nuxt/app.js\"></script></head>"
          "<body><div id=\"app\"></div></body></html>")
_FORESIGHT_DRIFT = ((b'class="topic-time"', b'class="topic-date"'),
                    (b'"datePublished"', b'"dateCreated"'),
                    (b"<time datetime=", b"<time data-time="),
                    (b'"article:published_time"', b'"article:created_time"'))
_EPOCH = 1678176000  # 2023-03-07T08:00:00Z: Last-Modified of every page, plus the version


class Conditions:
    """The mutable state of what the mirror is asked to simulate; thread-safe."""

    def __init__(self, catalogue: Catalogue):
        self.catalogue = catalogue
        self.lock = threading.Lock()
        self.version = 0
        self.state: dict[str, Any] = {}
        self.cutoff: int | None = None
        self.view: ListingView | None = None

    def update(self, changes: Mapping[str, Any], clear: bool = False) -> None:
        """Apply new conditions (a parsed query); bumps the version so caches refresh."""
        with self.lock:
            state = {} if clear else dict(self.state)
            state.update(changes)
            self.state = {k: v for k, v in state.items() if v not in (None, 0, "", {}, [])}
            self.cutoff = _cutoff(self.catalogue, int(self.state.get("hold_back", 0)))
            self.view = ListingView(self.catalogue, self.cutoff) if self.cutoff else None
            self.version += 1

    def control(self, query: str) -> bytes:
        """``/_mirror/conditions?...``: change the state, answer it as JSON."""
        qs = parse_qs(query)
        changes: dict[str, Any] = {}
        for name in ("block", "robots"):
            if name in qs:
                changes[name] = dict(v.split(":", 1) for v in qs[name] if ":" in v)
        if "drift" in qs:
            changes["drift"] = [v for v in qs["drift"] if v]
        if "hold_back" in qs:
            changes["hold_back"] = int(qs["hold_back"][0] or 0)
        if "slow" in qs:
            changes["slow"] = float(qs["slow"][0] or 0)
        if qs or query == "":
            self.update(changes, clear="clear" in qs)
        return json.dumps({"version": self.version, **self.state}).encode()

    def source_of(self, host: str) -> str | None:
        """'foresight' or '8btc' for a mirrored host."""
        return next((s for s, domain in SOURCES.items() if host.endswith(domain)), None)

    def hidden(self, entry: Entry | None) -> bool:
        """True for a page not published yet (hold_back)."""
        return entry is not None and self.cutoff is not None and entry.ts >= self.cutoff

    def block(self, host: str, path: str) -> tuple[int, str, bytes] | None:
        """(status, content type, body) when this host is blocked or its robots.txt fails."""
        if self.state.get("slow"):
            time.sleep(float(self.state["slow"]))
        source = self.source_of(host)
        if source is None:
            return None
        if path == "/robots.txt" and source in self.state.get("robots", {}):
            return int(self.state["robots"][source]), "text/plain", b"unavailable\n"
        mode = self.state.get("block", {}).get(source)
        if mode is None:
            return None
        if mode == "challenge":
            return 200, "text/html; charset=utf-8", _CHALLENGE.encode()
        if mode == "shell":
            return 200, "text/html; charset=utf-8", _SHELL.encode()
        return int(mode), "text/html; charset=utf-8", b"<html><body>Forbidden</body></html>"

    def rewrite(self, host: str, body: bytes) -> bytes:
        """A detail page as the changed layout (drift) writes it."""
        source = self.source_of(host)
        if source not in self.state.get("drift", []):
            return body
        if source == "8btc":
            return body.replace(b'href="/author/', b'href="/writer/')
        for old, new in _FORESIGHT_DRIFT:
            body = body.replace(old, new)
        return re.sub(rb'<meta name="description"[^>]*>', b"", body)

    def validators(self, body: bytes) -> tuple[str, str]:
        """(ETag, Last-Modified) of a page body."""
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        return etag, formatdate(_EPOCH + self.version * 60, usegmt=True)

    def not_modified(self, body: bytes, headers: Mapping[str, str] | None) -> bool:
        """True when the request's validators match this body."""
        if not headers:
            return False
        etag, modified = self.validators(body)
        if headers.get("If-None-Match"):
            return etag in [v.strip() for v in headers["If-None-Match"].split(",")]
        return headers.get("If-Modified-Since") == modified


class ListingView:
    """The catalogue's listings without the pages not published yet."""

    def __init__(self, cat: Catalogue, cutoff: int):
        self.columns = {c: [e for e in es if e.ts < cutoff] for c, es in cat.columns.items()}
        self.btc_list = [e for e in cat.btc_list if e.ts < cutoff]
        self.btc_by_cat: dict[int, list[Entry]] = {}
        for entry in self.btc_list:
            self.btc_by_cat.setdefault(entry.cat_id, []).append(entry)


def _cutoff(cat: Catalogue, hold_back: int) -> int | None:
    if hold_back <= 0:
        return None
    newest = sorted((d.ts for d in cat.digests), reverse=True)
    return newest[min(hold_back, len(newest)) - 1]


def is_control(target: str) -> bool:
    """True for the control endpoint."""
    return urlsplit(target).path.rstrip("/") == "/_mirror/conditions"
