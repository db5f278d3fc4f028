"""From input (str or bytes) to one lxml tree: decoding, "is this HTML at all", parsing.

Bytes are decoded with their BOM, else the charset they declare (``<meta charset>``,
``http-equiv`` or an XML declaration), else the charset the HTTP header names (``hint``),
else UTF-8; GB18030 is tried for undeclared Chinese pages that are not UTF-8. The first
of these that decodes the bytes strictly wins, so a wrong declaration is passed over.
With ``chinese=True`` (a Chinese source) a decoding that yields mostly Latin-1 letters
and few CJK characters is mojibake: the next candidate is tried, and when none is better
the page is refused (``BadEncoding``) rather than stored unreadable.
Bytes that no codec reads cleanly are decoded with replacement characters only when
those are rare, and a warning is logged; mostly undecodable input is not a page
(``WrongKind``).
"""

from __future__ import annotations

import codecs
import json
import logging
import re

from lxml import etree

from crawler.parsers.errors import BadEncoding, MissingField, Truncated, WrongKind

log = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.I,
)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_FEED_ROOT = re.compile(
    r"^(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:rss|feed|urlset|sitemapindex|rdf:RDF)\b", re.S | re.I
)
_FEED_HINTS = ("<rss", "<feed", "<urlset", "<sitemapindex", "<rdf:rdf")
_MAX_REPLACED = 0.01
"""Share of undecodable characters above which bytes are not taken as a text page."""


def _codec(name: bytes | str | None) -> str | None:
    if not name:
        return None
    label = name.decode("ascii", "ignore") if isinstance(name, bytes) else name
    label = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_encoding(data: bytes) -> str | None:
    """The charset a document declares in its first 4 KiB, as a Python codec name."""
    m = _DECLARED.search(data[:4096])
    return _codec(m.group(1) or m.group(2)) if m else None


def decode_bytes(data: bytes) -> str:
    return decode_bytes_as(data)[0]


_MOJIBAKE_MIN = 20
"""Latin-1 letters a Chinese page must show (more than its CJK characters) to be mojibake."""


_LATIN1 = re.compile("[\x80-\xff]")
_CJK = re.compile("[\u3000-\u9fff\uf900-\uffef]")


def looks_like_mojibake(text: str) -> bool:
    """True when text meant to be Chinese reads as Latin-1 (UTF-8 or GBK taken as 8859-1).

    Counted with regexes: a character loop in Python was 1% of a whole crawl."""
    if _LATIN1.search(text) is None:
        return False
    latin1 = len(_LATIN1.findall(text))
    if latin1 < _MOJIBAKE_MIN:
        return False
    return latin1 > len(_CJK.findall(text))


_CHINESE_CODECS = {"gb18030", "gbk", "gb2312", "big5", "big5hkscs", "hz", "cp936", "cp950"}
_ZH_LANG = re.compile(rb"""<html[^>]*\blang\s*=\s*["']?\s*zh""", re.I)
_CJK_MIN = 10
"""CJK characters the bytes, read as UTF-8, must hold for the page to contain Chinese."""


def claims_chinese(data: bytes, hint: str | None = None) -> bool:
    """Whether a page claims or contains Chinese: a Chinese charset (declared or in the
    header), ``<html lang="zh...">``, or Chinese characters when its bytes are read as
    UTF-8. Only such a page can be mojibake of Chinese; a Russian, English or French page
    with Latin-1 letters is what it says it is."""
    head = data[:4096]
    if declared_encoding(head) in _CHINESE_CODECS or _codec(hint) in _CHINESE_CODECS:
        return True
    if _ZH_LANG.search(head):
        return True
    sample = data[:65536].decode("utf-8", errors="ignore")
    return len(_CJK.findall(sample)) >= _CJK_MIN


def decode_bytes_as(data: bytes, hint: str | None = None,
                    chinese: bool = False) -> tuple[str, str]:
    """Bytes to (text, codec): BOM, declared, hinted, UTF-8, GB18030; never a silent U+FFFD."""
    bom = next(((b, c) for b, c in _BOMS if data.startswith(b)), None)
    if bom:
        data, declared = data[len(bom[0]):], bom[1]
        candidates = [declared]
    else:
        declared = declared_encoding(data)
        hinted = _codec(hint)
        candidates = [c for c in (declared, hinted, "utf-8") if c]
        if declared is None and hinted is None:
            candidates.append("gb18030")
    mojibake = None
    for codec in dict.fromkeys(candidates):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            if codec == "utf-8" and exc.start >= len(data) - 3 and exc.reason.startswith(
                ("unexpected end", "invalid continuation")
            ):
                return data[: exc.start].decode(codec), "utf-8-cut"  # cut in its last character
            continue
        if chinese and looks_like_mojibake(text):
            mojibake = mojibake or codec
            continue
        if codec != candidates[0] and (declared or hint):
            log.warning("charset %s does not fit the bytes; decoded as %s", candidates[0], codec)
        return text, codec
    if mojibake:
        raise BadEncoding(f"mojibake: decodes as {mojibake} to Latin-1 letters, not Chinese")
    codec = declared or "utf-8"
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(1, len(text) * _MAX_REPLACED):
        raise WrongKind(f"not text: {bad} undecodable characters as {codec}")
    log.warning("%d undecodable byte sequence(s) replaced by U+FFFD (decoded as %s)", bad, codec)
    return text, f"{codec}-replaced"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


_END_TAG = re.compile(r"</(?:body|html)\s*>", re.I)


def check_complete(text: str) -> None:
    """Raise ``Truncated`` for an HTML page that stops before its ``</body>``/``</html>``."""
    if not _END_TAG.search(text[-4096:]):
        raise Truncated("truncated HTML: the page ends before </body> and </html>")


def check_is_html(text: str) -> None:
    """Raise for input that is no HTML page: empty (MissingField), JSON, a feed, plain text."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if not head.strip() and not text.strip():
        raise MissingField("empty document: no title and no body")
    if "\x00" in head:
        raise WrongKind("not an HTML page: binary content")
    if head[:1] in ("{", "["):
        what = "a JSON document" if _is_json(text.lstrip("\ufeff \t\r\n")) else "JSON-like text"
        raise WrongKind(f"not an HTML page: {what}")
    lowered = head.lower()
    if any(root in lowered for root in _FEED_HINTS) and _FEED_ROOT.match(head):
        raise WrongKind("not an HTML page: an XML feed or sitemap")
    if "<" not in head and "<" not in text:
        raise WrongKind("not an HTML page: plain text without markup")


_CLASSED = etree.XPath("descendant-or-self::*[@class]")
_DATED = etree.XPath("descendant-or-self::*[(self::time and @datetime != '')"
                     " or @itemprop = 'datePublished']")
_H1S = etree.XPath("descendant-or-self::h1[not(@itemprop = 'datePublished')]")


class Page:
    """A parsed document plus an index of its elements by class token (built on first use).

    Site selectors are class tokens (``div.bbt-html``, ``.topic-time``): one pass over the
    tree answers all of them, instead of one XPath scan per selector. The passes run in
    lxml's XPath engine (C), which visits only the elements that carry a class, a date or
    an h1: walking every element in Python was a tenth of the parse time.
    """

    __slots__ = ("root", "_classes", "_times", "_h1s")

    def __init__(self, root: etree._Element):
        self.root = root
        self._classes: dict[str, list[tuple[int, etree._Element]]] | None = None
        self._times: list[etree._Element] | None = None
        self._h1s: list[etree._Element] | None = None

    def _index(self) -> dict[str, list[tuple[int, etree._Element]]]:
        classes: dict[str, list[tuple[int, etree._Element]]] = {}
        for position, el in enumerate(_CLASSED(self.root)):
            for token in el.get("class").split():
                if token in classes:
                    classes[token].append((position, el))
                else:
                    classes[token] = [(position, el)]
        self._classes = classes
        return classes

    def h1s(self) -> list[etree._Element]:
        """Every ``<h1>`` (not marked ``itemprop=datePublished``), in document order."""
        if self._h1s is None:
            self._h1s = _H1S(self.root)
        return self._h1s

    def dated_elements(self) -> list[etree._Element]:
        """``<time datetime>`` and ``[itemprop=datePublished]`` elements, in document order."""
        if self._times is None:
            self._times = _DATED(self.root)
        return self._times

    def by_class(self, *names: str) -> list[etree._Element]:
        """Elements having any of the class tokens, in document order."""
        classes = self._classes if self._classes is not None else self._index()
        if len(names) == 1:
            return [el for _, el in classes.get(names[0], ())]
        found = {pos: el for name in names for pos, el in classes.get(name, ())}
        return [found[pos] for pos in sorted(found)]


def parse_html(source: str | bytes) -> Page:
    """Decode, check and parse a page (parsed once) into a :class:`Page`."""
    data: bytes | None = None
    if isinstance(source, bytes | bytearray):
        text, codec = decode_bytes_as(bytes(source))
        if codec == "utf-8":
            data = bytes(source)  # already what the parser is told: no re-encoding
    elif isinstance(source, str):
        text = source
    else:
        raise WrongKind(f"not an HTML page: {type(source).__name__} input")
    check_is_html(text)
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        root = etree.fromstring(data or text.encode("utf-8", "replace"), parser)
    except etree.XMLSyntaxError as exc:
        raise MissingField(f"unparsable document: {exc}") from exc
    if root is None:
        raise MissingField("empty document: no element at all")
    return Page(root)
