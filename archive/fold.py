"""Fold a news text before it is signed: one spelling for what is written several ways.

Pure functions (no database). Four folds, in order:

1. NFKC: full-width digits, Latin letters and punctuation become their ASCII forms
   (``ＢＴＣ １２３`` -> ``BTC 123``), so a copy typed in full-width forms signs alike.
2. Traditional to Simplified Chinese with OpenCC's phrase-aware ``t2s`` tables (already a
   dependency for search, archive/searchform.py), so a Traditional-script copy of a
   Simplified article signs as the article.
3. Lowercase.
4. Aliases: names written both ways (百度/Baidu, 英伟达/Nvidia, 比特币/BTC) become one
   spelling, from the table ``archive/data/aliases.tsv`` (data, not code: add a line there).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

ALIASES = "aliases.tsv"


@functools.cache
def _t2s():
    import opencc  # loaded on first use: the crawl process never folds

    return opencc.OpenCC("t2s")


@functools.cache
def alias_table() -> dict[str, str]:
    """{spelling: canonical spelling} from ``archive/data/aliases.tsv``."""
    text = resources.files("archive").joinpath("data", ALIASES).read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, *others = (cell.strip().lower() for cell in line.split("\t"))
        for spelling in others:
            if spelling and spelling != canonical:
                table[spelling] = canonical
    return table


@functools.cache
def canonical_names() -> frozenset[str]:
    """Every canonical spelling of the alias table (the names ``archive.facts`` knows)."""
    return frozenset(alias_table().values())


@functools.cache
def _alias_pattern() -> re.Pattern[str]:
    """One pattern for every spelling: the Latin ones under a single word-boundary check
    (one alternation per spelling with its own lookarounds made folding a fifth of the
    writer's signing time), the CJK ones after."""
    spellings = sorted(alias_table(), key=len, reverse=True)
    latin = "|".join(re.escape(s) for s in spellings if s.isascii())
    cjk = "|".join(_cjk_pattern(s) for s in spellings if not s.isascii())
    return re.compile(rf"(?<![a-z0-9])(?:{latin})(?![a-z0-9])|{cjk}")


def _cjk_pattern(spelling: str) -> str:
    """A CJK spelling, not where it begins a canonical name (阿里 is not replaced inside
    阿里巴巴 or 阿里云)."""
    longer = [c[len(spelling):] for c in canonical_names()
              if c.startswith(spelling) and c != spelling]
    if longer:
        return rf"{re.escape(spelling)}(?!{'|'.join(map(re.escape, longer))})"
    return re.escape(spelling)


def fold(text: str) -> str:
    """NFKC, Traditional to Simplified, lowercase, aliases to their canonical spelling."""
    text = unicodedata.normalize("NFKC", text or "")
    if not text.isascii():
        text = _t2s().convert(text)
    text = text.lower()
    table = alias_table()
    return _alias_pattern().sub(lambda m: table[m.group(0)], text)
