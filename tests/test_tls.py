"""Catalogue 17, TLS policy: certificates are verified, so an untrusted server is a failure.

The mirror is served over HTTPS with a certificate that trustme (a PyPI test tool) makes
at test time from a certificate authority no one trusts; a crawl with the project's
settings must refuse it and record a ``tls`` capture, and the same crawl with
verification switched off reads the page: the setting, not something else, is what refuses.
"""

from __future__ import annotations

import ssl

import pytest
import trustme

from mirror.routes import Mirror
from mirror.server import MirrorHandle, MirrorServer
from tests.fault_support import captures_by_url, crawl_urls

pytestmark = pytest.mark.crawl
NO_ROBOTS = ("ROBOTSTXT_OBEY=False",)
"""robots.txt over the same TLS fails too (and means disallow): the page itself is tested."""


def serve_tls(*names: str):
    """The mirror over TLS with a certificate for ``names`` from an authority no one trusts."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    trustme.CA().issue_cert(*names).configure_cert(context)
    server = MirrorServer(("127.0.0.1", 0), Mirror(1, 5))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with MirrorHandle(server) as handle:
        art = next(e for e in handle.app.catalogue.articles if e.site == "8btc" and not e.deleted)
        yield handle.url.replace("http://", "https://"), f"https://www.8btc.com/article/{art.id}"


@pytest.fixture(scope="module")
def tls_mirror():
    """The names match (the mirror is reached at 127.0.0.1): only the authority is unknown."""
    yield from serve_tls("www.8btc.com", "127.0.0.1")


def test_an_untrusted_certificate_is_a_recorded_tls_failure(tls_mirror, tmp_path):
    mirror, url = tls_mirror
    db = tmp_path / "a.db"
    result = crawl_urls(mirror, db, [url], *NO_ROBOTS)
    assert result.returncode == 0, result.stderr[-2000:]
    row = captures_by_url(db)[url]
    assert row["error_kind"] == "tls" and row["page_kind"] != "article", row["error"]
    assert "certificate" in row["error"].lower()


def test_the_same_page_reads_without_verification(tls_mirror, tmp_path):
    mirror, url = tls_mirror
    db = tmp_path / "a.db"
    result = crawl_urls(mirror, db, [url], *NO_ROBOTS, "DOWNLOAD_VERIFY_CERTIFICATES=False")
    assert result.returncode == 0, result.stderr[-2000:]
    row = captures_by_url(db)[url]
    assert row["error_kind"] is None and row["page_kind"] == "article", row
