"""The host map: with ``MIRROR_URL`` set, requests for the real sites go to the mirror.

It is a download handler, not a downloader middleware, on purpose. A middleware
that rewrites the URL must either return a new Request (it is scheduled again,
counted twice, and the spider sees the mirror's address) or download it itself
(outside the downloader's per-domain slots, so concurrency limits and delays no
longer apply). The download handler is the network boundary: every middleware
(robots.txt, offsite, redirects, retries, stats) and every callback sees the real
URL, the per-host slots are the real hosts', and only the bytes come from the
mirror. The archive therefore records ``https://www.8btc.com/article/...``.

Mirror addressing (docs/mirror.md): ``https://{host}{path}?{q}`` is served at
``{MIRROR_URL}/{host}{path}?{q}``. With a mirror set, a host the mirror does not
replicate is refused, so a crawl of the mirror never leaves the machine.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.sites import MIRRORED_HOSTS


class NotMirrored(IgnoreRequest):
    """A request for a host the mirror does not serve, while crawling the mirror."""


def to_mirror_url(url: str, mirror: str, hosts: frozenset[str]) -> str | None:
    """Where the mirror serves ``url``; None when its host is not mirrored."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in hosts:
        return None
    base = urlsplit(mirror)
    path = f"{base.path.rstrip('/')}/{host}{parts.path or '/'}"
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


class HostMapDownloadHandler(BaseDownloadHandler):
    """HTTP(S) download handler that sends mirrored hosts to ``MIRROR_URL`` when it is set."""

    lazy = False

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self._inner = HTTP11DownloadHandler(crawler)
        self._mirror = (crawler.settings.get("MIRROR_URL") or "").rstrip("/")
        hosts = crawler.settings.getlist("MIRROR_HOSTS") or MIRRORED_HOSTS
        self._hosts = frozenset(h.lower() for h in hosts)

    async def download_request(self, request: Request) -> Response:
        if not self._mirror:
            return await self._inner.download_request(request)
        target = to_mirror_url(request.url, self._mirror, self._hosts)
        if target is None:
            host = urlsplit(request.url).hostname
            raise NotMirrored(f"{host} is not served by the mirror at {self._mirror}")
        response = await self._inner.download_request(request.replace(url=target))
        return response.replace(url=request.url, request=request)

    async def close(self) -> None:
        await self._inner.close()
