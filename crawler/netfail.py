"""Name a failed fetch for what it is: connection refused, DNS, timeout, TLS, other network.

An operator reading ``every fetch failed (connection_refused 4)`` knows to check the
address; ``dns 4`` the host name; ``tls 4`` the certificates; ``timeout 4`` the network
or the server's load. The classifier reads the exception's class names (Scrapy's and
Twisted's, so no import of either is needed) and, for TLS, the message OpenSSL wrote.
"""

from __future__ import annotations

NETWORK_KINDS = ("connection_refused", "dns", "timeout", "tls", "network")
"""The error_kind of a fetch that got no response, most specific first; ``network`` is any
other transport failure (connection reset, lost, unsupported scheme...)."""

_BY_CLASS = {
    "DownloadConnectionRefusedError": "connection_refused",
    "ConnectionRefusedError": "connection_refused",
    "CannotResolveHostError": "dns",
    "DNSLookupError": "dns",
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "SSLError": "tls",
    "CertificateError": "tls",
}
_TLS_WORDS = ("openssl.ssl.error", "certificate verify failed", "ssl routines",
              "tlsv1 alert", "wrong version number")


def network_kind(exc: BaseException | type[BaseException], message: str = "") -> str:
    """The error_kind of a transport failure: one of NETWORK_KINDS."""
    cls = exc if isinstance(exc, type) else type(exc)
    text = (message or ("" if isinstance(exc, type) else str(exc))).lower()
    if any(words in text for words in _TLS_WORDS):
        return "tls"
    for klass in cls.__mro__:
        if klass.__name__ in _BY_CLASS:
            return _BY_CLASS[klass.__name__]
    if "could not resolve" in text or "dns lookup failed" in text:
        return "dns"
    if "connection was refused" in text:
        return "connection_refused"
    return "network"
