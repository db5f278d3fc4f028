"""crawler.settings: the safety and politeness decisions of reference/reliability.md hold."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings

from crawler import settings as module


def load() -> Settings:
    s = Settings()
    s.setmodule(module, priority="project")
    return s


def test_dangerous_handlers_are_off_and_http_goes_through_the_host_map():
    handlers = load().getdict("DOWNLOAD_HANDLERS")
    assert all(handlers[scheme] is None for scheme in ("file", "data", "ftp", "s3"))
    assert handlers["http"] == handlers["https"] == "crawler.hostmap.HostMapDownloadHandler"


def test_remote_code_surfaces_are_off():
    s = load()
    assert not s.getbool("TELNETCONSOLE_ENABLED")
    assert not s.getbool("REMOTE_CONTROL_ENABLED")


def test_polite_and_bounded():
    s = load()
    assert s.getbool("ROBOTSTXT_OBEY") and s.getbool("AUTOTHROTTLE_ENABLED")
    assert "newsarchive" in s.get("USER_AGENT")
    assert 0 < s.getint("DOWNLOAD_MAXSIZE") <= 32 * 1024 * 1024
    assert 0 < s.getint("DOWNLOAD_TIMEOUT") <= 60
    assert 0 < s.getint("REDIRECT_MAX_TIMES") <= 10


def test_cookies_off_so_no_public_suffix_download():
    # Scrapy's cookie middleware asks tldextract, which fetches a list from the network.
    assert not load().getbool("COOKIES_ENABLED")


def test_every_setting_is_assigned_once():
    """A second assignment silently replaces the first (a merge once dropped three
    downloader middlewares that way): each name is set in one place."""
    import ast
    from collections import Counter

    import crawler.settings

    tree = ast.parse(Path(crawler.settings.__file__).read_text(encoding="utf-8"))
    names = Counter(target.id for node in tree.body
                    for target in getattr(node, "targets", [getattr(node, "target", None)])
                    if isinstance(target, ast.Name))
    assert [name for name, n in names.items() if n > 1] == []


def test_few_item_workers_per_response():
    # Scrapy starts CONCURRENT_ITEMS asyncio tasks per callback output; ours are synchronous.
    from crawler import settings

    assert 1 <= settings.CONCURRENT_ITEMS <= 21


def test_certificates_are_verified_on_the_live_sites():
    # Scrapy's default is False; the archive is evidence, so a forged server is a failure.
    s = load()
    assert s.getbool("DOWNLOAD_VERIFY_CERTIFICATES")
    assert s.get("DOWNLOAD_TLS_MIN_VERSION") == "TLSv1.2"
