"""Request routing: ``/{real host}{path}?{query}`` -> a response, independent of HTTP plumbing.

The first path segment is the real host (one of ``crawler.sites.MIRRORED_HOSTS``); an
absolute-form target (``GET https://www.8btc.com/article/1``, as sent to a proxy) works too.
Every URL written into a response (pages, JSON, ``Location``) is a real URL. Rendered pages
and API answers are cached (LRU); nothing else is kept per page.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from crawler import sites

from . import (
    api,
    commoncrawl,
    conditions,
    pages,
    relative,
    render_8btc,
    render_foresight,
    truth,
    wayback,
)
from .catalogue import Catalogue
from .fault_bodies import Raw
from .response import HTML, JSON, TEXT, Response

if TYPE_CHECKING:
    from .faults import FaultPlan

_BUILD_LOCK = threading.Lock()
_BTC_ARTICLE = re.compile(r"^/(article|media)/(\d+)/?$")
_FS_DETAIL = re.compile(r"^(?:/foresightnews)?/article/detail/(\d+)/?$")
_ROBOTS_SITE = "User-agent: *\nDisallow: /search\nDisallow: /user/\nAllow: /\n"
_ROBOTS_API = "User-agent: *\nAllow: /\n"


class LRU:
    """A small thread-safe LRU cache of responses."""

    def __init__(self, size: int):
        self.size, self._data, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str) -> Response | None:
        """The cached response for ``key`` (now most recent), or None."""
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: Response) -> None:
        """Cache a response, evicting the least recently used beyond ``size``."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


def split_target(target: str) -> tuple[str, str, str]:
    """(real host, path, query) of ``/host/path?query`` or of an absolute URL."""
    parts = urlsplit(target)
    if parts.scheme in ("http", "https"):
        return (parts.hostname or "").lower(), parts.path or "/", parts.query
    segments = parts.path.split("/", 2)
    host = segments[1] if len(segments) > 1 else ""
    return host.lower(), "/" + (segments[2] if len(segments) > 2 else ""), parts.query


def redirect(location: str) -> Response:
    """A 301 to a real URL."""
    body = f'<html><body>Moved: <a href="{location}">{location}</a></body></html>'.encode()
    return Response(301, HTML, body, (("Location", location),))


def not_found_text() -> Response:
    """Anything outside the mirrored sites."""
    return Response(404, TEXT, b"not found\n")


class Mirror:
    """The mirror application for one (seed, scale)."""

    def __init__(self, seed: int = 1, scale: int = 20, cache_size: int = 4096,
                 faults: FaultPlan | None = None, clock: Callable[[], float] = time.time):
        self.clock = clock  # the time of a request: relative bylines are written against it
        self.catalogue = Catalogue(seed, scale)
        self.cache = LRU(cache_size)
        from .faults import FaultPlan  # faults builds on this module's Response

        self.faults = faults or FaultPlan()
        if self.faults.rate > 0:
            leaves = {e.url for e in self.catalogue.articles if e.kind == "article"}
            self.faults.eligible = leaves.__contains__
        self.conditions = conditions.Conditions(self.catalogue)
        self._wayback: wayback.Wayback | None = None
        self._commoncrawl: commoncrawl.CommonCrawl | None = None

    @property
    def wayback(self) -> wayback.Wayback:
        """The mirror's Wayback Machine (mirror.wayback), built on first use."""
        if self._wayback is None:
            self._wayback = wayback.Wayback(self.catalogue, self.archived_page)
            self._wayback.fault = self.faults.take
        return self._wayback

    @property
    def commoncrawl(self) -> commoncrawl.CommonCrawl:
        """The mirror's Common Crawl (mirror.commoncrawl), built on first use."""
        with _BUILD_LOCK:
            if self._commoncrawl is None:
                self._commoncrawl = commoncrawl.CommonCrawl(self.catalogue, self.archived_page)
                self._commoncrawl.fault = self.faults.take
        return self._commoncrawl

    def archived_page(self, url: str, at: float) -> Response:
        """The page at ``url`` as it was at unix time ``at`` (an archive's capture)."""
        response = self._route(url)
        if response.status != 200 or response.content_type != HTML:
            return response
        return Response(200, HTML, relative.fill(response.body, at), response.headers)

    def handle(self, target: str, headers: Mapping[str, str] | None = None) -> Response | Raw:
        """The response to a request target (``/host/path?query`` or an absolute URL), or
        the fault it was given (mirror.faults); ``headers`` of the request matter
        for conditional requests only (mirror.conditions)."""
        host, path, query = split_target(target)
        if host == sites.WAYBACK_HOST:
            return self.wayback.handle(path, query)
        if host in (sites.CC_INDEX_HOST, sites.CC_DATA_HOST):
            return self.commoncrawl.handle(host, path, query, headers)
        if target.startswith("/_mirror/"):
            special = self._control(target)
            if special is not None:
                return special
        if host in sites.MIRRORED_HOSTS:
            url = f"https://{host}{path}" + (f"?{query}" if query else "")
            from .faults import strip_switch

            inner = lambda: self._answer(strip_switch(target), headers)  # noqa: E731
            faulty = self.faults.respond(url, inner)
            if faulty is not None:
                return faulty
        return self._answer(target, headers)

    def _control(self, target: str) -> Response | None:
        """Uncached mirror endpoints: the archive's request log and truth, queued faults."""
        parts = urlsplit(target)
        if parts.path == "/_mirror/wayback/log":
            return Response(200, JSON, self.wayback.requests())
        if parts.path == "/_mirror/wayback.json":
            return Response(200, JSON, self.wayback.truth())
        if parts.path == "/_mirror/commoncrawl/log":
            return Response(200, JSON, self.commoncrawl.requests())
        if parts.path == "/_mirror/commoncrawl.json":
            return Response(200, JSON, self.commoncrawl.truth())
        if parts.path == "/_mirror/faults":  # ?host=H&mode=M&count=N
            qs = {k: v[0] for k, v in parse_qs(parts.query).items()}
            try:
                self.faults.queue(qs.get("host", ""), qs.get("mode", ""),
                                  int(qs.get("count", "1")))
            except ValueError as exc:
                return Response(400, TEXT, f"{exc}\n".encode())
            return Response(200, JSON, b"{}")
        return None

    def _answer(self, target: str, headers: Mapping[str, str] | None) -> Response:
        if conditions.is_control(target):
            return Response(200, JSON, self.conditions.control(urlsplit(target).query))
        host, path, _ = split_target(target)
        blocked = self.conditions.block(host, path)
        if blocked is not None:
            return Response(*blocked)
        key = f"{self.conditions.version}:{target}"
        response = self.cache.get(key)
        if response is None:
            response = self._route(target)
            if response.stream is None:
                self.cache.put(key, response)
        return self._conditional(host, response, headers)

    def _conditional(self, host: str, response: Response,
                     headers: Mapping[str, str] | None) -> Response:
        """Detail pages (HTML 200) carry validators and may answer 304 (see conditions)."""
        if response.status != 200 or response.content_type != HTML:
            return response
        body = relative.fill(self.conditions.rewrite(host, response.body), self.clock())
        etag, modified = self.conditions.validators(body)
        extra = (("ETag", etag), ("Last-Modified", modified))
        if self.conditions.not_modified(body, headers):
            return Response(304, HTML, b"", extra)
        return Response(200, HTML, body, response.headers + extra)

    def _route(self, target: str) -> Response:
        parts = urlsplit(target)
        if parts.path in ("/_mirror", "/_mirror/"):
            return Response(200, JSON, self.index())
        if parts.path == "/_mirror/truth.json":
            return Response(200, JSON, stream=self.truth_stream)
        host, path, query = split_target(target)
        if host not in sites.MIRRORED_HOSTS:
            return not_found_text()
        if path == "/robots.txt":
            robots = _ROBOTS_API if host.startswith(("api.", "webapi.")) else _ROBOTS_SITE
            return Response(200, TEXT, robots.encode())
        return self._site(host, path, query)

    def _site(self, host: str, path: str, query: str) -> Response:
        qs = parse_qs(query, keep_blank_values=True)
        if host == "8btc.com":
            return redirect("https://www.8btc.com" + path + (f"?{query}" if query else ""))
        if host == "www.foresightnews.pro":
            return redirect("https://foresightnews.pro" + path + (f"?{query}" if query else ""))
        if host == "webapi.8btc.com":
            if path == "/bbt_api/news/list":
                return Response(200, JSON, api.eightbtc_list(self._listed(), qs))
            return Response(404, JSON, api.dumps({"code": 404, "msg": "not found", "data": None}))
        if host in ("api.foresightnews.pro", "foresightnews.pro") and path == "/v1/articles":
            return Response(200, JSON, api.foresight_articles(self._listed(), qs))
        if host == "api.foresightnews.pro":
            return Response(404, JSON, api.dumps({"code": 0, "msg": "not found", "data": None}))
        if host.endswith("8btc.com"):
            return self._eightbtc(host, path)
        return self._foresight(path)

    def _eightbtc(self, host: str, path: str) -> Response:
        m = _BTC_ARTICLE.match(path)
        if m and (host == "m.8btc.com" or m.group(1) == "media"):
            return redirect(sites.eightbtc_article_url(m.group(2)))
        entry = (
            self.catalogue.eightbtc.get(int(m.group(2))) if m and host == "www.8btc.com" else None
        )
        if entry is None or self.conditions.hidden(entry):
            return Response(404, HTML, render_8btc.not_found_page().encode())
        if entry.deleted:
            return Response(200, HTML, render_8btc.not_found_page().encode())
        html = render_8btc.article_page(pages.build(self.catalogue, entry))
        return Response(200, HTML, html.encode())

    def _foresight(self, path: str) -> Response:
        m = _FS_DETAIL.match(path)
        entry = self.catalogue.foresight.get(int(m.group(1))) if m else None
        if entry is None or self.conditions.hidden(entry):
            return Response(404, HTML, render_foresight.not_found_page().encode())
        html = render_foresight.detail_page(pages.build(self.catalogue, entry))
        return Response(200, HTML, html.encode())

    def _listed(self) -> Any:
        """What the listing APIs show: the catalogue, or its published part (hold_back)."""
        return self.conditions.view or self.catalogue

    def index(self) -> bytes:
        """``/_mirror/``: what this mirror serves."""
        cat = self.catalogue
        data = {
            "seed": cat.seed,
            "scale": cat.scale,
            "real_digest": truth.real_digest_url(),
            "counts": cat.counts(),
            "hosts": list(sites.MIRRORED_HOSTS),
            "truth": "/_mirror/truth.json",
            "listings": {
                "foresight_columns": [sites.foresight_column_url(c, 1) for c in cat.columns],
                "eightbtc": sites.eightbtc_list_url(1),
            },
            "url_scheme": "/{real host}{real path}?{real query}",
        }
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    def truth_stream(self) -> Iterator[bytes]:
        """truth.json as UTF-8 pieces of about 64 KiB."""
        buf: list[str] = []
        size = 0
        for piece in truth.iter_json(self.catalogue):
            buf.append(piece)
            size += len(piece)
            if size >= 32768:
                yield "".join(buf).encode("utf-8")
                buf, size = [], 0
        if buf:
            yield "".join(buf).encode("utf-8")
