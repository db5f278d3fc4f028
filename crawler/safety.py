"""The request policy: where the crawler may go, checked on every request and every redirect hop.

A downloader middleware (``SafetyMiddleware``) refuses, before any connection:

- a scheme other than http/https (``file:``, ``data:``, ``ftp:``, ``s3:``, ``javascript:``);
- credentials in the URL (``http://news.test@evil.test/``) and non-default ports;
- a host that is not one of the sites' hosts (``SAFETY_ALLOWED_HOSTS``, default
  ``crawler.sites.MIRRORED_HOSTS``): so no IP literal in any spelling (``2130706433``,
  ``0x7f000001``, ``[::1]``) and no ``localhost``;
- on the live web, a known host whose DNS answer includes a private, loopback,
  link-local or otherwise non-global address (checked after resolution, in a thread).

Redirects are checked before RedirectMiddleware follows them (priority 650 > 600): the
``Location`` must pass the same policy and must not point back to a URL of the chain
(a loop). With ``MIRROR_URL`` set the host map sends the allowed hosts to the mirror on
loopback; that single address is the exception, and nothing is resolved. Refusals raise
``UnsafeUrl``/``RedirectLoop`` (IgnoreRequest subclasses with a ``kind``), count
``safety/refused/<kind>`` and reach the spider's errback, which records them.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector
from twisted.internet.threads import deferToThread

from crawler.sites import MIRRORED_HOSTS

logger = logging.getLogger(__name__)
Resolver = Callable[[str], Iterable[str]]


class UnsafeUrl(IgnoreRequest):
    """A request or redirect hop outside the policy; ``kind`` says which rule."""

    def __init__(self, url: str, reason: str, kind: str = "unsafe_url"):
        super().__init__(f"refused {url[:200]!r}: {reason}")
        self.kind = kind


class RedirectLoop(UnsafeUrl):
    """A redirect back to a URL already in the chain."""

    def __init__(self, url: str):
        super().__init__(url, "redirect loop", kind="redirect_loop")


def check_url(url: str, allowed_hosts: frozenset[str]) -> None:
    """Raise UnsafeUrl unless ``url`` is http(s), without credentials, to an allowed host."""
    host = _web_host(url)
    if host not in allowed_hosts:
        raise UnsafeUrl(url, f"host {host!r} is not a known site host", kind="unsafe_host")


def _web_host(url: str) -> str:
    """The host of an http(s) URL without credentials on a web port; UnsafeUrl otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl(url, f"scheme {parts.scheme or '(none)'!r} is not http(s)",
                        kind="unsafe_scheme")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl(url, "credentials in the URL")
    try:
        port = parts.port
    except ValueError:
        raise UnsafeUrl(url, "unreadable port") from None
    if port not in (None, 80, 443):
        raise UnsafeUrl(url, f"port {port} is not a web port")
    return (parts.hostname or "").lower().rstrip(".")


def is_public(address: str) -> bool:
    """True for a globally routable address (never private, loopback, link-local, reserved)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_addresses(host: str, addresses: Iterable[str]) -> None:
    """Raise UnsafeUrl when any address ``host`` resolved to is not public (DNS rebinding)."""
    found = list(addresses)
    bad = [a for a in found if not is_public(a)]
    if bad or not found:
        raise UnsafeUrl(host, f"resolves to non-public address {', '.join(bad) or 'none'}",
                        kind="unsafe_address")


def system_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for ``host``."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})


class SafetyMiddleware:
    """Downloader middleware enforcing the request policy on requests and redirect hops."""

    def __init__(self, allowed_hosts: Iterable[str], stats: StatsCollector,
                 resolve: Resolver | None = system_resolver):
        self.allowed = frozenset(h.lower() for h in allowed_hosts)
        self.stats = stats
        self.resolve = resolve
        self._checked: dict[str, UnsafeUrl | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafetyMiddleware:
        if not crawler.settings.getbool("SAFETY_ENABLED", True):
            raise NotConfigured("SAFETY_ENABLED is off")
        hosts = crawler.settings.getlist("SAFETY_ALLOWED_HOSTS") or list(MIRRORED_HOSTS)
        # Crawling the mirror, every allowed host is served from loopback: nothing to resolve.
        resolve = None if crawler.settings.get("MIRROR_URL") else system_resolver
        return cls(hosts, crawler.stats, resolve)

    async def process_request(self, request: Request) -> None:
        self._guard(request.url, lambda: check_url(request.url, self.allowed))
        host = (urlsplit(request.url).hostname or "").lower()
        if self.resolve is not None:
            if host not in self._checked:
                try:
                    check_addresses(host, await deferToThread(self.resolve, host))
                    self._checked[host] = None
                except OSError as exc:
                    raise UnsafeUrl(host, f"cannot resolve: {exc}", "dns") from None
                except UnsafeUrl as exc:
                    self._checked[host] = exc
            refusal = self._checked[host]
            if refusal is not None:
                self._count(refusal)
                raise refusal

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if not 300 <= response.status < 400 or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        self._guard(target, lambda: check_url(target, self.allowed))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target.split("#")[0] in chain:
            loop = RedirectLoop(target)
            self._count(loop)
            logger.warning("safety: %s", loop)
            raise loop
        return response

    def _guard(self, url: str, check: Callable[[], None]) -> None:
        try:
            check()
        except UnsafeUrl as exc:
            self._count(exc)
            logger.warning("safety: %s", exc)
            raise

    def _count(self, exc: UnsafeUrl) -> None:
        self.stats.inc_value(f"safety/refused/{exc.kind}")


def check_public_url(url: str) -> None:
    """Raise UnsafeUrl unless ``url`` is one the crawl could fetch on the public web:
    http(s), no credentials, a web port, a host name (not ``localhost``) or a public IP
    literal. Nothing is resolved: ``import`` judges URLs from other tools' archives."""
    host = _web_host(url)
    if not host or host == "localhost" or host.endswith(".localhost"):
        raise UnsafeUrl(url, f"host {host!r} is not public", kind="unsafe_host")
    if _ip_literal(host) and not is_public(host):
        raise UnsafeUrl(url, f"address {host} is not public", kind="unsafe_address")


def _ip_literal(host: str) -> bool:
    """Whether a host is an IP address in any spelling the resolver would accept."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(host)  # 2130706433, 0x7f000001, 127.1: no DNS, the C parser
        return True
    except OSError:
        return False
