"""archive.cli: help on every command, one-line errors with the right exit codes."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from archive import store
from archive.cli import cli, main
from archive.db import open_db


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
    import json
    assert json.loads(capsys.readouterr().out)["tables"]["articles"] == 1
