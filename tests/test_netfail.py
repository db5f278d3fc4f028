"""Failures named for what they are (crawler.netfail): refused, DNS, timeout, TLS.

An unreachable host is not a robots.txt refusal: the run's message names the failure.
"""

from __future__ import annotations

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from twisted.internet import error as twisted_error

from crawler.netfail import network_kind
from tests.support import run_cli


@pytest.mark.parametrize(("exc", "kind"), [
    (DownloadConnectionRefusedError("Connection was refused by other side: 111"),
     "connection_refused"),
    (twisted_error.ConnectionRefusedError(), "connection_refused"),
    (CannotResolveHostError("no-such-host.invalid"), "dns"),
    (twisted_error.DNSLookupError("no-such-host.invalid"), "dns"),
    (DownloadTimeoutError("took longer than 180 seconds"), "timeout"),
    (twisted_error.TCPTimedOutError(), "timeout"),
    (Exception("[('SSL routines', '', 'certificate verify failed')]"), "tls"),
    (twisted_error.ConnectionLost(), "network"),
])
def test_each_failure_has_its_own_kind(exc, kind):
    assert network_kind(exc) == kind


@pytest.mark.crawl
@pytest.mark.parametrize(("target", "kind"), [
    ("http://127.0.0.1:1", "connection_refused"),
    ("http://no-such-host.invalid:8000", "dns"),
])
def test_an_unreachable_host_is_named_not_called_a_robots_refusal(tmp_path, target, kind):
    result = run_cli("crawl", "--db", str(tmp_path / "a.db"), "--mirror", target, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == f"error: the crawl read nothing: every fetch failed ({kind} 4)"
    assert "robots_disallowed" not in result.stderr and "Traceback" not in result.stderr
