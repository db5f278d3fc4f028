"""archive.warc: records written with warcio read back exactly; revisits, rotation, damage."""

from __future__ import annotations

import gzip
import io
import json
import os

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc import (
    Exchange,
    WarcError,
    WarcStore,
    payload_digest,
    read_record,
    warc_dir_for,
)

BODY = "<html><head><title>比特币减半</title></head><body>正文</body></html>".encode()
DATE = "2026-11-28T10:00:00Z"


def exchange(body: bytes = BODY, url: str = "https://www.8btc.com/article/1", **kw) -> Exchange:
    headers = kw.pop("headers", [("Content-Type", "text/html; charset=utf-8")])
    return Exchange(url=url, status=kw.pop("status", 200), headers=headers, body=body,
                    date=DATE, request_headers=[("Host", "www.8btc.com")], **kw)


def records_of(path) -> list:
    with open(path, "rb") as handle:
        return [(r.rec_type, dict(r.rec_headers.headers)) for r in ArchiveIterator(handle)]


def test_warc_folder_sits_beside_the_archive(tmp_path):
    assert warc_dir_for(tmp_path / "data" / "archive.db") == tmp_path / "data" / "archive-warc"


def test_a_response_reads_back_with_its_payload_status_and_digest(tmp_path):
    store = WarcStore(tmp_path, "t")
    ref = store.write_exchange(exchange())
    store.close()
    record = read_record(tmp_path, ref.file, ref.offset, ref.length)
    assert (record.type, record.status, record.url) == ("response", 200,
                                                        "https://www.8btc.com/article/1")
    assert record.payload == BODY
    assert record.date == DATE
    assert ref.digest == payload_digest(BODY) == record.warc_headers["WARC-Payload-Digest"]
    assert record.raw_digest_ok


def test_each_file_starts_with_warcinfo_and_pairs_request_with_response(tmp_path):
    store = WarcStore(tmp_path, "t")
    ref = store.write_exchange(exchange())
    store.close()
    kinds = records_of(tmp_path / ref.file)
    assert [k for k, _ in kinds] == ["warcinfo", "response", "request"]
    response_id = kinds[1][1]["WARC-Record-ID"]
    assert kinds[2][1]["WARC-Concurrent-To"] == response_id


def test_every_record_is_its_own_gzip_member(tmp_path):
    store = WarcStore(tmp_path, "t")
    first = store.write_exchange(exchange())
    second = store.write_exchange(exchange(b"<html>other</html>", "https://www.8btc.com/a/2"))
    store.close()
    data = (tmp_path / first.file).read_bytes()
    for ref in (first, second):
        member = data[ref.offset:ref.offset + ref.length]
        assert gzip.decompress(member).startswith(b"WARC/1.1")


def test_a_compressed_body_is_kept_as_received_and_read_decoded(tmp_path):
    raw = gzip.compress(BODY)
    store = WarcStore(tmp_path, "t")
    ref = store.write_exchange(exchange(raw, headers=[("Content-Type", "text/html"),
                                                      ("Content-Encoding", "gzip")]))
    store.close()
    assert ref.digest == payload_digest(raw)  # the digest is of the bytes as received
    assert read_record(tmp_path, ref.file, ref.offset, ref.length).payload == BODY


def test_transfer_encoding_is_renamed_because_the_body_is_stored_dechunked(tmp_path):
    store = WarcStore(tmp_path, "t")
    ref = store.write_exchange(exchange(headers=[("Content-Type", "text/html"),
                                                 ("Transfer-Encoding", "chunked")]))
    store.close()
    record = read_record(tmp_path, ref.file, ref.offset, ref.length)
    names = [k.lower() for k, _ in record.http_headers]
    assert "transfer-encoding" not in names and "x-archive-orig-transfer-encoding" in names
    assert record.payload == BODY


def test_a_payload_seen_before_becomes_a_revisit_pointing_at_the_first(tmp_path):
    store = WarcStore(tmp_path, "t")
    first = store.write_exchange(exchange())
    again = store.write_exchange(exchange(url="https://m.8btc.com/article/1"))
    store.close()
    assert (first.type, again.type) == ("response", "revisit")
    record = read_record(tmp_path, again.file, again.offset, again.length)
    assert record.warc_headers["WARC-Refers-To-Target-URI"] == "https://www.8btc.com/article/1"
    assert record.payload == b""
    assert again.length < first.length


def test_the_archive_lookup_turns_an_earlier_runs_payload_into_a_revisit(tmp_path):
    asked = []

    def seen(digest):
        asked.append(digest)
        return ("https://www.8btc.com/article/1", "2026-01-01T00:00:00Z")

    store = WarcStore(tmp_path, "t", seen=seen)
    ref = store.write_exchange(exchange())
    store.close()
    assert ref.type == "revisit" and asked == [payload_digest(BODY)]


def test_a_truncated_body_is_marked_and_never_a_revisit_source(tmp_path):
    store = WarcStore(tmp_path, "t")
    cut = store.write_exchange(exchange(truncated="disconnect"))
    whole = store.write_exchange(exchange())
    store.close()
    record = read_record(tmp_path, cut.file, cut.offset, cut.length)
    assert record.warc_headers["WARC-Truncated"] == "disconnect"
    assert whole.type == "response"


def test_files_rotate_past_the_size_limit(tmp_path):
    store = WarcStore(tmp_path, "t", max_bytes=2000)
    refs = [store.write_exchange(exchange(f"<html>{i}{os.urandom(1500).hex()}</html>".encode(),
                                          f"https://www.8btc.com/article/{i}"))
            for i in range(3)]
    store.close()
    assert len({r.file for r in refs}) == 3
    for ref in refs:
        assert records_of(tmp_path / ref.file)[0][0] == "warcinfo"
        assert read_record(tmp_path, ref.file, ref.offset, ref.length).status == 200


def test_a_new_store_never_overwrites_an_existing_file(tmp_path):
    first = WarcStore(tmp_path, "t")
    a = first.write_exchange(exchange())
    first.close()
    second = WarcStore(tmp_path, "t")
    b = second.write_exchange(exchange(b"<html>2</html>"))
    second.close()
    assert a.file != b.file
    assert read_record(tmp_path, a.file, a.offset, a.length).payload == BODY


def test_an_error_is_a_metadata_record_with_its_reason(tmp_path):
    store = WarcStore(tmp_path, "t")
    ref = store.write_error("https://www.8btc.com/article/9", DATE, "timeout", "took too long")
    store.close()
    record = read_record(tmp_path, ref.file, ref.offset, ref.length)
    assert record.type == "metadata"
    assert json.loads(record.payload) == {"error_kind": "timeout", "error": "took too long"}


def test_a_cut_file_or_a_wrong_offset_is_a_clear_error(tmp_path):
    store = WarcStore(tmp_path, "t")
    ref = store.write_exchange(exchange())
    store.close()
    path = tmp_path / ref.file
    with pytest.raises(WarcError, match="no WARC record|unreadable"):
        read_record(tmp_path, ref.file, ref.offset + 7, ref.length)
    path.write_bytes(path.read_bytes()[:ref.offset + ref.length // 2])
    with pytest.raises(WarcError, match="cut"):
        read_record(tmp_path, ref.file, ref.offset, ref.length)
    with pytest.raises(WarcError, match="No such file"):
        read_record(tmp_path, "missing.warc.gz", 0, 10)


def test_a_corrupted_payload_fails_its_digest(tmp_path):
    store = WarcStore(tmp_path, "t")
    ref = store.write_exchange(exchange())
    store.close()
    path = tmp_path / ref.file
    data = path.read_bytes()
    member = gzip.decompress(data[ref.offset:ref.offset + ref.length])
    damaged = gzip.compress(member.replace("正文".encode(), "伪造".encode()))
    path.write_bytes(data[:ref.offset] + damaged)
    assert not read_record(tmp_path, ref.file, ref.offset, len(damaged)).raw_digest_ok


def test_the_fast_reader_reads_every_kind_of_record_as_warcio_does(tmp_path):
    """Our own records skip warcio's streams (archive.warc_read._fast_record); what they
    read must be what warcio reads, header by header, whatever the record holds."""
    from archive.warc_read import _fast_record, _stored

    store = WarcStore(tmp_path, "t")
    refs = [
        store.write_exchange(exchange(gzip.compress(BODY), headers=[
            ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
            ("Link", "<https://www.8btc.com/a/1>; rel=canonical"), ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"), ("X-Empty", "")])),
        store.write_exchange(exchange()),
        store.write_exchange(exchange(url="https://m.8btc.com/article/1")),  # a revisit
        store.write_exchange(exchange(b"<html>404</html>", "https://www.8btc.com/a/404",
                                      status=404, truncated="length")),
        store.write_resource("https://foresightnews.pro/saved", BODY, "text/html", DATE),
        store.write_error("https://www.8btc.com/article/9", DATE, "timeout", "took too long"),
    ]
    store.close()
    data = (tmp_path / refs[0].file).read_bytes()
    assert [r.type for r in refs] == ["response", "response", "revisit", "response",
                                      "resource", "metadata"]
    for ref in refs:
        member = data[ref.offset:ref.offset + ref.length]
        fast = _fast_record(member, verify=True)
        assert fast is not None, ref.type
        assert fast == _stored(next(iter(ArchiveIterator(io.BytesIO(member)))))
    assert _fast_record(data[refs[0].offset:refs[0].offset + refs[0].length],
                        verify=True).payload == BODY
