"""Links as the page's reader sees them: resolved against the page's URL (or its ``<base>``).

Every parser that reads an href or a src (digest recommendations, article images) resolves
it here, so ``/article/7182377`` on ``https://www.8btc.com/article/1`` is stored as
``https://www.8btc.com/article/7182377``, never relative.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml import etree

_BASE = etree.XPath("//head/base[@href][1]/@href")
_SCHEMES = ("http", "https")


def base_url(root: etree._Element, page_url: str) -> str:
    """The URL relative links of the page are read against: its ``<base href>`` (itself
    resolved against the page URL, http(s) only), else the page URL."""
    found = _BASE(root)
    if found:
        base = urljoin(page_url, str(found[0]).strip())
        if urlsplit(base).scheme in _SCHEMES:
            return base
    return page_url


def absolute(base: str, href: str) -> str:
    """``href`` made absolute against ``base``; a scheme-less ``www.`` host gets https."""
    href = href.strip()
    if href.lower().startswith("www."):
        href = "https://" + href
    return urljoin(base, href)
