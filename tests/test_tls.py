"""Catalogue 17, TLS policy: certificates are verified, so an untrusted server is a failure.

The mirror is served over HTTPS with a self-signed certificate made at test time
(``openssl req``); a crawl with the project's settings must refuse it and record a
``tls`` capture, and the same crawl with verification switched off reads the page: the
setting, not something else, is what refuses.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from crawler.mirror.routes import Mirror
from crawler.mirror.server import MirrorHandle, MirrorServer
from tests.fault_support import captures_by_url, crawl_urls

pytestmark = pytest.mark.crawl
NO_ROBOTS = ("ROBOTSTXT_OBEY=False",)
"""robots.txt over the same TLS fails too (and means disallow): the page itself is tested."""


@pytest.fixture(scope="module")
def tls_mirror(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=www.8btc.com", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = MirrorServer(("127.0.0.1", 0), Mirror(1, 5))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with MirrorHandle(server) as handle:
        art = next(e for e in handle.app.catalogue.articles if e.site == "8btc" and not e.deleted)
        yield handle.url.replace("http://", "https://"), f"https://www.8btc.com/article/{art.id}"


def test_an_untrusted_certificate_is_a_recorded_tls_failure(tls_mirror, tmp_path):
    mirror, url = tls_mirror
    db = tmp_path / "a.db"
    result = crawl_urls(mirror, db, [url], *NO_ROBOTS)
    assert result.returncode == 0, result.stderr[-2000:]
    row = captures_by_url(db)[url]
    assert row["error_kind"] == "tls" and row["page_kind"] != "article", row
    assert "certificate" in row["error"].lower()


def test_the_same_page_reads_without_verification(tls_mirror, tmp_path):
    mirror, url = tls_mirror
    db = tmp_path / "a.db"
    result = crawl_urls(mirror, db, [url], *NO_ROBOTS, "DOWNLOAD_VERIFY_CERTIFICATES=False")
    assert result.returncode == 0, result.stderr[-2000:]
    row = captures_by_url(db)[url]
    assert row["error_kind"] is None and row["page_kind"] == "article", row
