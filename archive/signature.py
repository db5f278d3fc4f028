"""What a story looks like to the deduplicator: normalised text, its hash, its MinHash.

Pure functions (no database, no crawler). A news text is compared by its **lead**: its
first sentence (sentences until ``SHORT`` characters, at most ``WINDOW``) of normalised
text, cut into character shingles (Chinese has no spaces to split words on). Reprints,
retellings at another outlet and digest items that summarise an article all share the
first sentence; they differ in headlines, commentary and chrome, which the lead leaves out.
The lead itself is stored beside the signature, so that a candidate pair can be verified
on its text (``archive.stories``). Normalising drops what every story of a source
shares (lead-ins such as ``Foresight News 消息，``, dated openings, disclaimer lines),
so that two different stories with the same boilerplate do not look alike.

The numbers of the lead travel beside the signature: two short flash items that differ
only in a figure are different stories even though nearly all their shingles agree
(see ``archive.stories.same_figures``).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from archive.minhash import minhash

NUM_PERM = 64
"""Permutations per signature: 256 bytes stored per row."""
SHINGLE = 3
"""Characters per shingle."""
WINDOW = 96
"""At most this many characters of normalised lead text are signed (a digest item or a
retelling repeats the first sentence, not the whole paragraph)."""
SHORT = 24
"""A lead grows sentence by sentence until it has this many characters; a text shorter
than this is signed with its headline in front."""

_BOILERPLATE_LINE = re.compile(
    r"^(风险提示|免责声明|声明[：:]|原文[：:]|作者[：:]|撰文[：:]|编译[：:]|来源[：:]|"
    r"图片来源|责任编辑|本文由|本文来自|关注我们|扫码|.{0,12}(微信|微博|电报|Telegram|Twitter)[：:])",
    re.I)
_LEAD_IN = re.compile(
    r"^(?:(?:foresight\s*news|巴比特|odaily星球日报|金色财经|[^，,。]{0,12}讯)\s*(?:消息|讯|报道)?[，,:：]"
    r"|据[^，,。]{1,16}?(?:\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*(?:报道|消息)[，,]"
    r"|(?:当地时间\s*)?(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日(?:晚间|早间|凌晨|消息)?\s*[，,]"
    r"|近日[，,]|今日[，,]|日前[，,]|摘要\s*[：:])\s*", re.I)
_DROP = re.compile(r"[\s\u3000\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[。!?;])|\n")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True, slots=True)
class Signature:
    """The dedupe keys of one text."""

    text_sha256: str
    """sha256 of the whole normalised text: equal means the same words."""
    minhash: bytes
    """NUM_PERM uint32 MinHash values of the lead's shingles, little-endian."""
    numbers: tuple[str, ...]
    """The figures of the signed lead, in order."""
    truncated: bool
    """True when the window cut the lead inside a sentence (its last figure may be cut)."""
    lead: str = ""
    """The signed lead: compact normalised text, no spaces or punctuation."""


def normalize_text(text: str) -> str:
    """NFKC, lowercase, boilerplate lines and lead-ins dropped, lines joined by newlines."""
    lines = []
    for line in unicodedata.normalize("NFKC", text or "").lower().splitlines():
        line = line.strip()
        while (m := _LEAD_IN.match(line)) and m.end() < len(line):
            line = line[m.end():]
        if line and not _BOILERPLATE_LINE.match(line):
            lines.append(line)
    return "\n".join(lines)


def text_sha256(text: str) -> str:
    """sha256 of the normalised text, lowercase hex."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def lead(text: str, headline: str | None = None) -> tuple[str, bool]:
    """The signed part of a text: its first sentences, without spaces or punctuation.

    Sentences are taken until the lead has ``SHORT`` characters, and it is cut at
    ``WINDOW``; the flag says whether that cut fell inside a sentence. Numbers keep their
    decimal point (``2.5``) but lose thousands separators.
    """
    body = normalize_text(text)
    if len(_compact(body)) < SHORT and headline:
        body = normalize_text(headline) + "\n" + body
    out = ""
    for sentence in _SENTENCE_END.split(body):
        out += _compact(sentence)
        if len(out) >= SHORT:
            break
    return out[:WINDOW], len(out) > WINDOW


def _compact(text: str) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"(?<=\d)\.(?=\d)", "\0", text)
    return _DROP.sub("", text).replace("\0", ".")


def shingles(text: str) -> set[bytes]:
    """Character shingles of ``text`` (the whole text when shorter than one shingle)."""
    if len(text) <= SHINGLE:
        return {text.encode("utf-8")}
    return {text[i:i + SHINGLE].encode("utf-8") for i in range(len(text) - SHINGLE + 1)}


def sign(text: str, headline: str | None = None) -> Signature:
    """The signature of an article's or digest item's text."""
    window, truncated = lead(text, headline)
    return Signature(
        text_sha256=text_sha256(text),
        minhash=minhash(shingles(window), NUM_PERM).astype("<u4").tobytes(),
        numbers=figures(window),
        truncated=truncated,
        lead=window,
    )


def hashvalues(minhash: bytes) -> np.ndarray:
    """A stored signature as its uint32 array."""
    return np.frombuffer(minhash, dtype="<u4")


def figures(lead_text: str) -> tuple[str, ...]:
    """The figures of a lead, in order."""
    return tuple(_NUMBER.findall(lead_text))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    return float(np.mean(hashvalues(a) == hashvalues(b)))


def compare(a: str, b: str, a_cut: bool = False, b_cut: bool = False,
            floor: float = 0.0) -> float:
    """How alike two stored leads are as one story: 0.0 when a name or a figure differs.

    The longer lead is cut to the shorter one's length (a digest item repeats the first
    sentence of an article's longer lead); then both must state the same figures and
    the same names, and the score is the Jaccard similarity of their shingles.
    ``a_cut`` / ``b_cut``: the window cut that lead inside a sentence. A score under
    ``floor`` is given as 0.0 without the names check (a diff of both leads, the
    costliest step: a placement only needs to know whether a candidate can win).
    """
    n = min(len(a), len(b))
    if not same_lead_figures(a, b, a_cut, b_cut):
        return 0.0
    value = lead_jaccard(a, b)
    if value < floor or names_differ(a[:n], b[:n], a_cut or b_cut or len(a) != len(b)):
        return 0.0
    return value


def agree(a: str, b: str, a_cut: bool = False, b_cut: bool = False) -> bool:
    """``compare``'s checks besides the Jaccard: the same figures and the same names."""
    n = min(len(a), len(b))
    return (same_lead_figures(a, b, a_cut, b_cut)
            and not names_differ(a[:n], b[:n], a_cut or b_cut or len(a) != len(b)))


def same_lead_figures(a: str, b: str, a_cut: bool = False, b_cut: bool = False) -> bool:
    """Whether two leads, cut to the shorter one's length, state the same figures (a
    figure the cut may have split does not count)."""
    n = min(len(a), len(b))
    fa, fb = figures(a[:n]), figures(b[:n])
    if a_cut or b_cut or len(a) != len(b):
        fa, fb = fa[:-1], fb[:-1]
    k = min(len(fa), len(fb))
    return fa[:k] == fb[:k]


def lead_jaccard(a: str, b: str) -> float:
    """Jaccard similarity of the shingles of two leads cut to the shorter one's length."""
    n = min(len(a), len(b))
    sa, sb = _grams(a[:n]), _grams(b[:n])
    return len(sa & sb) / len(sa | sb)


@functools.lru_cache(maxsize=512)
def _grams(text: str) -> frozenset[str]:
    """``shingles(text)`` as str (same Jaccard values, no encoding), cached."""
    if len(text) <= SHINGLE:
        return frozenset((text,))
    return frozenset(text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1))


def lead_jaccards(a: str, others: list[str]) -> list[float]:
    """``lead_jaccard(a, b)`` for every ``b`` of ``others``, in a few numpy operations.

    A placement verifies up to 200 candidates; one Python set operation each was a
    third of the writer's time. Each lead is kept as its distinct shingles, coded
    exactly as integers (three code points of 21 bits), with the position where each
    first appears: a shingle belongs to the lead cut at ``n`` when it starts at or before
    ``n - SHINGLE``. Same values as ``lead_jaccard`` (the same integer counts divided).
    """
    if len(a) < SHINGLE or not others:
        return [lead_jaccard(a, b) for b in others]
    codes_a, first_a = _coded(a)
    sorted_first_a = np.sort(first_a)
    lengths = np.fromiter((len(b) for b in others), dtype=np.int64, count=len(others))
    last = np.minimum(lengths, len(a)) - SHINGLE  # the last start inside the cut lead
    coded = [_coded(b) for b in others]
    sizes = np.fromiter((len(c[0]) for c in coded), dtype=np.int64, count=len(coded))
    codes_b = np.concatenate([c[0] for c in coded])
    first_b = np.concatenate([c[1] for c in coded])
    owner = np.repeat(np.arange(len(others)), sizes)
    limit = last[owner]
    in_b = first_b <= limit
    at = np.minimum(np.searchsorted(codes_a, codes_b), len(codes_a) - 1)
    shared = in_b & (codes_a[at] == codes_b) & (first_a[at] <= limit)
    inter = np.bincount(owner, weights=shared, minlength=len(others)).astype(np.int64)
    size_b = np.bincount(owner, weights=in_b, minlength=len(others)).astype(np.int64)
    size_a = np.searchsorted(sorted_first_a, last, side="right")
    values = (inter / np.maximum(size_a + size_b - inter, 1)).tolist()
    for i in np.flatnonzero(last < 0).tolist():  # a cut lead shorter than one shingle
        values[i] = lead_jaccard(a, others[i])
    return values


@functools.lru_cache(maxsize=4096)
def _coded(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct shingles of ``text`` as sorted integer codes, and where each first
    appears (cached: popular candidates come back placement after placement)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)
    codes = points[:-2] << 42 | points[1:-1] << 21 | points[2:]
    return np.unique(codes, return_index=True)  # sorted codes, first position of each


def names_differ(a: str, b: str, cut: bool = False) -> bool:
    """Whether one lead replaces a name of the other with another name.

    Template news ("X 完成 N 万美元融资，由 Y 领投") is told of many companies: the
    sentences agree except for a replaced span. A replaced span with a Latin letter, or of
    two or more characters on both sides, is a different name; a one-character edit, an
    inserted or dropped word, and (when a lead was cut) a replaced tail are not.
    """
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "replace" or (cut and i2 == len(a) and j2 == len(b)):
            continue
        left, right = a[i1:i2], b[j1:j2]
        if _LATIN.search(left + right) or min(len(left), len(right)) >= 2:
            return True
    return False


def similarities(a: bytes, others: list[bytes]) -> list[float]:
    """``similarity(a, b)`` for every ``b`` of ``others``, in one numpy operation (a
    placement verifies up to 200 candidates: one call each was a tenth of a crawl)."""
    if not others:
        return []
    stacked = np.frombuffer(b"".join(others), dtype="<u4").reshape(len(others), -1)
    return [float(v) for v in np.mean(stacked == hashvalues(a), axis=1)]
