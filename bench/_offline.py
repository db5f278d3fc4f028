"""A socket guard for benchmark processes: loopback only, anything else fails at once.

The comparison tools reach for the network on their own (newspaper4k downloads images to
size them, tldextract fetches the public-suffix list); offline, each such call waits for
a timeout, and one stalled ``make bench`` for minutes. With the guard, a connection to
anything but loopback, or a name lookup of anything but a loopback name, raises
``NetworkRefused`` immediately: the tool's own error handling takes over, and a tool that
needs the network shows up as an error instead of a stall.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}
_installed = False


class NetworkRefused(OSError):
    """A benchmark process tried to reach beyond loopback."""


def is_loopback(host: Any) -> bool:
    """True for loopback addresses and names (and for non-IP families, e.g. Unix sockets)."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _target(address: Any) -> Any:
    return address[0] if isinstance(address, tuple) and address else None


def guard() -> None:
    """Install the guard in this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    getaddrinfo = socket.getaddrinfo

    def checked(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(
                _target(address)):
            raise NetworkRefused(f"benchmarks are offline: no connection to {address!r}")

    def guarded_connect(sock: socket.socket, address: Any) -> None:
        checked(sock, address)
        return connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: Any) -> int:
        checked(sock, address)
        return connect_ex(sock, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_loopback(host):
            raise socket.gaierror(socket.EAI_NONAME,
                                  f"benchmarks are offline: no lookup of {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = guarded_getaddrinfo
