"""``import`` on what other tools write and what an attacker writes (issue 16, items 1-11).

Each test builds the WARC that broke import, with a good page after the bad record:
the bad one is skipped or refused with its reason, the good one is stored, the run row
is closed, nothing of a refused record reaches the archive's WARC folder, and ``check``
passes.
"""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

import pytest

from tests.warc_forge import PAGE, import_cli, record, revisit, sha1_digest, write_warc

GOOD = "https://example.org/good"


def assert_sound(result, refused: bool) -> None:
    """Exit and error line as the issue asks; run closed; check passes."""
    assert result.exception is None, repr(result.exception)
    assert "Traceback" not in result.output + result.error
    assert "running" not in result.runs()
    assert result.check_ok()
    assert GOOD in result.urls()
    if refused:
        assert result.exit_code == 1
        lines = result.error.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ")
        assert len(lines[0]) < 300
    else:
        assert result.exit_code == 0, result.error


def test_non_http_records_are_skipped_and_counted(tmp_path):  # item 1
    warc = write_warc(tmp_path / "heritrix.warc.gz",
                      record("dns:www.example.org", b"20240301 www.example.org 3600 IN A 1.2.3.4",
                             rec_type="resource", headers={"Content-Type": "text/dns"}),
                      record("urn:X-wpull:log", b"log lines", rec_type="resource"),
                      record(GOOD))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=False)
    assert "skipped (non-http record): 2" in result.output
    assert b"dns:www.example.org" not in result.stored_bytes()


def test_wget_bracketed_target_uri_is_unwrapped(tmp_path):  # item 2
    url = "https://www.8btc.com/article/123456"
    warc = write_warc(tmp_path / "wget.warc.gz", record(f"<{url}>"), record(GOOD))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=False)
    row = result.db.execute("SELECT url, site FROM captures WHERE url LIKE '%123456'").fetchone()
    assert row == (url, "8btc")


@pytest.mark.parametrize("body, charset", [
    ("<html><head><meta charset='windows-1251'><title>Новости</title></head><body><article>"
     + "<p>" + "Это обычная русская страница с новостями дня. " * 30 + "</p></article>"
     "</body></html>", "windows-1251"),
    ("<html><head><title>Quotes</title></head><body><article><p>"
     + "Il a dit\u00a0: «\u00a0bonjour\u00a0» et puis il est parti. " * 30
     + "</p></article></body></html>", "latin-1"),
    ("<html><head><meta charset='utf-8'><title>Zürich</title></head><body><article><p>"
     + "Zürich, Genève, São Paulo, Málaga, Kraków, Ñandú and café crème. " * 20
     + "</p></article></body></html>", "utf-8"),
])
def test_correct_non_chinese_pages_are_not_mojibake(tmp_path, body, charset):  # item 3
    data = body.encode(charset)
    warc = write_warc(tmp_path / "a.warc.gz", record("https://example.org/ru", data,
                      http_headers={"Content-Type": f"text/html; charset={charset}"}),
                      record(GOOD))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=False)
    kinds = result.db.execute("SELECT error_kind FROM captures WHERE url LIKE '%/ru'").fetchone()
    assert kinds == (None,)


def test_chinese_bytes_read_as_latin1_are_still_refused_as_mojibake():
    from crawler.parsers.document import claims_chinese

    page = ("<html><body>" + "比特币价格今日上涨，市场情绪回暖。" * 10 + "</body></html>").encode()
    assert claims_chinese(page, "iso-8859-1")
    assert not claims_chinese("<p>Это обычная страница «да»</p>".encode("cp1251"), "cp1251")


def test_a_revisit_moves_the_revisited_capture(tmp_path):  # item 4
    warc = write_warc(tmp_path / "a.warc.gz", record(GOOD),
                      revisit(GOOD, PAGE, "2024-05-01T00:00:00Z"))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=False)
    seen = "SELECT last_seen_at, seen_count FROM captures WHERE url = ?"
    assert result.db.execute(seen, [GOOD]).fetchone() == ("2024-05-01T00:00:00Z", 2)
    again = import_cli(tmp_path / "a.db", warc)
    assert again.exit_code == 0
    assert again.db.execute(seen, [GOOD]).fetchone() == ("2024-05-01T00:00:00Z", 2)


def test_a_wrong_payload_digest_is_refused(tmp_path):  # item 5
    warc = write_warc(tmp_path / "a.warc.gz",
                      record("https://example.org/forged", digest=sha1_digest(b"other")),
                      record(GOOD))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=True)
    assert "WARC-Payload-Digest" in result.error
    assert "forged" not in " ".join(result.urls())
    assert b"example.org/forged" not in result.stored_bytes()


REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "warc"


@pytest.mark.parametrize("name", ["warcio/example.arc", "warcio/example.arc.gz",
                                  "pywb/valid_example_1.wacz",
                                  "py-wacz/valid_signed_example_1.wacz"])
def test_arc_and_wacz_files_import_their_pages(tmp_path, name):  # item 6
    result = import_cli(tmp_path / "a.db", REALWORLD / name)
    assert result.exit_code == 0, result.error
    assert result.db.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1
    assert result.check_ok()


def test_a_wacz_member_with_a_wrong_digest_is_not_read(tmp_path):
    import zipfile

    source = zipfile.ZipFile(REALWORLD / "pywb/valid_example_1.wacz")
    forged = tmp_path / "forged.wacz"
    with zipfile.ZipFile(forged, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("archive/"):
                data = data[:1500] + bytes([data[1500] ^ 1]) + data[1501:]
            out.writestr(info.filename, data)
    result = import_cli(tmp_path / "a.db", forged)
    assert result.exit_code == 1 and "datapackage.json" in result.error
    assert result.urls() == [] and "running" not in result.runs()


@pytest.mark.parametrize("bad", [
    record(""), record("/relative/page"), record("javascript:alert(1)"),
    record("https://example.org/y", date="yesterday"),
    record("https://example.org/z", date="9999-12-31T23:59:59+14:00"),
])
def test_ordinary_bad_input_is_refused_and_the_rest_imported(tmp_path, bad):  # item 7
    warc = write_warc(tmp_path / "a.warc.gz", bad, record(GOOD))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=True)


def test_a_negative_content_length_never_tracebacks(tmp_path):  # item 7
    warc = write_warc(tmp_path / "a.warc", record(GOOD),
                      record("https://example.org/neg", length=-5), gzip_each=False)
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=True)


def test_a_warc_gzipped_as_one_whole_file_is_read(tmp_path):  # item 7
    plain = record("https://example.org/one") + record(GOOD)
    warc = tmp_path / "whole.warc.gz"
    warc.write_bytes(gzip.compress(plain))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=False)
    assert "https://example.org/one" in result.urls()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:22/",
                                 "http://[::1]/", "http://2130706433/", "http://localhost/",
                                 "http://user:pw@example.org/"])
def test_urls_the_crawl_would_refuse_are_refused(tmp_path, url):  # item 8
    warc = write_warc(tmp_path / "a.warc.gz", record(url, b"root:x:0:0"), record(GOOD))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=True)
    assert "would refuse" in result.error
    assert b"root:x:0:0" not in result.stored_bytes()


def test_a_record_cut_short_of_a_huge_content_length_is_refused(tmp_path):  # item 8
    cut = record("https://example.org/cut", length=10**15)[:-4]
    warc = write_warc(tmp_path / "a.warc", record(GOOD), cut, gzip_each=False)
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=True)
    assert "cut short" in result.error
    assert "https://example.org/cut" not in result.urls()


def test_29_bad_dates_make_one_short_line_with_counts(tmp_path):  # item 9
    bad = [record(f"https://example.org/{i}", date="2024-02-31 late") for i in range(29)]
    warc = write_warc(tmp_path / "a.warc.gz", *bad, record(GOOD))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=True)
    assert "29 records with an unreadable WARC-Date, first at offset " in result.error


def test_a_body_over_download_maxsize_is_refused(tmp_path):  # item 10
    from crawler.settings import DOWNLOAD_MAXSIZE

    big = b"<html><body>" + b"a" * DOWNLOAD_MAXSIZE + b"</body></html>"
    warc = write_warc(tmp_path / "a.warc.gz", record("https://example.org/big", big),
                      record(GOOD))
    result = import_cli(tmp_path / "a.db", warc)
    assert_sound(result, refused=True)
    assert "refused (too_large): 1" in result.output
    assert sum(f.stat().st_size for f in result.warc_dir.iterdir()) < 100_000


def test_sniffing_a_file_reads_its_first_bytes_only(tmp_path):  # item 11
    from pipelines.import_read import sniff

    big = tmp_path / "big.warc"
    with open(big, "wb") as out:
        out.write(b"WARC/1.0\r\n")
        out.truncate(600 * 1024 * 1024)  # sparse: costs no disk
    gz = tmp_path / "big.warc.gz"
    with open(gz, "wb") as out:
        out.write(gzip.compress(b"WARC/1.0\r\n" + b"x" * 1000))
        out.truncate(600 * 1024 * 1024)
    tracemalloc.start()
    kinds = sniff(big), sniff(gz)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [k.name for k in kinds] == ["warc", "warc"] and kinds[1].gzipped
    assert peak < 1024 * 1024
