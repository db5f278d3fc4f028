"""How counts read in the commands' English output: "1 appearance", "2 appearances"."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """``count`` and ``word``, in the plural (``words``, default word + s) unless it is 1."""
    return f"{count} {word if count == 1 else words or word + 's'}"
