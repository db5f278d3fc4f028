"""One rule for --since/--until in every command (newsarchive.cli_options.to_window).

A bare date is a Beijing calendar day (the sites' own zone); --until includes its day;
a time must carry a zone. The real digest was published 2023-03-08 00:02 Beijing time.
"""

from __future__ import annotations

import json

import click
import pytest

from newsarchive.cli import main
from newsarchive.cli_options import to_window


@pytest.mark.parametrize(("since", "until", "window"), [
    ("2023-03-08", "2023-03-08", ("2023-03-07T16:00:00Z", "2023-03-08T16:00:00Z")),
    ("2023-03-08T00:02:00+08:00", None, ("2023-03-07T16:02:00Z", None)),
    (None, "2023-03-07T16:02:00Z", (None, "2023-03-07T16:02:00Z")),
    (" 2023-03-08 ", None, ("2023-03-07T16:00:00Z", None)),
])
def test_window(since, until, window):
    got = to_window(since, until)
    assert (got.since, got.until) == window


@pytest.mark.parametrize(("since", "until", "message"), [
    ("2023-03-08T10:00", None, "no time zone"),
    ("yesterday", None, "not a date"),
    ("2023-03-08", "2023-03-07", "before"),
    ("2023-03-08T12:00:00Z", "2023-03-08T12:00:00Z", "before"),
])
def test_bad_windows_are_usage_errors(since, until, message):
    with pytest.raises(click.BadParameter, match=message):
        to_window(since, until)


def test_export_of_the_real_digests_beijing_day_includes_its_items(demo_db, tmp_path):
    out = tmp_path / "day.jsonl"
    assert main(["export", "--db", str(demo_db), "--format", "jsonl", "--out", str(out),
                 "--since", "2023-03-08", "--until", "2023-03-08"]) == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    real = [r for r in rows if r["digest_published_at"] == "2023-03-07T16:02:00Z"]
    assert real and {r["digest_date"] for r in rows} == {"2023-03-08"}


@pytest.mark.parametrize("argv", [
    ["search", "比特币", "--since", "2023-03-08T10:00"],
    ["stories", "--since", "2023-03-08T10:00"],
    ["reparse", "--since", "2023-03-08T10:00"],
    ["crawl", "--since", "2023-03-08T10:00"],
    ["export", "--format", "csv", "--out", "never.csv", "--since", "2023-03-08T10:00"],
])
def test_every_command_refuses_a_time_without_a_zone(demo_db, argv, capsys):
    assert main([*argv[:1], "--db", str(demo_db), *argv[1:]]) == 2
    assert "no time zone" in capsys.readouterr().err


def test_stories_and_search_read_a_bare_date_as_a_beijing_day(demo_db, capsys):
    """The real digest (16:02Z on 03-07) is on or after the Beijing day 2023-03-08."""
    assert main(["search", "--db", str(demo_db), "--json", "--since", "2023-03-08",
                 "定制虚拟化身"]) in (0, None)
    out = capsys.readouterr().out
    assert "2023-03-07T16:02:00Z" in out
