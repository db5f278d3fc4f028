"""Hand-made WARC records, good and hostile, and one way to import them and look.

``record(...)`` writes the bytes of one uncompressed WARC record exactly as given (so a
test can lie in any header); ``import_cli`` runs ``newsarchive import`` in this process
and returns the result with the archive's runs, captures and check report.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

PAGE = ("<html><head><title>Hello page</title></head><body><article><h1>Hello page</h1>"
        + "<p>" + "An ordinary paragraph of English text. " * 20 + "</p>"
        + "</article></body></html>").encode()


def sha1_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def http_response(body: bytes, headers: dict[str, str] | None = None,
                  status: str = "200 OK") -> bytes:
    head = {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in head.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def record(url: str = "https://example.org/page", body: bytes = PAGE, *,
           rec_type: str = "response", date: str = "2024-03-01T10:00:00Z",
           headers: dict[str, str] | None = None, http_headers: dict[str, str] | None = None,
           digest: str | None = None, length: int | str | None = None,
           block: bytes | None = None, version: str = "1.1") -> bytes:
    """One WARC record; every header can be overridden (``None`` values drop it)."""
    if block is None:
        block = http_response(body, http_headers) if rec_type == "response" else body
    fields: dict[str, Any] = {
        "WARC-Type": rec_type, "WARC-Target-URI": url, "WARC-Date": date,
        "WARC-Record-ID": f"<urn:uuid:{hashlib.md5(block + url.encode()).hexdigest()}>",
        "Content-Type": "application/http; msgtype=response" if rec_type == "response"
        else "text/html",
        "WARC-Payload-Digest": digest if digest is not None else sha1_digest(body),
        "Content-Length": length if length is not None else len(block),
    }
    fields.update(headers or {})
    head = f"WARC/{version}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items()
                                            if v is not None)
    return head.encode("utf-8") + b"\r\n" + block + b"\r\n\r\n"


def revisit(url: str, body: bytes, date: str) -> bytes:
    return record(url, b"", rec_type="revisit", date=date, block=http_response(b""),
                  headers={"WARC-Payload-Digest": sha1_digest(body),
                           "WARC-Refers-To-Target-URI": url,
                           "WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/"
                                           "identical-payload-digest"})


def write_warc(path: Path, *records: bytes, gzip_each: bool = True) -> Path:
    with open(path, "wb") as out:
        for rec in records:
            out.write(gzip.compress(rec) if gzip_each else rec)
    return path


@dataclass
class Imported:
    exit_code: int
    output: str
    error: str
    exception: BaseException | None
    db: sqlite_utils.Database
    warc_dir: Path

    def runs(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT status FROM runs")]

    def urls(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT url FROM captures ORDER BY id")]

    def check_ok(self) -> bool:
        from archive.check import check_archive

        report = check_archive(self.db, str(self.warc_dir))
        return report.ok

    def stored_bytes(self) -> bytes:
        """Every byte of the archive's WARC folder, inflated."""
        data = b""
        for file in sorted(self.warc_dir.glob("*.warc.gz")):
            data += gzip.decompress(file.read_bytes())
        return data


def import_cli(db_path: Path, *paths: Path) -> Imported:
    """``newsarchive import PATHS --db DB`` in this process, through the console script's
    ``main`` (its one-line errors and exit codes); an exception escaping it is kept."""
    from archive.warc import warc_dir_for
    from newsarchive.cli import main

    out, err, exception, code = io.StringIO(), io.StringIO(), None, 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["import", *map(str, paths), "--db", str(db_path)])
        except SystemExit as exc:
            code = int(exc.code or 0)
        except Exception as exc:  # noqa: BLE001 (the test asserts there is none)
            exception, code = exc, -1
    return Imported(code, out.getvalue(), err.getvalue(), exception,
                    sqlite_utils.Database(db_path), warc_dir_for(db_path))
