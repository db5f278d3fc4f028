"""What a story looks like to the deduplicator: normalised text, its hash, its MinHash.

Pure functions (no database, no crawler). A news text is compared by its **lead**: the
first ``WINDOW`` characters of its normalised text, cut into character shingles (Chinese
has no spaces to split words on). Reprints, retellings at another outlet and digest items
that summarise an article all share the lead; they differ in headlines, commentary and
chrome, which the window leaves out. Normalising drops what every story of a source
shares (lead-ins such as ``Foresight News 消息，``, dated openings, disclaimer lines),
so that two different stories with the same boilerplate do not look alike.

The numbers of the lead travel beside the signature: two short flash items that differ
only in a figure are different stories even though nearly all their shingles agree
(see ``archive.stories.same_figures``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
"""Permutations per signature: 256 bytes stored per row."""
SHINGLE = 3
"""Characters per shingle."""
WINDOW = 48
"""Characters of normalised lead text that are signed (the head of the lead: a digest
item or a retelling repeats the first sentence, not the whole paragraph)."""
SHORT = 24
"""A text shorter than this is signed with its headline in front."""

_BOILERPLATE_LINE = re.compile(
    r"^(风险提示|免责声明|声明[：:]|原文[：:]|作者[：:]|撰文[：:]|编译[：:]|来源[：:]|"
    r"图片来源|责任编辑|本文由|本文来自|关注我们|扫码|.{0,12}(微信|微博|电报|Telegram|Twitter)[：:])",
    re.I)
_LEAD_IN = re.compile(
    r"^(?:(?:foresight\s*news|巴比特|odaily星球日报|金色财经|[^，,。]{0,12}讯)\s*(?:消息|讯|报道)?[，,:：]"
    r"|据[^，,。]{1,16}?(?:\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*(?:报道|消息)[，,]"
    r"|(?:当地时间\s*)?(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日(?:晚间|早间|凌晨|消息)?\s*[，,]"
    r"|近日[，,]|今日[，,]|日前[，,])\s*", re.I)
_DROP = re.compile(r"[\s\u3000\W_]+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PROTOTYPE = MinHash(num_perm=NUM_PERM, seed=1)
"""Built once: every signature shares its permutations (and is comparable across runs)."""


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
    """True when the text was longer than the window (its last figure may be cut)."""


def normalize_text(text: str) -> str:
    """NFKC, lowercase, boilerplate lines and lead-ins dropped, lines joined by newlines."""
    lines = []
    for line in unicodedata.normalize("NFKC", text or "").lower().splitlines():
        line = line.strip()
        if not line or _BOILERPLATE_LINE.match(line):
            continue
        while (m := _LEAD_IN.match(line)) and m.end() < len(line):
            line = line[m.end():]
        lines.append(line)
    return "\n".join(lines)


def text_sha256(text: str) -> str:
    """sha256 of the normalised text, lowercase hex."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def lead(text: str, headline: str | None = None) -> tuple[str, bool]:
    """The signed part of a text: its normalised lead without spaces or punctuation.

    Numbers keep their decimal point (``2.5``) but lose thousands separators.
    """
    body = normalize_text(text)
    if len(_DROP.sub("", body)) < SHORT and headline:
        body = normalize_text(headline) + "\n" + body
    body = re.sub(r"(?<=\d),(?=\d{3})", "", body)
    compact = re.sub(r"(?<=\d)\.(?=\d)", "\0", body)
    compact = _DROP.sub("", compact).replace("\0", ".")
    return compact[:WINDOW], len(compact) > WINDOW


def shingles(text: str) -> set[bytes]:
    """Character shingles of ``text`` (the whole text when shorter than one shingle)."""
    if len(text) <= SHINGLE:
        return {text.encode("utf-8")}
    return {text[i:i + SHINGLE].encode("utf-8") for i in range(len(text) - SHINGLE + 1)}


def sign(text: str, headline: str | None = None) -> Signature:
    """The signature of an article's or digest item's text."""
    window, truncated = lead(text, headline)
    mh = MinHash(num_perm=NUM_PERM, permutations=_PROTOTYPE.permutations,
                 scheme=_PROTOTYPE.scheme)
    mh.update_batch(list(shingles(window)))
    return Signature(
        text_sha256=text_sha256(text),
        minhash=mh.digest().astype("<u4").tobytes(),
        numbers=tuple(_NUMBER.findall(window)),
        truncated=truncated,
    )


def hashvalues(minhash: bytes) -> np.ndarray:
    """A stored signature as its uint32 array."""
    return np.frombuffer(minhash, dtype="<u4")


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures."""
    return float(np.mean(hashvalues(a) == hashvalues(b)))


def similarities(a: bytes, others: list[bytes]) -> list[float]:
    """``similarity(a, b)`` for every ``b`` of ``others``, in one numpy operation (a
    placement verifies up to 200 candidates: one call each was a tenth of a crawl)."""
    if not others:
        return []
    stacked = np.frombuffer(b"".join(others), dtype="<u4").reshape(len(others), -1)
    return [float(v) for v in np.mean(stacked == hashvalues(a), axis=1)]
