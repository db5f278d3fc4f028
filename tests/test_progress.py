"""Progress on a terminal for crawl, import, reparse, reindex and export; nothing extra
when stderr is not a terminal (newsarchive/progress.py)."""

from __future__ import annotations

import fcntl
import os
import pty
import sqlite3
import struct
import subprocess
import termios

import pytest

from archive.warc import warc_dir_for
from newsarchive.cli import main
from tests.support import NEWSARCHIVE, ROOT, MirrorProcess


@pytest.mark.parametrize(("argv", "label"), [
    (["export", "--format", "jsonl", "--out", "{tmp}/x.jsonl"], "exporting news_items"),
    (["reindex"], "indexing"),
    (["reparse"], "re-parsing"),
])
def test_long_commands_draw_progress_only_on_a_terminal(demo_db, tmp_path, capsys,
                                                        monkeypatch, argv, label):
    db = tmp_path / "a.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    (tmp_path / "a-warc").symlink_to(warc_dir_for(demo_db), target_is_directory=True)
    args = [a.format(tmp=tmp_path) for a in argv] + ["--db", str(db)]
    monkeypatch.delenv("NEWSARCHIVE_PROGRESS", raising=False)
    main(args)  # pytest's stderr is not a terminal
    assert label not in capsys.readouterr().err
    monkeypatch.setenv("NEWSARCHIVE_PROGRESS", "1")
    main(args)
    assert label in capsys.readouterr().err


@pytest.mark.crawl
def test_a_crawl_on_a_terminal_shows_requests_items_and_errors(tmp_path):
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "NEWSARCHIVE_PROGRESS"}
    with MirrorProcess(scale=10, seed=2) as mirror:
        proc = subprocess.Popen([*NEWSARCHIVE, "crawl", "--mirror", mirror.url, "--db",
                                 str(tmp_path / "a.db"), "-s", "DOWNLOAD_DELAY=0.02"],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=secondary)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the pty closed: the crawl ended
                break
            if not chunk:
                break
            seen += chunk
        proc.wait(timeout=300)
    os.close(primary)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text[-2000:]
    assert "crawling" in text and "requests" in text and "items=" in text and "errors=" in text
