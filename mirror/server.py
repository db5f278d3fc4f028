"""The mirror's HTTP server: HTTP/1.1, keep-alive, Content-Length, gzip, quiet.

``start_mirror()`` runs it in a daemon thread (tests, the demo command); ``serve()`` runs it
in the foreground until SIGINT/SIGTERM, printing the base URL as its first line.
"""

from __future__ import annotations

import gzip
import signal
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

from .fault_bodies import Raw
from .faults import FaultPlan
from .response import Response
from .routes import Mirror
from .truth import real_digest_url

_COMPRESSIBLE = ("text/", "application/json")


def accepts_gzip(header: str | None) -> bool:
    """True when an Accept-Encoding header allows gzip (``gzip``, ``*``, q > 0)."""
    for token in (header or "").split(","):
        name, _, params = token.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().lower().removeprefix("q=")
            try:
                return not params.strip() or float(q) > 0
            except ValueError:
                return False
    return False


class MirrorHandler(BaseHTTPRequestHandler):
    """Serves ``Mirror`` responses; one instance per connection (keep-alive)."""

    protocol_version = "HTTP/1.1"
    server_version = "Tengine"
    sys_version = ""
    disable_nagle_algorithm = True
    server: MirrorServer

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        """Answer a GET."""
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        """Answer a HEAD (headers only)."""
        self._answer(head=True)

    def version_string(self) -> str:
        """The Server header (no Python version)."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet unless the server is verbose."""
        if self.server.verbose:
            super().log_message(format, *args)

    def _answer(self, head: bool) -> None:
        response = self.server.app.handle(self.path, self.headers)
        if isinstance(response, Raw):
            self._raw(response)
            return
        use_gzip = accepts_gzip(
            self.headers.get("Accept-Encoding")
        ) and response.content_type.startswith(_COMPRESSIBLE)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Vary", "Accept-Encoding")
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        if response.stream is not None:
            self._stream(response, use_gzip, head)
            return
        body = _gzipped(response) if use_gzip else response.body
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream(self, response: Response, use_gzip: bool, head: bool) -> None:
        """A chunked body (truth.json), compressed on the fly when asked."""
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            return
        packer = zlib.compressobj(6, zlib.DEFLATED, 31) if use_gzip else None
        assert response.stream is not None
        for piece in response.stream():
            self._chunk(packer.compress(piece) if packer else piece)
        if packer:
            self._chunk(packer.flush())
        self.wfile.write(b"0\r\n\r\n")

    def _raw(self, response: Raw) -> None:
        """A fault's answer, written as it is; the connection closes after it."""
        self.close_connection = True
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        try:
            response.write(self.wfile)
            self.wfile.flush()
        except OSError:  # the client hung up: that is what most faults are for
            pass

    def _chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))


def _gzipped(response: Response) -> bytes:
    """The gzip body, computed once per cached response (mtime 0: byte-identical)."""
    if not response.gzipped:
        response.gzipped.append(gzip.compress(response.body, 6, mtime=0))
    return response.gzipped[0]


class MirrorServer(ThreadingHTTPServer):
    """A threading server holding the mirror application."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: Mirror, verbose: bool = False):
        super().__init__(address, MirrorHandler)
        self.app, self.verbose = app, verbose

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321``."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class MirrorHandle:
    """A mirror running in a background thread; a context manager that stops it.

    ``url`` is the base URL (``http://127.0.0.1:PORT``); ``real_digest_url`` the canonical URL
    of the real March 2023 digest; ``app`` the ``routes.Mirror`` (its ``catalogue``).
    """

    def __init__(self, server: MirrorServer):
        self.server = server
        self.app = server.app
        self.url = server.url
        self.port = server.server_address[1]
        self.seed, self.scale = server.app.catalogue.seed, server.app.catalogue.scale
        self.real_digest_url = real_digest_url()
        self._thread = threading.Thread(target=server.serve_forever, name="mirror", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket (idempotent)."""
        if self._thread.is_alive():
            self.server.shutdown()
            self._thread.join()
            self.server.server_close()

    def __enter__(self) -> MirrorHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_mirror(
    seed: int = 1, scale: int = 20, port: int = 0, host: str = "127.0.0.1", verbose: bool = False,
    faults: FaultPlan | None = None,
) -> MirrorHandle:
    """Build the mirror for (seed, scale) and serve it from a daemon thread."""
    return MirrorHandle(MirrorServer((host, port), Mirror(seed, scale, faults=faults), verbose))


def serve(
    seed: int = 1,
    scale: int = 20,
    port: int = 0,
    host: str = "127.0.0.1",
    verbose: bool = False,
    out: TextIO | None = None,
    faults: FaultPlan | None = None,
) -> None:
    """Serve in the foreground; print the base URL first; stop cleanly on SIGINT/SIGTERM."""
    out = out or sys.stdout
    server = MirrorServer((host, port), Mirror(seed, scale, faults=faults), verbose)
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    handle = MirrorHandle(server)
    print(handle.url, file=out, flush=True)
    try:
        while not stop.wait(0.2):
            pass
    finally:
        handle.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
