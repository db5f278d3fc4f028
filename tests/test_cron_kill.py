"""kill -9 of a crawl at random moments, then a rerun: the archive is whole and complete.

A crawl is killed (SIGKILL, no cleanup) at several moments of a first crawl, each time
on a fresh archive; the rerun must leave an archive that passes integrity_check and
equals an uninterrupted crawl's: the same pages, items and links, nothing twice.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from archive.db import open_db
from tests.support import NEWSARCHIVE, ROOT, MirrorProcess, archived_pages, run_cli

pytestmark = pytest.mark.crawl
SCALE = 20


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=SCALE, seed=5) as running:
        yield running


def snapshot(path):
    db = open_db(path, readonly=True)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    links = sorted(db.execute(
        "SELECT d.canonical_url, l.canonical_url, a.canonical_url FROM digest_links l "
        "JOIN digests d ON d.id = l.digest_id LEFT JOIN articles a ON a.id = l.article_id"))
    counts = {t: db[t].count for t in ("digests", "digest_items", "recommendations",
                                       "articles", "digest_links")}
    return archived_pages(db), links, counts


def stored_fetches(path) -> int:
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    except sqlite3.Error:  # not created or not migrated yet
        return 0
    finally:
        conn.close()


@pytest.fixture(scope="module")
def uninterrupted(mirror, tmp_path_factory):
    path = tmp_path_factory.mktemp("whole") / "a.db"
    assert run_cli("crawl", "--mirror", mirror.url, "--db", str(path)).returncode == 0
    return snapshot(path)


# Seed 1 in `make test`; the other kill points are slow variants (`make test-slow`, run by CI).
@pytest.mark.parametrize("seed", [1, *(pytest.param(s, marks=pytest.mark.slow) for s in (2, 3, 4))])
def test_kill_9_then_rerun_equals_an_uninterrupted_crawl(mirror, uninterrupted, tmp_path,
                                                         seed):
    path = tmp_path / "a.db"
    # the kill point: after a random number of stored fetches (the crawl is too quick
    # for wall-clock delays to land inside it reliably)
    point = random.Random(seed).randint(5, 90)
    proc = subprocess.Popen([*NEWSARCHIVE, "crawl", "--mirror", mirror.url, "--db", str(path)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    while stored_fetches(path) < point:
        assert proc.poll() is None, f"the crawl ended before {point} fetches"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    result = run_cli("crawl", "--mirror", mirror.url, "--db", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert snapshot(path) == uninterrupted
