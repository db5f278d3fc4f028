"""crawler.sites.canonical_url: one spelling per page, whatever alias a link used."""

from __future__ import annotations

import pytest

from crawler.sites import article_id, canonical_url

EIGHTBTC = "https://www.8btc.com/article/6807648"
FORESIGHT = "https://foresightnews.pro/article/detail/26503"


@pytest.mark.parametrize("alias", [
    "http://www.8btc.com/article/6807648",
    "https://m.8btc.com/article/6807648?utm_source=foresight",
    "https://8btc.com/article/6807648/",
    "https://www.8btc.com/media/6807648#comments",
    "https://WWW.8btc.com./article/6807648.html",
    "https://www.8btc.com/article/6807648?from=timeline&spm=a.b",
])
def test_8btc_aliases(alias):
    assert canonical_url(alias) == EIGHTBTC
    assert article_id(alias) == "6807648"


@pytest.mark.parametrize("alias", [
    "http://foresightnews.pro/article/detail/26503",
    "https://www.foresightnews.pro/article/detail/26503/",
    "https://a.foresightnews.pro/article/detail/26503",
    "https://d.foresightnews.pro/foresightnews/article/detail/26503?utm_medium=x",
    "https://s.foresightnews.pro/article/detail/26503#top",
])
def test_foresight_aliases(alias):
    assert canonical_url(alias) == FORESIGHT


def test_flash_and_article_ids_stay_apart():
    assert canonical_url("https://s.foresightnews.pro/foresightnews/news/detail/9") == (
        "https://foresightnews.pro/news/detail/9")


def test_other_pages_of_a_site_lose_alias_host_tracking_and_trailing_slash():
    assert canonical_url("https://m.8btc.com/news/?cat_id=6&utm_source=x#a") == (
        "https://www.8btc.com/news?cat_id=6")
    assert canonical_url("https://api.foresightnews.pro/v1/articles?column_id=1") == (
        "https://api.foresightnews.pro/v1/articles?column_id=1")


def test_other_hosts_keep_their_port_and_real_parameters():
    assert canonical_url("http://Example.com:8080/a/?id=3&utm_campaign=z#f") == (
        "http://example.com:8080/a?id=3")


def test_declared_canonical_wins_only_within_the_same_site():
    assert canonical_url(EIGHTBTC, declared="https://m.8btc.com/article/1") == (
        "https://www.8btc.com/article/1")
    assert canonical_url(EIGHTBTC, declared=FORESIGHT) == EIGHTBTC
    assert canonical_url(EIGHTBTC, declared="  ") == EIGHTBTC
