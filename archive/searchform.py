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

A query word becomes a :class:`Phrase` (its tokens), which gives both the FTS5 MATCH
expression and, for ranking, a regex that finds the phrase's instances in an index-form
text the way FTS5 counts them (:func:`instance_pattern`).

Pure functions: no database, no clock.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

SEP = "\u200b"
"""The separator inserted between CJK characters; invisible, stripped for display."""

_CJK = ("\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf"
        "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f")
_WORD = r"[^\W_]"
_SPLIT_AT = re.compile(
    rf"(?<=[{_CJK}])(?={_WORD})|(?<={_WORD})(?=[{_CJK}])")
_HAS_TOKEN = re.compile(_WORD)
_ENDS_LATIN = re.compile(rf"(?![{_CJK}]){_WORD}$")


MAX_QUERY_CHARS = 50_000
MAX_QUERY_WORDS = 32
"""Different words one query may hold (each is one more FTS5 condition and ranking pass)."""


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Phrase:
    """One query word as the index sees it."""

    tokens: tuple[str, ...]
    """Its tokens in order, as unicode61 splits its index form (case not folded)."""
    prefix: bool
    """True when the last token matches as a prefix (a word ending in a Latin letter)."""

    @property
    def match(self) -> str:
        """The FTS5 phrase: quoted (operators in the input stay text), ``*`` for a prefix."""
        return f'"{" ".join(self.tokens)}"{"*" if self.prefix else ""}'


def to_phrases(query: str, *, prefix_latin: bool = True) -> list[Phrase]:
    """A user's query as phrases, one per whitespace-separated word, all to occur.

    A word ending in a Latin letter or digit matches as a prefix (NFT finds NFTs) when
    ``prefix_latin``. A repeated word counts once. Raises QueryError when no word has a
    letter, digit or CJK character, or the query is over MAX_QUERY_CHARS characters or
    MAX_QUERY_WORDS different words.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query has {len(query):,} characters; at most "
                         f"{MAX_QUERY_CHARS:,} are searched")
    phrases: dict[str, Phrase] = {}  # a word said twice is one condition, not two
    for word in query.split():
        form = to_index_form(word)
        if not _HAS_TOKEN.search(form):
            continue
        tokens = _tokens(form)
        phrase = Phrase(tokens=tuple(tokens),
                        prefix=prefix_latin and bool(_ENDS_LATIN.search(tokens[-1])))
        phrases.setdefault(phrase.match, phrase)
        if len(phrases) > MAX_QUERY_WORDS:
            raise QueryError(f"the query has more than {MAX_QUERY_WORDS} different words; "
                             "search with fewer")
    if not phrases:
        shown = query if len(query) <= 60 else query[:60] + "..."
        raise QueryError(f"nothing to search for in {shown!r}: "
                         "give a word with letters, digits or Chinese characters")
    return list(phrases.values())


def to_match_query(query: str, *, prefix_latin: bool = True) -> str:
    """A user's query as an FTS5 MATCH expression: every word must occur (:func:`to_phrases`)."""
    return " AND ".join(p.match for p in to_phrases(query, prefix_latin=prefix_latin))


def _tokens(form: str) -> list[str]:
    """The index form split the way unicode61 will split it (quotes dropped)."""
    return [t for t in re.split(rf"[{SEP}\W_]+", form) if t]


_GAP = r"[\W_]+"      # what lies between two consecutive tokens: separators only
_NOT_BEFORE = r"(?<![^\W_])"
_NOT_AFTER = r"(?![^\W_])"


def instance_pattern(phrase: Phrase) -> re.Pattern[str]:
    """A regex whose matches in an index-form text are the phrase's instances, as FTS5
    counts them for bm25: its tokens in order with only separators between (a comma
    inside 比特,币 does not stop a match), a Latin token whole or, for the prefix, as
    the start of a token, case and Latin diacritics folded as unicode61 folds them.
    ``len(pattern.findall(text))`` is the count, overlapping instances included.
    """
    parts = []
    for i, token in enumerate(phrase.tokens):
        if len(token) == 1 and _IS_CJK.match(token):
            parts.append(re.escape(token))     # a CJK character is always a token of its own
            continue
        body = "".join(_folded_class(c) for c in token)
        last = i == len(phrase.tokens) - 1
        parts.append(_NOT_BEFORE + body + (r"[^\W_]*" if last and phrase.prefix else _NOT_AFTER))
    body = _GAP.join(parts)
    if _may_overlap(phrase.tokens):
        body = f"(?=({body}))"                # every start, so 哈哈 is twice in 哈哈哈
    latin = any(not _IS_CJK.match(t) for t in phrase.tokens)
    return re.compile(body, re.IGNORECASE if latin else 0)


_IS_CJK = re.compile(f"[{_CJK}]")


def _may_overlap(tokens: tuple[str, ...]) -> bool:
    """Whether two instances of the phrase can overlap: its first token recurs in it."""
    first = tokens[0].casefold()
    return any(t.casefold().startswith(first) or first.startswith(t.casefold())
               for t in tokens[1:])


def _folded_class(char: str) -> str:
    """A regex for one query character: itself and the Latin letters it folds from."""
    base = _strip_accents(char).lower()
    variants = _accented().get(base)
    return f"[{re.escape(base)}{variants}]" if variants else re.escape(char)


def _strip_accents(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[:1]
    return base if base.isascii() else char


@functools.cache
def _accented() -> dict[str, str]:
    """Base Latin letter -> its accented forms (Latin-1 to Latin Extended Additional)."""
    out: dict[str, str] = {}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        base = _strip_accents(char)
        if base != char and base.isalpha():
            out[base.lower()] = out.get(base.lower(), "") + re.escape(char)
    return out
