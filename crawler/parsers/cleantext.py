"""Text normalisation for storage: what a reader of the archive expects a text to look like.

One function, :func:`normalize_text`: NFC; control, zero-width and bidi-override characters
removed; full-width letters, digits and a few symbols (``ＯＫＸ``, ``２０２３``, ``％``) to ASCII
(full-width punctuation ``，。：；！？（）｜`` stays: it is how Chinese is written); every run of
whitespace (``&nbsp;``, U+3000, tabs) to one space within a line; CRLF/CR to ``\\n``; blank
lines dropped, so paragraphs are separated by exactly one ``\\n``. The original stays
recoverable from the capture (its body hash); a search form (NFKC, Traditional folding) is
not this module's business.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u2064\u2066-\u2069\ufeff]")
"""C0/C1 controls (not tab, newline, CR), soft hyphen, zero-width and bidi controls."""
_TO_ASCII = "０１２３４５６７８９％＋＝＠＃＄＆" + "".join(
    chr(c) for r in ((0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r))
_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in _TO_ASCII}
"""Full-width digits, Latin letters and symbols with no Chinese typographic role."""
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")


def normalize_text(value: str | None) -> str | None:
    """``value`` in storage form (see the module doc); None stays None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", _NEWLINES.sub("\n", value))
    text = _INVISIBLE.sub("", text).translate(_FULL_WIDTH)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
