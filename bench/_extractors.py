"""The three extractors of the parse figure, each given the page HTML and its URL.

Each returns the same four fields: title, published (UTC ISO minute or None), author, text.
Competitors get their most accurate documented settings:

- trafilatura ``bare_extraction(html, url=..., with_metadata=True)``, default (not ``fast``)
  extraction, and htmldate asked for the original date with extensive search and an output
  format that keeps the time (its default format drops it).
- newspaper4k ``Article(url, language="zh", fetch_images=False)`` with
  ``download(input_html=html)`` and ``parse()`` (jieba tokeniser: the ``[zh]`` extra). By
  default it downloads images to size the top image: a network fetch per page, and a
  stall offline; images are not among the compared fields.

Neither competitor knows the sites write Beijing time without a zone: a naive date they
return is read as Beijing time, in their favour, before comparing in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from crawler.parsers import ParseError, parse_page, to_output
from crawler.sites import BEIJING

TRAFILATURA_DATES = {"original_date": True, "extensive_search": True,
                     "outputformat": "%Y-%m-%d %H:%M:%S"}


def to_utc_minute(value: datetime | str | None) -> str | None:
    """``YYYY-MM-DDTHH:MMZ`` of a datetime or ISO string; naive means Beijing time."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=BEIJING)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def ours(html: bytes, url: str) -> dict[str, Any]:
    """crawler.parsers.parse_page, read through the documented output."""
    try:
        out = to_output(parse_page(html, url))
    except ParseError:
        return {"title": None, "published": None, "author": None, "text": None}
    return {"title": out["title"], "published": to_utc_minute(out["published_at"]),
            "author": out.get("author"), "text": out.get("text")}


def trafilatura_fields(html: bytes, url: str) -> dict[str, Any]:
    """trafilatura.bare_extraction with metadata."""
    import trafilatura

    doc = trafilatura.bare_extraction(html.decode("utf-8"), url=url, with_metadata=True,
                                      date_extraction_params=TRAFILATURA_DATES)
    if doc is None:
        return {"title": None, "published": None, "author": None, "text": None}
    return {"title": doc.title, "published": to_utc_minute(doc.date), "author": doc.author,
            "text": doc.text}


def offline_tldextract() -> None:
    """newspaper4k calls tldextract, whose default extractor fetches the public-suffix list
    over the network (and, offline, waits for it to time out on every call). Use the
    snapshot bundled with tldextract instead: same answers for our hosts, no network."""
    from tldextract import tldextract

    tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


def newspaper_fields(html: bytes, url: str) -> dict[str, Any]:
    """newspaper4k's Article on the given HTML, with no image downloads."""
    from newspaper import Article

    article = Article(url, language="zh", fetch_images=False)
    article.download(input_html=html.decode("utf-8"))
    article.parse()
    return {"title": article.title or None, "published": to_utc_minute(article.publish_date),
            "author": ", ".join(article.authors) or None, "text": article.text or None}


EXTRACTORS = {"ours": ours, "trafilatura": trafilatura_fields, "newspaper4k": newspaper_fields}
