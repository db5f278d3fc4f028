"""What we know about each site: hosts, API roots, URL patterns, canonical-URL rules.

Pure data and pure functions (no Scrapy), so parsers, pipelines and the mirror
can all share one definition. Sources: reference/sites.md §1-3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
"""Both sites write wall-clock times without a zone: they are Beijing time."""


@dataclass(frozen=True, slots=True)
class Site:
    """One source site."""

    name: str
    """Short key stored in the archive ('8btc', 'foresight')."""
    home: str
    """Canonical origin of its pages."""
    hosts: tuple[str, ...]
    """Every host that serves the site's pages or APIs (aliases included)."""
    title_suffixes: tuple[str, ...]
    """Suffixes the site appends to <title> (removed when the title comes from there)."""
    tz: ZoneInfo = BEIJING
    """The zone of the wall-clock times the site writes without one."""


EIGHTBTC = Site(
    name="8btc",
    home="https://www.8btc.com",
    hosts=("www.8btc.com", "8btc.com", "m.8btc.com", "webapi.8btc.com"),
    title_suffixes=("_巴比特_服务于区块链创新者", "-巴比特", "_巴比特", " - 巴比特", "| 巴比特"),
)
FORESIGHT = Site(
    name="foresight",
    home="https://foresightnews.pro",
    hosts=(
        "foresightnews.pro",
        "www.foresightnews.pro",
        "api.foresightnews.pro",
        "a.foresightnews.pro",
        "d.foresightnews.pro",
        "s.foresightnews.pro",
    ),
    title_suffixes=(" - Foresight News", "-Foresight News", " | Foresight News", "_Foresight News"),
)
SITES: tuple[Site, ...] = (EIGHTBTC, FORESIGHT)
MIRRORED_HOSTS: tuple[str, ...] = tuple(h for s in SITES for h in s.hosts)
"""Hosts the offline mirror replicates; the host map sends exactly these to it."""
WAYBACK_HOST = "web.archive.org"
"""The Wayback Machine: its CDX API and its playback (``newsarchive backfill``)."""
CC_INDEX_HOST = "index.commoncrawl.org"
"""Common Crawl's collection list and per-collection CDX indexes (one server)."""
CC_DATA_HOST = "data.commoncrawl.org"
"""Common Crawl's WARC files (CloudFront), read a record at a time with Range requests."""

EIGHTBTC_LIST_API = "https://webapi.8btc.com/bbt_api/news/list"
FORESIGHT_API = "https://api.foresightnews.pro"
FORESIGHT_COLUMNS_API = f"{FORESIGHT_API}/v1/articles"

FORESIGHT_DIGEST_COLUMN = 1154
"""Column assumed to carry 巴比特's daily digest on Foresight. Its real id was not found
(sites.md §6); 1154 is one of the column ids seen in public code. Override with the
FORESIGHT_COLUMNS setting."""
FORESIGHT_DEFAULT_COLUMNS: tuple[int, ...] = (FORESIGHT_DIGEST_COLUMN, 1, 894)
"""Columns crawled by default: the digest column, ForesightNews 独家 (1), 深度 (894)."""

_EIGHTBTC_ARTICLE = re.compile(r"^/(?:article|media)/(\d+)(?:\.html?)?/*$", re.I)
_FORESIGHT_DETAIL = re.compile(
    r"^(?:/foresightnews)?/(article|news|timeline)/detail/(\d+)(?:\.html?)?/*$", re.I)
_TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|spm|from|source|share_token|share_from|fbclid|gclid|yclid|mc_\w+|"
    r"isappinstalled|scene|timestamp|_t|ref|ref_src)$", re.I)
PAGE_HOSTS = {"8btc": "www.8btc.com", "foresight": "foresightnews.pro"}
"""The host each site's pages live on; other page hosts (m., bare, a./d./s., www.) are
aliases of it. API hosts (webapi., api.) are not pages and keep their host."""
_API_HOSTS = ("webapi.8btc.com", "api.foresightnews.pro")


def _host(url: str) -> str:
    """The URL's host, lowercased, without a trailing dot; '' when it has none."""
    return (urlsplit(url.strip()).hostname or "").lower().rstrip(".")


def site_for_url(url: str) -> Site | None:
    """The site a URL belongs to, or None for any other host."""
    host = _host(url)
    for site in SITES:
        if host in site.hosts:
            return site
    return None


def site_zone(url: str) -> ZoneInfo:
    """The zone of times written without one on the page at ``url`` (Beijing by default)."""
    site = site_for_url(url)
    return site.tz if site else BEIJING


def eightbtc_article_url(article_id: int | str) -> str:
    """The canonical URL of an 8btc article."""
    return f"https://www.8btc.com/article/{article_id}"


def foresight_detail_url(post_id: int | str, kind: str = "article") -> str:
    """The canonical URL of a Foresight column post ('article'), flash ('news') or event."""
    return f"https://foresightnews.pro/{kind}/detail/{post_id}"


def eightbtc_list_url(page: int, num: int = 20) -> str:
    """One page of 8btc's article listing API."""
    return f"{EIGHTBTC_LIST_API}?num={num}&page={page}"


def foresight_column_url(column_id: int, page: int, size: int = 20) -> str:
    """One page of a Foresight column through the listing API."""
    return f"{FORESIGHT_COLUMNS_API}?column_id={column_id}&page={page}&size={size}"


def article_id(url: str) -> str | None:
    """The site's numeric id in an article/detail URL, or None when the URL is not one."""
    parts = urlsplit(url.strip())
    site = site_for_url(url)
    if site is EIGHTBTC:
        m = _EIGHTBTC_ARTICLE.match(parts.path)
        return m.group(1) if m else None
    if site is FORESIGHT:
        m = _FORESIGHT_DETAIL.match(parts.path)
        return m.group(2) if m else None
    return None


def canonical_url(url: str, declared: str | None = None) -> str:
    """One spelling per page: https, the site's main host, no fragment or tracking.

    8btc articles (``/article/N``, ``/media/N``, ``N.html``, trailing slashes, on
    ``m.``/``www.``/bare host, http or https) become ``https://www.8btc.com/article/N``;
    Foresight details (hosts ``www.``/``a.``/``d.``/``s.``, the ``/foresightnews/`` prefix)
    become ``https://foresightnews.pro/{kind}/detail/N``: the numeric id is the identity.
    ``declared`` is the page's ``<link rel=canonical>``; it wins when it names a page of
    the same site (a page cannot claim another site's identity). Any other URL keeps its
    path (without trailing slashes) and loses its fragment, default port and tracking
    parameters; page-host aliases of a known site become its main host.
    """
    if declared and declared.strip() and site_for_url(declared) is site_for_url(url) and (
            site_for_url(url) is not None):
        url = declared
    parts = urlsplit(url.strip())
    site = site_for_url(url)
    if site is EIGHTBTC and (m := _EIGHTBTC_ARTICLE.match(parts.path)):
        return eightbtc_article_url(m.group(1))
    if site is FORESIGHT and (m := _FORESIGHT_DETAIL.match(parts.path)):
        return foresight_detail_url(m.group(2), m.group(1).lower())
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not _TRACKING_PARAMS.match(k)]
    )
    host = _host(url)
    if site is not None:
        host = host if host in _API_HOSTS else PAGE_HOSTS[site.name]
    elif parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    scheme = "https" if site else (parts.scheme.lower() or "https")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, query, ""))


def is_listing_url(url: str) -> bool:
    """Whether a URL is one of the listing APIs (their answers are listings, not pages)."""
    return url.startswith((EIGHTBTC_LIST_API, FORESIGHT_API + "/"))
