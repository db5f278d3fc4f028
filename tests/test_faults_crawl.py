"""Catalogue part A/B through a real crawl: every mirror fault mode, one `scrapy crawl urls`.

Each URL is one article of the mirror with a ``_fault`` switch. Asserted per mode: what the
catalogue (reference/reliability.md) says the crawler must do and record. The crawl itself
must finish, with no spider exception.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from mirror.faults import MODES, FaultPlan
from mirror.server import start_mirror
from tests.fault_support import captures_by_url, crawl_urls

pytestmark = pytest.mark.crawl

EXPECTED_ERROR = {
    "dead": "http_error", "gone": "not_found", "slow": "timeout", "cut": "data_loss",
    "bad_gzip": "truncated_html", "oversize": "too_large", "oversize_chunked": "too_large",
    "bomb_gzip": "too_large", "bomb_deflate": "too_large", "bomb_br": "too_large",
    "bomb_zstd": "too_large", "bomb_stacked": "too_large",
    "redirect_loop": "redirect_loop", "redirect_chain": "redirect_loop",
    "meta_refresh_loop": "redirect_loop",
    "redirect_file": "unsafe_scheme", "redirect_data": "unsafe_scheme",
    "redirect_ftp": "unsafe_scheme", "redirect_javascript": "unsafe_scheme",
    "redirect_loopback": "unsafe_host", "redirect_localhost": "unsafe_host",
    "redirect_metadata": "unsafe_host", "redirect_private": "unsafe_host",
    "redirect_ipv6": "unsafe_host", "redirect_decimal": "unsafe_host",
    "redirect_offsite": "unsafe_host", "mojibake": "bad_encoding",
    "truncated_html": "truncated_html", "empty": "missing_field", "whitespace": "missing_field",
    "bare_html": "missing_field", "soft404": "not_found", "script_shell": "blocked",
    "robots_5xx": "http_error", "hostile_long": "oversize_field",
}
STORED = ("flaky", "gbk_header", "gbk_meta", "gbk_none", "gbk_conflict", "gb18030_as_gb2312",
          "big5_header", "big5_conflict", "latin1_header", "hostile", "giant")
EITHER = ("malformed", "deep")
"""A result or a typed ParseError (catalogue 23, 27): recorded either way."""
ATTEMPTS = {"flaky": 3, "dead": 3, "gone": 1, "cut": 3, "slow": 3, "oversize": 1}


@pytest.fixture(scope="module")
def faulted(tmp_path_factory):
    plan = FaultPlan()
    db = tmp_path_factory.mktemp("faults") / "a.db"
    with start_mirror(scale=5, faults=plan) as mirror:
        art = next(e for e in mirror.app.catalogue.articles if e.site == "8btc" and not e.deleted)
        base = f"https://www.8btc.com/article/{art.id}?_fault="
        result = crawl_urls(mirror.url, db, [base + mode for mode in sorted(MODES)])
    assert result.returncode == 0, result.stderr[-3000:]
    return base, captures_by_url(db), plan, db, result.stderr, art


def test_every_mode_has_an_expectation():
    assert set(EXPECTED_ERROR) | set(STORED) | set(EITHER) == MODES


@pytest.mark.parametrize("mode", sorted(EXPECTED_ERROR))
def test_fault_is_recorded_with_its_kind(faulted, mode):
    base, captures = faulted[:2]
    assert captures[base + mode]["error_kind"] == EXPECTED_ERROR[mode]
    assert captures[base + mode]["page_kind"] != "article"


@pytest.mark.parametrize("mode", STORED)
def test_page_survives_the_fault_whole(faulted, mode):
    base, captures = faulted[:2]
    row = captures[base + mode]
    assert row["error_kind"] is None and row["page_kind"] == "article", row


@pytest.mark.parametrize("mode", EITHER)
def test_malformed_pages_give_a_result_or_a_reason(faulted, mode):
    row = faulted[1][faulted[0] + mode]
    assert row["page_kind"] == "article" or row["error_kind"]


@pytest.mark.parametrize(("mode", "attempts"), sorted(ATTEMPTS.items()))
def test_retries_as_scrapy_promises(faulted, mode, attempts):
    base, _, plan = faulted[:3]
    assert plan.hits[base + mode] == attempts


def test_no_spider_exception_and_every_url_recorded(faulted):
    base, captures, _, db, stderr, _ = faulted
    stats = json.loads(sqlite3.connect(db).execute("SELECT stats FROM runs").fetchone()[0])
    assert "spider_exceptions" not in json.dumps(stats)
    assert all(base + mode in captures for mode in MODES)
    assert stats["safety/refused/unsafe_host"] == 7


def test_nothing_but_the_site_was_fetched(faulted):
    # No hop to file:, data:, ftp: or an internal address ever produced a response.
    finals = {row["final_url"] for row in faulted[1].values()}
    assert finals and all(url.startswith("https://www.8btc.com/article/") for url in finals)


def test_stored_article_is_never_full_of_replacement_characters(faulted):
    rows = sqlite3.connect(faulted[3]).execute("SELECT title, text FROM articles").fetchall()
    assert rows and all("\ufffd" not in title + text for title, text in rows)


HOSTILE_CHARACTERS = ("\x1b", "\x07", "\r", "\u2028", "\u2029", "\u202e", "\u200b", "\x00")


def test_hostile_characters_are_stripped_for_storage(faulted):
    # catalogue 29: controls, ANSI escapes, bidi overrides, zero-width and line separators
    # never reach the archive; the words around them do; a title stays one line.
    base, _, _, db, _, art = faulted
    conn = sqlite3.connect(db)
    (title,) = conn.execute("SELECT v.title FROM article_versions v JOIN captures c "
                            "ON c.id = v.capture_id WHERE c.url = ?", [base + "hostile"]).fetchone()
    assert "forged log line" in title and art.title in title
    assert not [c for c in HOSTILE_CHARACTERS + ("\n",) if c in title]
    stored = conn.execute("SELECT title || text FROM articles UNION ALL "
                          "SELECT title || text FROM article_versions").fetchall()
    assert not [c for (value,) in stored for c in HOSTILE_CHARACTERS if c in value]


def test_a_one_megabyte_headline_is_refused_not_stored(faulted):
    base, captures, _, db, _, _ = faulted
    assert "title has 350" in captures[base + "hostile_long"]["error"]
    longest = sqlite3.connect(db).execute(
        "SELECT max(length(title)) FROM (SELECT title FROM articles UNION ALL "
        "SELECT title FROM article_versions)").fetchone()
    assert longest[0] < 1000
