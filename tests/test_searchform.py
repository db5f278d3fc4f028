"""archive.searchform: the folded, segmented form both the index and queries go through."""

from __future__ import annotations

import pytest

from archive.searchform import (
    SEP,
    QueryError,
    instance_pattern,
    to_display,
    to_index_form,
    to_match_query,
    to_phrases,
    to_search_form,
)


@pytest.mark.parametrize(("text", "folded"), [
    ("比特幣減半", "比特币减半"),
    ("蘋果公司", "苹果公司"),
    ("ＮＦＴ　市場", "NFT 市场"),
    ("乾隆", "乾隆"),          # a name OpenCC's phrase table keeps
    ("乾淨", "干净"),
    ("比特币减半", "比特币减半"),  # Simplified text is left alone
])
def test_search_form_folds_width_and_traditional(text, folded):
    assert to_search_form(text) == folded


def test_index_form_separates_cjk_characters_only():
    form = to_index_form("微软将ChatGPT整合 3 月")
    assert form == f"微{SEP}软{SEP}将{SEP}ChatGPT{SEP}整{SEP}合 3 月"
    assert to_display(form) == "微软将ChatGPT整合 3 月"


def test_none_and_empty():
    assert to_index_form(None) == ""
    assert to_display(None) is None


def test_match_query_quotes_every_word():
    assert to_match_query("減半 NFT") == '"减 半" AND "NFT"*'
    assert to_match_query("减半", prefix_latin=False) == '"减 半"'


def test_fts_syntax_in_a_query_is_plain_text():
    assert to_match_query('a" OR NEAR(b') == '"a"* AND "OR"* AND "NEAR b"*'


@pytest.mark.parametrize("query", ["", "   ", '"*', "— ！"])
def test_a_query_without_words_is_refused(query):
    with pytest.raises(QueryError, match="nothing to search for"):
        to_match_query(query)


@pytest.mark.parametrize(("query", "text", "count"), [
    ("比特币", "比特币，比特，币。比特 币 比特", 3),
    ("哈哈", "哈哈哈", 2),
    ("nft", "NFTs 与 nft、snft 和 NFT市场", 3),
    ("cafe", "Café cafe cafés", 3),
    ("監管", "监管监管", 2),
    ("a b", "a b ab a_b", 2),
])
def test_instances_are_counted_as_fts5_counts_them(query, text, count):
    """Tokens in order with separators between, Latin whole or as a prefix, folded."""
    (phrase,) = to_phrases(query.replace(" ", "_"))
    assert len(instance_pattern(phrase).findall(to_index_form(text))) == count
