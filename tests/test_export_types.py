"""Exports typed from the declared schema (archive.describe): Parquet carries SQLite's real
types, calendar days as dates, so DuckDB and pandas compute on them without casts."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from archive import export
from archive.describe import column_type
from archive.export_writers import FORMAT_TYPES
from newsarchive.cli import main

pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is the optional export extra")
pa = pytest.importorskip("pyarrow", reason="pyarrow is the optional export extra")

ARROW = {"integer": pa.int64(), "date": pa.date32(), "timestamp": pa.timestamp("ms", tz="UTC"),
         "list": pa.list_(pa.string()), "text": pa.string()}


def export_parquet(db, table, out):
    assert main(["export", "--db", str(db), "--format", "parquet", "--table", table,
                 "--out", str(out)]) == 0
    return pq.read_table(out)


@pytest.mark.parametrize("table", list(export.EXPORTABLE))
def test_every_parquet_column_has_its_declared_type(demo_db, tmp_path, table):
    got = export_parquet(demo_db, table, tmp_path / f"{table}.parquet")
    assert {f.name: f.type for f in got.schema} == {
        f.name: ARROW[column_type(f.name)] for f in got.schema}
    manifest = json.loads((tmp_path / f"{table}.parquet.manifest.json").read_text("utf-8"))
    assert {c["name"]: c["type"] for c in manifest["schema"]} == {
        f.name: FORMAT_TYPES["parquet"][column_type(f.name)] for f in got.schema}


def test_the_issue_columns_are_integers_and_dates(demo_db, tmp_path):
    stories = export_parquet(demo_db, "stories", tmp_path / "s.parquet")
    assert stories.schema.field("appearances").type == pa.int64()
    assert stories.schema.field("sources").type == pa.int64()
    with_story = export_parquet(demo_db, "articles_with_story", tmp_path / "w.parquet")
    for name in ("story_appearances", "story_sources", "first_reporter"):
        assert with_story.schema.field(name).type == pa.int64()
    items = export_parquet(demo_db, "news_items", tmp_path / "n.parquet")
    assert items.schema.field("digest_date").type == pa.date32()
    assert items.schema.field("event_date").type == pa.date32()
    sqlite_max = sqlite3.connect(demo_db).execute(
        "SELECT max(appearances) FROM stories").fetchone()[0]
    assert max(stories.column("appearances").to_pylist()) == sqlite_max


def test_duckdb_sums_and_compares_dates_without_casts(demo_db, tmp_path):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is a dev dependency")
    export_parquet(demo_db, "stories", tmp_path / "s.parquet")
    export_parquet(demo_db, "news_items", tmp_path / "n.parquet")
    conn, duck = sqlite3.connect(demo_db), duckdb.connect()
    total = duck.execute(f"SELECT sum(appearances) FROM '{tmp_path / 's.parquet'}'"
                         ).fetchone()[0]
    assert total == conn.execute("SELECT sum(appearances) FROM stories").fetchone()[0]
    day = duck.execute(f"SELECT count(*) FROM '{tmp_path / 'n.parquet'}' "
                     "WHERE digest_date = DATE '2023-03-08'").fetchone()[0]
    assert day == conn.execute("SELECT count(*) FROM news_items "
                               "WHERE digest_date = '2023-03-08'").fetchone()[0] > 0


def test_a_day_precision_time_is_its_beijing_midnight(tmp_path):
    from archive.export_writers import to_instant

    assert to_instant("2023-03-08").isoformat() == "2023-03-08T00:00:00+08:00"
    assert to_instant("2023-03").isoformat() == "2023-03-01T00:00:00+08:00"
    assert to_instant("2023-03-07T16:02:00Z").isoformat() == "2023-03-07T16:02:00+00:00"
    assert column_type("event_date") == "date" and column_type("site_id") == "text"
    assert date(2023, 3, 8).isoformat() == "2023-03-08"


def test_the_dataset_card_has_no_python_reprs(demo_db, tmp_path):
    export_parquet(demo_db, "stories", tmp_path / "s.parquet")
    card = (tmp_path / "s.parquet.README.md").read_text("utf-8")
    assert "{'" not in card and "None" not in card
    assert "last run #1 " in card and "| `appearances` | int64 |" in card
