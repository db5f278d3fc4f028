"""archive.export: round trips in every format, CSV safe for Excel, manifest, atomic writes."""

from __future__ import annotations

import csv
import hashlib
import json

import pytest

from archive import export, export_writers, store
from archive.db import open_db
from crawler.parsers.version import PARSER_VERSION
from newsarchive.cli import main

TRIGGERS = export_writers.FORMULA_TRIGGERS


@pytest.fixture
def archive(tmp_path, digest, article):
    """Two digests' items and an article with formula-like cells, tags and Chinese text."""
    path = tmp_path / "a.db"
    db = open_db(path)
    digest["items"][0]["headline"] = "=HYPERLINK(\"http://x\")"
    digest["items"][1]["text"] = "-5% 比特币减半"
    store.save_digest(db, digest)
    article.update(title="+1 苹果", summary="@everyone", tags=("比特币", "NFT"))
    store.save_article(db, article)
    db.close()
    return path


def run_export(path, out, *args):
    assert main(["export", "--db", str(path), "--out", str(out), *args]) == 0


def db_rows(path, table):
    db = open_db(path, readonly=True)
    return [dict(r) for r in db.execute_returning_dicts(f"SELECT * FROM {table} ORDER BY id")]


@pytest.mark.parametrize("table", ["news_items", "articles"])
def test_jsonl_round_trip(archive, tmp_path, table):
    out = tmp_path / "x.jsonl"
    run_export(archive, out, "--format", "jsonl", "--table", table)
    got = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    expected = db_rows(archive, table)
    for row in expected:
        for col in ("tags", "images"):
            if col in row:
                row[col] = json.loads(row[col])
    assert got == expected


@pytest.mark.parametrize("table", ["news_items", "articles"])
def test_csv_has_a_bom_reads_back_and_has_no_formula(archive, tmp_path, table):
    out = tmp_path / "x.csv"
    run_export(archive, out, "--format", "csv", "--table", table)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        got = list(csv.DictReader(fh))
    cells = [v for row in got for v in row.values()]
    assert not [c for c in cells if c.startswith(TRIGGERS)]
    assert any(c.startswith("'") for c in cells)     # the fixture has formulas to defuse
    expected = [{k: "" if v is None else str(export_writers.neutralise(v))
                 for k, v in row.items()} for row in db_rows(archive, table)]
    assert got == expected


def test_parquet_keeps_types(archive, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is the optional export extra")
    out = tmp_path / "a.parquet"
    run_export(archive, out, "--format", "parquet", "--table", "articles")
    table = pq.read_table(out)
    assert str(table.schema.field("published_at").type) == "timestamp[ms, tz=UTC]"
    assert str(table.schema.field("tags").type) in ("list<item: string>", "list<element: string>")
    (row,) = table.to_pylist()
    (expected,) = db_rows(archive, "articles")
    assert row["tags"] == ["比特币", "NFT"] and row["title"] == expected["title"]
    assert row["published_at"].isoformat() == "2024-04-30T02:00:00+00:00"
    assert row["id"] == expected["id"]


def test_side_files_replace_a_planted_symlink_instead_of_writing_through_it(archive,
                                                                          tmp_path):
    victims = {name: tmp_path / f"victim{name}" for name in (".manifest.json", ".README.md")}
    for name, victim in victims.items():
        victim.write_text("precious", "utf-8")
        (tmp_path / f"n.csv{name}").symlink_to(victim)
    run_export(archive, tmp_path / "n.csv", "--format", "csv")
    for name, victim in victims.items():
        assert victim.read_text("utf-8") == "precious"
        side = tmp_path / f"n.csv{name}"
        assert not side.is_symlink() and side.read_text("utf-8") != "precious"


def test_manifest_and_card(archive, tmp_path):
    out = tmp_path / "n.csv"
    run_export(archive, out, "--format", "csv", "--query", "减半")
    manifest = json.loads((tmp_path / "n.csv.manifest.json").read_text("utf-8"))
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["rows"] == 1 and manifest["filters"]["query"] == "减半"
    assert [c["name"] for c in manifest["schema"]][:3] == ["id", "source", "digest_date"]
    assert manifest["archive"]["rows"]["digest_items"] == 2
    assert "m006_search" in manifest["archive"]["migrations"]
    assert manifest["parser_versions"] == {"digests": {"unrecorded": 1},
                                           "articles": {"unrecorded": 1}}
    assert "--query" in manifest["command"] and "减半" in manifest["command"]
    card = (tmp_path / "n.csv.README.md").read_text("utf-8")
    assert "| `attribution` | text |" in card and manifest["sha256"] in card


@pytest.mark.parametrize(("args", "expected"), [
    (["--source", "8btc", "--table", "articles"], 1),
    (["--source", "foresight", "--table", "articles"], 0),
    (["--since", "2023-03-08", "--until", "2023-03-08"], 2),   # a Beijing day, included
    (["--since", "2023-03-07", "--until", "2023-03-07"], 0),   # 16:02Z is 03-08 in Beijing
    (["--until", "2023-03-07"], 0),
    (["--since", "2023-03-09"], 0),
    (["--since", "2023-03-08T00:02:00+08:00"], 2),
    (["--since", "2023-03-07T16:03:00Z"], 0),
    (["--table", "items_per_day", "--since", "2023-03-08", "--until", "2023-03-08"], 1),
    (["--table", "items_per_day", "--until", "2023-03-07"], 0),
    (["--query", "比特幣"], 1),
])
def test_filters(archive, tmp_path, args, expected):
    out = tmp_path / "f.jsonl"
    run_export(archive, out, "--format", "jsonl", *args)
    assert len(out.read_text("utf-8").splitlines()) == expected


def test_a_failed_export_leaves_the_old_file_and_no_temporary(archive, tmp_path, monkeypatch):
    out = tmp_path / "x.csv"
    out.write_text("old")

    def broken(path, columns, batches, progress):
        path.write_text("half")
        raise OSError("disk full")
    monkeypatch.setitem(export_writers.WRITERS, "csv", broken)
    with pytest.raises(OSError):
        export.write_export(open_db(archive, readonly=True), out, "csv", "news_items",
                            export.Filters())
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db", "a.db-shm", "a.db-wal",
                                                           "x.csv"]


@pytest.mark.parametrize(("args", "message"), [
    (["--table", "recommendations", "--since", "2023-01-01"], "no date column"),
    (["--table", "recommendations", "--query", "x"], "not searchable"),
    (["--table", "runs"], "runs"),
    (["--format", "xlsx"], "xlsx"),
    (["--query", "？"], "nothing to search for"),
    (["--until", "soon"], "not a date"),
    (["--since", "2023-03-08", "--until", "2023-03-07"], "before"),
    (["--since", "2023-03-08T10:00"], "no time zone"),
])
def test_bad_export_is_one_line_exit_2(archive, tmp_path, capsys, args, message):
    argv = ["export", "--db", str(archive), "--out", str(tmp_path / "o"), "--format", "csv"]
    assert main([*argv, *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0]
    assert not (tmp_path / "o").exists()


def test_missing_archive(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "no.db"), "--out", str(tmp_path / "o"),
                 "--format", "csv"]) == 1
    assert "no archive at" in capsys.readouterr().err


@pytest.mark.crawl
def test_demo_archive_parquet_and_csv_round_trip(demo_db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is the optional export extra")
    run_export(demo_db, tmp_path / "a.parquet", "--format", "parquet", "--table", "articles")
    run_export(demo_db, tmp_path / "a.csv", "--format", "csv", "--table", "articles")
    rows = db_rows(demo_db, "articles")
    table = pq.read_table(tmp_path / "a.parquet").to_pylist()
    assert [r["text"] for r in table] == [r["text"] for r in rows]
    assert [r["tags"] for r in table] == [json.loads(r["tags"]) for r in rows]
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert [r["title"] for r in csv.DictReader(fh)] == [
            export_writers.neutralise(r["title"]) for r in rows]
    manifest = json.loads((tmp_path / "a.csv.manifest.json").read_text("utf-8"))
    assert set(manifest["parser_versions"]["articles"]) == {PARSER_VERSION}   # crawled pages


HOSTILE_CELLS = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", "a,=1", 'a";=1',
                 "行\u2028分\u2029隔\x85", "逗,号\"引\"号\n换行"]


@pytest.fixture
def hostile_archive(tmp_path, article):
    """One article per catalogue 43/44 cell, stored as is (the export must cope, whatever
    the crawler's normaliser would have done)."""
    path = tmp_path / "h.db"
    db = open_db(path)
    for n, cell in enumerate(HOSTILE_CELLS):
        store.save_article(db, {**article, "url": f"https://www.8btc.com/article/{900 + n}",
                                "canonical_url": f"https://www.8btc.com/article/{900 + n}",
                                "site_id": str(900 + n), "title": cell, "text": cell})
    db.close()
    return path


def test_csv_neutralises_every_formula_trigger_and_reads_back(hostile_archive, tmp_path):
    # catalogue 43/44: no cell starts a formula; quoting keeps separators and quotes inside
    out = tmp_path / "h.csv"
    run_export(hostile_archive, out, "--format", "csv", "--table", "articles")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["title"] for r in rows] == [export_writers.neutralise(c) for c in HOSTILE_CELLS]
    assert not [r for r in rows if r["title"].startswith(TRIGGERS)]
    assert len(rows) == len(HOSTILE_CELLS)


def test_jsonl_is_one_record_a_line_even_for_splitlines(hostile_archive, tmp_path):
    # catalogue 45: U+2028, U+2029 and NEL are escaped, so splitlines() splits records only
    out = tmp_path / "h.jsonl"
    run_export(hostile_archive, out, "--format", "jsonl", "--table", "articles")
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(line)["title"] for line in lines] == HOSTILE_CELLS


@pytest.mark.parametrize("args", [
    ["--since", "2024'); DROP TABLE articles;--"],
    ["--until", "2023-03-07' OR 1=1 --"],
    ["--source", "x' OR 1=1 --"],
    ["--table", "articles; DROP TABLE articles"],
])
def test_injection_through_a_filter_is_refused_and_changes_nothing(archive, tmp_path, capsys,
                                                                   args):
    # catalogue 48: values are bound or checked, names come from an allow-list
    before = db_rows(archive, "articles")
    argv = ["export", "--db", str(archive), "--out", str(tmp_path / "o"), "--format", "csv"]
    assert main([*argv, *args]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert db_rows(archive, "articles") == before and not (tmp_path / "o").exists()


def test_a_query_with_quotes_is_bound_as_text(archive, tmp_path):
    out = tmp_path / "q.jsonl"
    run_export(archive, out, "--format", "jsonl", "--query", "x' OR 1=1 --")
    assert out.read_text("utf-8") == ""
    assert len(db_rows(archive, "digest_items")) == 2
