"""Whether two leads tell one story: shingle Jaccard, the same figures, the same names.

Pure functions on compact leads (archive.signature.lead_of). A lead is the first sentences
of a text's content (after learned boilerplate is dropped, archive.story_keys). Reprints,
digest items that summarise an article and lightly edited copies share it; template news
told of another company shares it except for a replaced name (``names_differ``), and
flashes told with another figure except for the figure (``same_lead_figures``).
"""

from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher

SHINGLE = 3
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[a-z]")


def figures(lead_text: str) -> tuple[str, ...]:
    """The figures of a lead, in order."""
    return tuple(_NUMBER.findall(lead_text))


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


def shingle_set(text: str) -> frozenset[str]:
    """The distinct character shingles of ``text`` (cached: candidates come back)."""
    return _grams(text)


@functools.lru_cache(maxsize=8192)
def _grams(text: str) -> frozenset[str]:
    """``shingles(text)`` as str (same Jaccard values, no encoding), cached."""
    if len(text) <= SHINGLE:
        return frozenset((text,))
    return frozenset(text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1))


def names_differ(a: str, b: str, cut: bool = False) -> bool:
    """Whether one lead replaces a name of the other with another name.

    Template news ("X 完成 N 万美元融资，由 Y 领投") is told of many companies: the
    sentences agree except for a replaced span. A replaced span with a Latin letter, or of
    two or more characters on both sides, is a different name; a one-character edit, an
    inserted or dropped word, and (when a lead was cut) a replaced tail are not. Edits
    one agreeing character apart are one span (跨链桥 / 链上衍生品 agree only on 链).
    """
    for i1, i2, j1, j2 in _spans(a, b):
        if cut and i2 == len(a) and j2 == len(b):
            continue
        left, right = a[i1:i2], b[j1:j2]
        if not left or not right:
            continue
        if _LATIN.search(left + right) or min(len(left), len(right)) >= 2:
            return True
    return False


def _spans(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The differing spans of two strings, edits at most one agreeing character apart
    merged into one span."""
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= 1 and j1 - spans[-1][3] <= 1:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    return [(s[0], s[1], s[2], s[3]) for s in spans]
