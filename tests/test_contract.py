"""One contract for every command: bad input gives exit 1 or 2, exactly one stderr line
starting with ``error:``, no traceback, and nothing written.

The matrix is built from each click command's own parameters (--db, --since, --until,
--out, --port, a FILE or QUERY argument...), so a new command is covered as soon as it is
registered; test_every_command_is_in_the_matrix fails for one that no case reaches.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import click
import pytest

from archive.db import open_db
from newsarchive.cli import cli, main

URL = "https://www.8btc.com/article/1"
# What each command needs besides the input under test, all harmless: nothing listens on
# 127.0.0.1:1, so a command that got past its checks would fail, not crawl the live sites.
BASE: dict[str, list[str]] = {
    "crawl": ["--mirror", "http://127.0.0.1:1"],
    "backfill": ["--from", "wayback", "--mirror", "http://127.0.0.1:1"],
    "ingest": ["--redis", "redis://127.0.0.1:1/0", "--idle-seconds", "0"],
    "export": ["--format", "csv", "--out", "{tmp}/out.csv"],
    "report": ["--out", "{tmp}/report.html"],
    "parse": ["{page}", "--url", URL],
    "import": ["{page}", "--url", URL],
    "parse-date": ["3 月 7 日"],
    "search": ["比特币"],
}
CREATES = {"crawl", "backfill", "ingest", "import", "demo"}
"""Commands for which a missing archive file (in an existing folder) is a new archive."""


def has(command: click.Command, option: str) -> bool:
    return any(option in p.opts for p in command.params)


def cases() -> list[tuple[str, str, list[str]]]:
    """(command, case, argv) for every command and every bad input it accepts."""
    out = []
    for name, command in sorted(cli.commands.items()):
        base = BASE.get(name, [])

        def add(case, *args, base=base, name=name):
            out.append((name, case, [name, *base, *args]))
        add("unknown option", "--no-such-option")
        if has(command, "--db"):
            add("db in a missing folder", "--db", "{tmp}/typo/a.db")
            add("db is a directory", "--db", "{tmp}")
            add("db is another SQLite file", "--db", "{other}")
            add("db is not SQLite", "--db", "{junk}")
            if name not in CREATES:
                add("db missing", "--db", "{tmp}/missing.db")
        db = ["--db", "{archive}"] if has(command, "--db") else []
        if has(command, "--since"):
            add("bad date", *db, "--since", "yesterday")
            add("time without a zone", *db, "--since", "2023-03-08T10:00")
        if has(command, "--until"):
            add("reversed dates", *db, "--since", "2023-03-08", "--until", "2023-03-07")
        if has(command, "--out"):
            add("unwritable output", *db, "--out", "{junk}/x.out")
        if has(command, "--port"):
            add("busy port", *db, "--port", "{busy}")
        if name in ("parse", "import"):
            out.append((name, "missing file", [name, "{tmp}/nope.html", "--url", URL, *db]))
            out.append((name, "directory as file", [name, "{tmp}", "--url", URL, *db]))
            out.append((name, "not a page", [name, "{junk}", "--url", URL, *db]))
    out += [
        ("search", "empty query", ["search", "", "--db", "{archive}"]),
        ("export", "empty query", ["export", *BASE["export"], "--db", "{archive}",
                                   "--query", ""]),
        ("export", "mismatched format", ["export", "--db", "{archive}", "--format", "csv",
                                         "--out", "{tmp}/x.parquet"]),
        ("crawl", "log file in a missing folder", ["crawl", *BASE["crawl"], "--db",
                                                   "{archive}", "--log-file", "{tmp}/no/x"]),
    ]
    return out


CASES = cases()


@pytest.fixture
def places(tmp_path):
    """The files the cases point at, and a port something listens on."""
    work = tmp_path / "work"
    work.mkdir()
    other = work / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    (work / "junk.txt").write_text("not a database, not a page\n" * 40)
    (work / "page.html").write_text("<html><body><p>hello</p></body></html>")
    open_db(work / "archive.db").close()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield {"tmp": str(work), "other": str(other), "junk": str(work / "junk.txt"),
           "page": str(work / "page.html"), "archive": str(work / "archive.db"),
           "busy": str(listener.getsockname()[1])}
    listener.close()


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("name", "case", "argv"), CASES,
                         ids=[f"{n}: {c}" for n, c, _ in CASES])
def test_bad_input_is_one_line_and_writes_nothing(places, capsys, name, case, argv):
    work = Path(places["tmp"])
    before = snapshot(work)
    code = main([arg.format(**places) for arg in argv])
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code in (1, 2), (code, captured.err[-2000:])
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err[-2000:]
    assert "Traceback" not in captured.err + captured.out
    assert snapshot(work) == before


def test_every_command_is_in_the_matrix():
    covered = {name for name, case, _ in CASES if case != "unknown option"}
    assert covered == set(cli.commands) - {"parse-date"}  # parse-date has no file nor date
    assert {name for name, _, _ in CASES} == set(cli.commands)
