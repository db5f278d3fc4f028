"""The search form of a text: what the full-text index stores and what a query becomes.

Three steps, the same for stored text and for queries, so that they always meet:

1. NFKC: full-width ``ＮＦＴ`` becomes ``NFT``, compatibility forms fold.
2. Traditional to Simplified with OpenCC's ``t2s`` (phrase-aware: 乾隆 stays, 乾淨 becomes
   干净). Chosen over zhconv by measurement (bench/search.py, docs/benchmarks.md).
3. The *index form*: a zero-width space (U+200B) between two adjacent CJK characters and
   between a CJK character and a letter or digit. FTS5's ``unicode61`` tokenizer treats
   U+200B as a separator, so every CJK character is one token, and a query word of any
   length is a phrase of single characters: 币, 减半 and 英伟达 are found exactly where a
   substring scan finds them. Latin words stay whole tokens (case-folded by unicode61).

Pure functions: no database, no clock.
"""

from __future__ import annotations

import functools
import re
import unicodedata

SEP = "\u200b"
"""The separator inserted between CJK characters; invisible, stripped for display."""

_CJK = ("\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf"
        "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f")
_WORD = r"[^\W_]"
_SPLIT_AT = re.compile(
    rf"(?<=[{_CJK}])(?={_WORD})|(?<={_WORD})(?=[{_CJK}])")
_HAS_TOKEN = re.compile(_WORD)
_ENDS_LATIN = re.compile(rf"(?![{_CJK}]){_WORD}$")


class QueryError(ValueError):
    """A search query that has nothing to search for; the message says why."""


@functools.cache
def _converter():  # pragma: no cover - trivial
    import opencc

    return opencc.OpenCC("t2s")


def to_search_form(text: str | None) -> str:
    """NFKC, then Traditional folded to Simplified. None becomes ''."""
    if not text:
        return ""
    return _converter().convert(unicodedata.normalize("NFKC", text))


def to_index_form(text: str | None) -> str:
    """The search form with U+200B between CJK characters: what the FTS5 index stores."""
    return _SPLIT_AT.sub(SEP, to_search_form(text))


def to_display(text: str | None) -> str | None:
    """An index-form text (a snippet) as people read it: the separators removed."""
    return None if text is None else text.replace(SEP, "")


def to_match_query(query: str, *, prefix_latin: bool = True) -> str:
    """A user's query as an FTS5 MATCH expression: every word must occur.

    Words are separated by whitespace; each becomes one quoted phrase of its index
    form (so FTS5 operators in the input are plain text, never syntax). A word ending
    in a Latin letter or digit matches as a prefix (NFT finds NFTs) when
    ``prefix_latin``. Raises QueryError when no word has a letter, digit or CJK character.
    """
    phrases = []
    for word in query.split():
        form = to_index_form(word)
        if not _HAS_TOKEN.search(form):
            continue
        tokens = _tokens(form)
        star = "*" if prefix_latin and _ENDS_LATIN.search(tokens[-1]) else ""
        phrases.append(f'"{" ".join(tokens)}"{star}')
    if not phrases:
        raise QueryError(f"nothing to search for in {query!r}: "
                         "give a word with letters, digits or Chinese characters")
    return " AND ".join(phrases)


def _tokens(form: str) -> list[str]:
    """The index form split the way unicode61 will split it (quotes dropped)."""
    return [t for t in re.split(rf"[{SEP}\W_]+", form) if t]
