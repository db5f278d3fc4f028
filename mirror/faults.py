"""Fault modes: what the hostile web does to a crawler, on demand, one mode per catalogue case.

Any mirrored URL takes a fault with the query switch ``_fault=NAME``
(``/www.8btc.com/article/5?_fault=cut``); the mode wraps the page the URL would serve
(``inner``) or replaces it. A :class:`FaultPlan` with a rate (``newsarchive mirror
--faults 0.2 --fault-seed 7``) also picks, per article URL and from its seed alone, whether
that page is faulted and with which of ``MIXED`` modes: the same URL always gets the same
fault, so a test can compute which pages to expect in the archive (``plan.pick(url)``).
Only article pages (leaves: nothing is discovered through them) are faulted at random, so
every healthy page stays reachable. Modes whose answer is not a well-formed HTTP response
(drip, cut, oversize, bombs) return a :class:`Raw` that the server writes byte for byte.
The catalogue (reference/reliability.md, part b) numbers are in docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import fault_bodies as bodies
from .fault_bodies import Raw
from .response import HTML, TEXT, Response

__all__ = ["MIXED", "MODES", "FaultPlan", "Raw", "strip_switch"]

SWITCH = "_fault"
"""The query parameter that asks for a fault mode."""


def _status(code: int, body: bytes = b"", ctype: str = TEXT) -> Callable[[Inner], Response]:
    return lambda inner: Response(code, ctype, body or f"HTTP {code}\n".encode())


def _flaky(state: dict[str, int], key: str, inner: Inner) -> Response:
    """503 twice, then the real page (catalogue 1)."""
    with _LOCK:
        state[key] = state.get(key, 0) + 1
        attempt = state[key]
    return inner() if attempt > 2 else Response(503, TEXT, b"busy, try again\n")


def _location(url: str, status: int = 302) -> Response:
    return Response(status, HTML, b"<html><body>moved</body></html>", (("Location", url),))


def _with_switch(target_url: str, mode: str, **extra: str) -> str:
    parts = urlsplit(target_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in (SWITCH, "n")]
    query += [(SWITCH, mode), *extra.items()]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


UNSAFE_TARGETS = {
    "redirect_file": "file:///etc/hostname",
    "redirect_data": "data:text/html,<h1>owned</h1>",
    "redirect_ftp": "ftp://ftp.example.com/x",
    "redirect_javascript": "javascript:alert(1)",
    "redirect_loopback": "http://127.0.0.2/internal",
    "redirect_localhost": "http://localhost/x",
    "redirect_metadata": "http://169.254.169.254/latest/meta-data/",
    "redirect_private": "http://10.0.0.1/",
    "redirect_ipv6": "http://[::1]/",
    "redirect_decimal": "http://2130706433/",
    "redirect_offsite": "https://evil.example.com/steal",
}
"""Redirect targets a crawler must refuse (catalogue 9, 10, 16)."""

Inner = Callable[[], Response]


def _content(make: Callable[[bytes], tuple[str, bytes]]) -> Callable[[Inner], Response]:
    """A mode that rewrites the real page's body (and content type)."""

    def mode(inner: Inner) -> Response:
        page = inner()
        ctype, body = make(page.body)
        return Response(page.status, ctype, body)

    return mode


def _raw(make: Callable[[bytes], Raw]) -> Callable[[Inner], Raw]:
    return lambda inner: make(inner().body)


SIMPLE: dict[str, Callable[[Inner], Response | Raw]] = {
    "dead": _status(500),
    "gone": _status(404, b"<html><body><h1>404 Not Found</h1></body></html>", HTML),
    "robots_5xx": _status(503),
    "slow": _raw(lambda body: bodies.drip(body)),
    "cut": _raw(bodies.cut),
    "bad_gzip": _raw(bodies.bad_gzip),
    "oversize": _raw(lambda body: bodies.oversize(chunked=False)),
    "oversize_chunked": _raw(lambda body: bodies.oversize(chunked=True)),
    "bomb_gzip": _raw(lambda body: bodies.bomb("gzip")),
    "bomb_deflate": _raw(lambda body: bodies.bomb("deflate")),
    "bomb_br": _raw(lambda body: bodies.bomb("br")),
    "bomb_zstd": _raw(lambda body: bodies.bomb("zstd")),
    "bomb_stacked": _raw(lambda body: bodies.bomb("gzip, deflate")),
    "gbk_header": _content(lambda b: bodies.recode(b, "gbk", header=True, meta=False)),
    "gbk_meta": _content(lambda b: bodies.recode(b, "gbk", header=False, meta=True)),
    "gbk_none": _content(lambda b: bodies.recode(b, "gbk", header=False, meta=False)),
    "gbk_conflict": _content(lambda b: bodies.recode(b, "gbk", header="utf-8", meta=True)),
    "gb18030_as_gb2312": _content(lambda b: bodies.recode(b, "gb18030", header="gb2312",
                                                          meta=True)),
    "big5_header": _content(lambda b: bodies.recode(b, "big5", header=True, meta=False)),
    "big5_conflict": _content(lambda b: bodies.recode(b, "big5", header="utf-8", meta=True)),
    "latin1_header": _content(lambda b: (HTML.replace("utf-8", "iso-8859-1"),
                                         bodies.drop_meta_charset(b))),
    "mojibake": _content(bodies.mojibake),
    "malformed": _content(bodies.malformed),
    "truncated_html": _content(bodies.truncated_html),
    "empty": _content(lambda b: (HTML, b"")),
    "whitespace": _content(lambda b: (HTML, b" \r\n\t \n")),
    "bare_html": _content(lambda b: (HTML, b"<html></html>")),
    "soft404": _content(lambda b: (HTML, bodies.soft_404())),
    "script_shell": _content(lambda b: (HTML, bodies.script_shell())),
    "giant": _content(lambda b: (HTML, bodies.giant_page())),
    "deep": _content(lambda b: (HTML, bodies.deep_page())),
    "hostile": _content(lambda b: (HTML, bodies.hostile(b, long=False))),
    "hostile_long": _content(lambda b: (HTML, bodies.hostile(b, long=True))),
    **{name: (lambda inner, u=url: _location(u)) for name, url in UNSAFE_TARGETS.items()},
}
"""Stateless modes: name -> f(inner) where inner() is the page the URL would serve."""
ON_DEMAND: dict[str, Callable[[Inner], Response | Raw]] = {
    "busy": _status(503),
    "too_many": _status(429, b"Too Many Requests\n"),
}
"""Answers queued for a host's next requests (``FaultPlan.queue``: the web archives)."""

MIXED = ("flaky", "dead", "gone", "slow", "cut", "bad_gzip", "oversize", "bomb_gzip",
         "redirect_loop", "redirect_file", "redirect_loopback", "gbk_conflict", "mojibake",
         "empty", "soft404", "script_shell", "truncated_html")
"""The modes ``--faults RATE`` mixes into article pages."""
HEALTHY = frozenset({"flaky", "gbk_conflict"})
"""Mixed modes after which the page must still be archived whole (retried, or decoded)."""
MODES = frozenset(SIMPLE) | {"flaky", "redirect_loop", "redirect_chain", "meta_refresh_loop"}

_LOCK = threading.Lock()


class FaultPlan:
    """Which fault a request gets: its ``_fault`` switch, else the seeded random mix."""

    def __init__(self, rate: float = 0.0, seed: int = 0,
                 eligible: Callable[[str], bool] = lambda url: False, robots_5xx: bool = False):
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {rate}")
        self.rate, self.seed, self.eligible = rate, seed, eligible
        self.robots_5xx = robots_5xx
        self.hits: Counter[str] = Counter()
        """Requests answered with a fault, per URL (tests count attempts with it)."""
        self._attempts: dict[str, int] = {}
        self._queued: dict[str, list[str]] = {}

    def queue(self, host: str, mode: str, count: int) -> None:
        """Answer the next ``count`` requests to ``host`` with ``mode`` (on demand)."""
        if mode not in ON_DEMAND:
            raise ValueError(f"unknown on-demand mode {mode!r}")
        with _LOCK:
            self._queued.setdefault(host, []).extend([mode] * count)

    def take(self, host: str) -> Response | None:
        """The queued answer for the next request to ``host``, if one is queued."""
        with _LOCK:
            modes = self._queued.get(host)
            mode = modes.pop(0) if modes else None
        if mode is None:
            return None
        return ON_DEMAND[mode](lambda: Response(200, TEXT, b""))  # type: ignore[return-value]

    def pick(self, url: str) -> str | None:
        """The random fault of a real URL (None for most): a function of (seed, url) only."""
        if self.rate <= 0 or not self.eligible(url):
            return None
        digest = hashlib.sha256(f"{self.seed}\n{url}".encode()).digest()
        if int.from_bytes(digest[:8], "big") / 2**64 >= self.rate:
            return None
        return MIXED[int.from_bytes(digest[8:12], "big") % len(MIXED)]

    def requested(self, url: str) -> str | None:
        """The mode the URL's ``_fault`` switch names (None without one)."""
        for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
            if key == SWITCH:
                return value
        return None

    def respond(self, url: str, inner: Inner) -> Response | Raw | None:
        """The faulty answer for ``url`` (a real URL), or None to serve it normally."""
        mode = self.requested(url) or self.pick(url)
        if self.robots_5xx and urlsplit(url).path == "/robots.txt":
            mode = "robots_5xx"
        if mode is None:
            return None
        with _LOCK:
            self.hits[url] += 1
        if mode == "flaky":
            return _flaky(self._attempts, url, inner)
        if mode in ("redirect_loop", "redirect_loop2"):
            other = "redirect_loop2" if mode == "redirect_loop" else "redirect_loop"
            return _location(_with_switch(url, other))
        if mode == "redirect_chain":
            n = int(dict(parse_qsl(urlsplit(url).query)).get("n", "0") or 0)
            return _location(_with_switch(url, "redirect_chain", n=str(n + 1)))
        if mode == "meta_refresh_loop":
            return Response(200, HTML, bodies.meta_refresh(url))
        make = SIMPLE.get(mode)
        if make is None:
            return Response(400, TEXT, f"unknown fault mode {mode!r}\n".encode())
        return make(inner)


def strip_switch(url: str) -> str:
    """The URL without its fault switch (what the page would be without the fault)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in (SWITCH, "n")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
