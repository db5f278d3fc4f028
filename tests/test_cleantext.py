"""crawler.parsers.cleantext: the storage form of a text."""

from __future__ import annotations

import pytest

from crawler.parsers.cleantext import normalize_text


@pytest.mark.parametrize("raw, stored", [
    ("a\u00a0\u00a0 b", "a b"),                       # &nbsp; runs
    ("\u3000\u3000段落开头", "段落开头"),              # ideographic indent
    ("零\u200b宽\u200d字\ufeff符", "零宽字符"),         # zero-width
    ("a\x00b\x1fc\x7fd\x85e", "abcd\ne"),              # controls; NEL is a newline
    ("bi\u202edi", "bidi"),
    ("ＯＫＸ 上线 ＢＴＣ，涨幅 ２０％", "OKX 上线 BTC，涨幅 20%"),
    ("深度｜标题（一）：是吗？", "深度｜标题（一）：是吗？"),  # Chinese punctuation stays
    ("第一段\r\n\r\n\r\n第二段\r第三段", "第一段\n第二段\n第三段"),
    ("  首\t尾  \n\n  ", "首 尾"),
    ("e\u0301", "\u00e9"),
    ("", ""),
])
def test_normalize_text(raw, stored):
    assert normalize_text(raw) == stored


def test_none_stays_none():
    assert normalize_text(None) is None


def test_idempotent():
    text = "ＯＫＸ\u00a0宣布\r\n\r\n\u200b第二段"
    assert normalize_text(normalize_text(text)) == normalize_text(text)
