"""Property: whatever a WARC record's headers, lengths, dates, URIs, encodings or cut
say, ``import`` never raises, never leaves a run ``running``, prints at most one
``error:`` line under 300 characters, and ``check`` passes on what it stored."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.warc_forge import PAGE, http_response, import_cli, record

ODD_TEXT = st.text(st.characters(blacklist_characters="\r\n", codec="utf-8"), max_size=40)
VALUES = {
    "WARC-Target-URI": st.one_of(st.sampled_from([
        "", "<https://example.org/a>", "dns:example.org", "urn:x", "file:///etc/passwd",
        "http://127.0.0.1:8080/", "https://www.8btc.com/article/1", "//x", "http://[::1"]),
        ODD_TEXT),
    "WARC-Date": st.one_of(st.sampled_from([
        "", "yesterday", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "20240301101010",
        "2024-03-01T10:00:00.123456+08:00", "2024-13-01T00:00:00Z"]), ODD_TEXT),
    "Content-Length": st.one_of(st.integers(-10, 10**16).map(str), ODD_TEXT),
    "WARC-Payload-Digest": st.one_of(st.sampled_from([
        "sha1:AAAA", "md5:00", "sha256:" + "0" * 64, "nonsense", ""]), ODD_TEXT),
    "WARC-Type": st.sampled_from(["response", "resource", "revisit", "request", "metadata",
                                  "conversion", "warcinfo", "", "RESPONSE"]),
    "Content-Type": st.sampled_from(["application/http; msgtype=response", "text/html",
                                     "application/http", ""]),
}
HTTP = {
    "Content-Encoding": st.sampled_from(["gzip", "deflate", "br", "zstd", "identity", "x"]),
    "Transfer-Encoding": st.sampled_from(["chunked", "gzip", ""]),
    "Content-Type": st.sampled_from(["text/html; charset=gbk", "text/html; charset=koi8-r",
                                     "text/html; charset=nonsense", "application/json", ""]),
    "Content-Length": st.integers(-5, 10**12).map(str),
}
BODIES = st.sampled_from([
    PAGE, gzip.compress(PAGE), b"", b"\x00\xff" * 50, "<p>中文新闻</p>".encode("gbk"),
    "<p>Новости</p>".encode("koi8-r"), b"5\r\nhello\r\n0\r\n\r\n",
])


@st.composite
def mutated_records(draw) -> bytes:
    body = draw(BODIES)
    headers = draw(st.dictionaries(st.sampled_from(sorted(VALUES)), st.none(), max_size=3))
    warc = {k: draw(VALUES[k]) for k in headers}
    http = {k: draw(HTTP[k]) for k in draw(st.lists(st.sampled_from(sorted(HTTP)),
                                                    max_size=2, unique=True))}
    block = http_response(body, http, draw(st.sampled_from(["200 OK", "301 Moved", "999 X",
                                                             "OK", "200"])))
    data = record("https://example.org/p", body, headers=warc, block=block)
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    return data if cut is None else data[:cut]


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(mutated_records(), min_size=1, max_size=3), st.booleans())
def test_import_survives_any_mutated_record(records, gzip_each):
    with tempfile.TemporaryDirectory() as folder:
        warc = Path(folder) / "m.warc.gz"
        good = record("https://example.org/good")
        parts = [*records, good]
        warc.write_bytes(b"".join(gzip.compress(r) for r in parts) if gzip_each
                         else gzip.compress(b"".join(parts)))
        result = import_cli(Path(folder) / "a.db", warc)
        assert result.exception is None, repr(result.exception)
        assert "Traceback" not in result.output + result.error
        # 2: the first record cut so short the file is no longer recognisable as WARC
        assert result.exit_code in (0, 1, 2), result.error
        if result.exit_code:
            lines = result.error.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: ")
            assert len(lines[0]) < 300
        if result.exit_code == 2:  # refused before any archive was opened
            return
        assert "running" not in result.runs()
        assert result.check_ok()
