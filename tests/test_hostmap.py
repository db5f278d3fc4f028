"""crawler.hostmap: real URLs map onto the mirror; other hosts are refused while mirroring."""

from __future__ import annotations

from crawler.hostmap import to_mirror_url
from crawler.sites import MIRRORED_HOSTS

HOSTS = frozenset(MIRRORED_HOSTS)


def test_path_and_query_are_kept_under_the_host_prefix():
    got = to_mirror_url("https://api.foresightnews.pro/v1/articles?column_id=1&page=2",
                        "http://127.0.0.1:8123", HOSTS)
    assert got == "http://127.0.0.1:8123/api.foresightnews.pro/v1/articles?column_id=1&page=2"


def test_fragment_is_dropped_and_root_gets_a_slash():
    assert to_mirror_url("https://www.8btc.com#top", "http://127.0.0.1:1/", HOSTS) == (
        "http://127.0.0.1:1/www.8btc.com/")


def test_host_is_lowercased():
    assert to_mirror_url("https://WWW.8BTC.COM/article/1", "http://127.0.0.1:1", HOSTS) == (
        "http://127.0.0.1:1/www.8btc.com/article/1")


def test_unmirrored_host_is_none():
    assert to_mirror_url("https://twitter.com/8BTC_OFFICIAL", "http://127.0.0.1:1", HOSTS) is None
    assert to_mirror_url("https://evil.8btc.com.example/x", "http://127.0.0.1:1", HOSTS) is None
