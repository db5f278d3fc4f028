"""newsarchive.cli: help on every command, one-line errors with the right exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from archive import store
from archive.db import open_db
from newsarchive.cli import cli, main


def commands() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("name", commands())
def test_every_command_has_help(name):
    command = cli.commands[name]
    assert command.help and len(command.help.split()) >= 4, f"{name} has no help text"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize("name", commands())
def test_every_option_has_help(name):
    for param in cli.commands[name].params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help"


def test_the_expected_commands_exist():
    assert {"demo", "crawl", "mirror", "parse", "stats"} <= set(commands())


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: ")
    return err[0]


def test_stats_on_a_missing_archive(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "none.db")]) == 1
    assert "no archive at" in one_error_line(capsys)


def test_bad_mirror_url_is_usage_error(tmp_path, capsys):
    assert main(["crawl", "--db", str(tmp_path / "a.db"), "--mirror", "localhost"]) == 2
    assert "not an http(s) URL" in one_error_line(capsys)


def test_bad_setting_pair_is_usage_error(tmp_path, capsys):
    assert main(["crawl", "--db", str(tmp_path / "a.db"), "-s", "NOEQUALS"]) == 2
    assert "NAME=VALUE" in one_error_line(capsys)


def test_unknown_source_is_usage_error(capsys):
    assert main(["crawl", "--source", "coindesk"]) == 2
    assert "coindesk" in one_error_line(capsys)


def test_parse_missing_file_is_usage_error(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "none.html"), "--url", "https://www.8btc.com/"]) == 2
    assert "does not exist" in one_error_line(capsys)


def test_parse_bad_fetched_at(tmp_path, capsys):
    page = tmp_path / "p.html"
    page.write_text("<html></html>")
    assert main(["parse", str(page), "--url", "https://www.8btc.com/article/1",
                 "--fetched-at", "yesterday"]) == 2
    assert "ISO 8601" in one_error_line(capsys)


def test_stats_table_and_json(tmp_path, capsys, article):
    path = tmp_path / "a.db"
    db = open_db(path)
    store.save_article(db, article)
    db.close()
    assert main(["stats", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "articles" in out and "标题" in out
    assert main(["stats", "--db", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["tables"]["articles"] == 1


FIXTURES = Path(__file__).parent / "fixtures"
READABLE = sorted(p for p in FIXTURES.glob("*/*.html")
                  if "error" not in json.loads(p.with_suffix(".json").read_text("utf-8")))
UNREADABLE = sorted(p for p in FIXTURES.glob("*/*.html")
                    if "error" in json.loads(p.with_suffix(".json").read_text("utf-8")))


@pytest.mark.parametrize("page", READABLE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_parse_prints_exactly_the_expected_object(page, capsys):
    expected = json.loads(page.with_suffix(".json").read_text("utf-8"))
    fetched = ["--fetched-at", expected["_fetched_at"]] if "_fetched_at" in expected else []
    expected = {k: v for k, v in expected.items() if not k.startswith("_")}
    assert main(["parse", str(page), "--url", expected["url"], *fetched]) == 0
    assert json.loads(capsys.readouterr().out) == expected


@pytest.mark.parametrize("page", UNREADABLE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_parse_unreadable_page_exits_1_with_one_line(page, capsys):
    expected = json.loads(page.with_suffix(".json").read_text("utf-8"))
    assert main(["parse", str(page), "--url", expected["url"]]) == 1
    assert "cannot read" in one_error_line(capsys)


def test_parse_reads_relative_dates_against_fetched_at(tmp_path, capsys):
    from tests.test_normalize import RELATIVE_PAGE

    page = tmp_path / "p.html"
    page.write_text(RELATIVE_PAGE, encoding="utf-8")
    url = "https://www.8btc.com/article/5"
    assert main(["parse", str(page), "--url", url]) == 0
    assert json.loads(capsys.readouterr().out)["published_at"] is None
    fetched = "2024-05-20T10:30:00+08:00"
    assert main(["parse", str(page), "--url", url, "--fetched-at", fetched]) == 0
    assert json.loads(capsys.readouterr().out)["published_at"] == "2024-05-19T23:30:00Z"


def test_parse_fetched_at_needs_a_zone(tmp_path, capsys):
    page = tmp_path / "p.html"
    page.write_text("<html></html>")
    assert main(["parse", str(page), "--url", "https://www.8btc.com/article/1",
                 "--fetched-at", "2024-05-20T10:30:00"]) == 2
    assert "no time zone" in one_error_line(capsys)


@pytest.mark.parametrize("argv", [
    ["crawl", "--mirror", "http://127.0.0.1:1"], ["reindex"], ["stats"], ["health"],
    ["stories"], ["search", "比特币"], ["check"], ["reparse"],
])
def test_another_sqlite_file_is_refused_in_one_line_and_left_alone(tmp_path, capsys, argv):
    import sqlite3

    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert main([argv[0], "--db", str(path), *argv[1:]]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"error: {path} is a SQLite file but not a newsarchive archive"]
    assert path.read_bytes() == before


def test_crawl_into_a_missing_folder_is_refused(tmp_path, capsys):
    assert main(["crawl", "--db", str(tmp_path / "typo" / "a.db"),
                 "--mirror", "http://127.0.0.1:1"]) == 1
    assert capsys.readouterr().err.startswith("error: no folder")
    assert not (tmp_path / "typo").exists()


def test_bare_newsarchive_prints_its_help(capsys):
    assert main([]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Usage: newsarchive") and captured.err == ""
