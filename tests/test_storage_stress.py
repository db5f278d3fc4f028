"""Catalogue 35-40, storage under stress, each against a real `newsarchive crawl` subprocess.

SIGTERM once and twice, a second crawl and an importer while a crawl writes, an analyst
holding a read transaction through a whole crawl, a full disk, a backup taken mid-crawl.
Each ends with an archive that passes integrity_check; the interrupted ones are rerun and
must then equal an undisturbed crawl.

Disk full is simulated with RLIMIT_FSIZE in the crawl's process (SIGXFSZ ignored, so a
write past the limit fails with EFBIG as on a full disk): unlike ``PRAGMA max_page_count``
it needs no hook in the code under test, and it hits every file the crawl writes (WAL,
database, WARC), as a real full disk does.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import time
import urllib.request

import pytest

from archive.db import open_db
from tests.support import NEWSARCHIVE, ROOT, MirrorProcess, run_cli
from tests.test_cron_kill import snapshot, stored_fetches

pytestmark = pytest.mark.crawl
SCALE = 20


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=SCALE, seed=5) as running:
        yield running


@pytest.fixture(scope="module")
def uninterrupted(mirror, tmp_path_factory):
    path = tmp_path_factory.mktemp("whole") / "a.db"
    assert run_cli("crawl", "--mirror", mirror.url, "--db", str(path)).returncode == 0
    return snapshot(path)


SLOW = ("-s", "DOWNLOAD_DELAY=0.3", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
"""A crawl slow enough (about 30 s) for other processes to start while it runs."""


def start_crawl(mirror, path, *args: str, **popen) -> subprocess.Popen[str]:
    return subprocess.Popen([*NEWSARCHIVE, "crawl", "--mirror", mirror.url, "--db", str(path),
                             *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, **popen)


def wait_for(proc, path, fetches: int) -> None:
    while stored_fetches(path) < fetches:
        assert proc.poll() is None, f"the crawl ended before {fetches} fetches"
        time.sleep(0.01)


def last_run(path) -> dict:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return dict(conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone())


@pytest.mark.slow  # a crawl held open for seconds; `make test-slow`
@pytest.mark.parametrize(("signals", "status"), [(1, "shutdown"), (2, "forced_shutdown")])
def test_sigterm_stops_cleanly_and_the_next_run_completes(mirror, uninterrupted, tmp_path,
                                                          signals, status):
    path = tmp_path / "a.db"
    # slow, so that the signals land while pages are still being fetched: the writer
    # process stores behind the crawl, and a quick crawl is done fetching by then
    proc = start_crawl(mirror, path, *SLOW)
    wait_for(proc, path, 30)
    for _ in range(signals):
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.05)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert err.strip().splitlines()[-1].startswith(f"error: stopped early ({status})")
    run = last_run(path)
    assert run["status"] == status and run["finished_at"] and run["exit_code"] == 1
    assert stored_fetches(path) >= 30          # what was fetched stays
    assert run_cli("crawl", "--mirror", mirror.url, "--db", str(path)).returncode == 0
    assert snapshot(path) == uninterrupted     # integrity_check inside; nothing twice


@pytest.mark.slow  # a crawl held open for seconds; `make test-slow`
def test_a_second_crawl_is_refused_and_an_import_writes_beside_the_crawl(mirror, uninterrupted,
                                                                       tmp_path):
    path = tmp_path / "a.db"
    url = next(u for u, p in mirror.get_json("/_mirror/truth.json")["pages"].items()
               if p["kind"] == "article")
    page = tmp_path / "page.html"
    with urllib.request.urlopen(f"{mirror.url}/{url.split('://', 1)[1]}", timeout=60) as answer:
        page.write_bytes(answer.read())
    proc = start_crawl(mirror, path, *SLOW)
    wait_for(proc, path, 10)
    second = run_cli("crawl", "--mirror", mirror.url, "--db", str(path))
    imported = [run_cli("import", str(page), "--url", url, "--db", str(path))
                for _ in range(2)]  # a second writer, while the crawl runs
    assert proc.poll() is None, "the crawl ended before the other writers ran"
    _, err = proc.communicate(timeout=300)
    assert second.returncode == 3 and "another crawl is running" in second.stderr
    assert [r.returncode for r in imported] == [0, 0], imported[0].stderr[-1000:]
    assert proc.returncode == 0 and "database is locked" not in err
    assert snapshot(path)[0][url]["kind"] == "article"
    assert snapshot(path)[2] == uninterrupted[2]


def test_an_analyst_read_transaction_does_not_block_the_crawl(mirror, tmp_path):
    path = tmp_path / "a.db"
    open_db(path).close()
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    reader.execute("BEGIN")
    before = reader.execute("SELECT count(*) FROM captures").fetchone()[0]
    result = run_cli("crawl", "--mirror", mirror.url, "--db", str(path))  # reader still open
    assert result.returncode == 0 and "database is locked" not in result.stderr
    assert reader.execute("SELECT count(*) FROM captures").fetchone()[0] == before  # snapshot
    reader.execute("COMMIT")
    reader.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] > 50
    # the held snapshot kept the WAL from being reset; once it is gone, a checkpoint is not
    # starved: it completes (busy 0) and truncates the WAL to nothing
    assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    assert os.path.getsize(f"{path}-wal") == 0
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_full_disk_stops_the_crawl_with_one_line_and_the_archive_intact(mirror, uninterrupted,
                                                                         tmp_path):
    path = tmp_path / "a.db"
    open_db(path).close()
    limit = 1_000_000

    def full_disk_at_limit() -> None:  # runs in the child, before exec
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = start_crawl(mirror, path, preexec_fn=full_disk_at_limit)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1
    assert err.strip().splitlines()[-1].startswith("error: cannot write the archive")
    assert "Traceback" not in err
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # no partial page: every stored article and digest has its capture and its parts
    assert conn.execute("SELECT count(*) FROM articles a LEFT JOIN captures c "
                        "ON c.id = a.capture_id WHERE c.id IS NULL").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM digests d WHERE NOT EXISTS (SELECT 1 FROM "
                        "digest_items i WHERE i.digest_id = d.id)").fetchone()[0] == 0
    conn.close()
    assert run_cli("crawl", "--mirror", mirror.url, "--db", str(path)).returncode == 0
    assert snapshot(path) == uninterrupted


@pytest.mark.slow  # a crawl held open for seconds; `make test-slow`
def test_a_backup_taken_during_a_crawl_is_consistent(mirror, tmp_path):
    path = tmp_path / "a.db"
    proc = start_crawl(mirror, path, *SLOW)
    copies = []
    for n, fetches in enumerate((20, 60)):
        wait_for(proc, path, fetches)
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        backup, vacuumed = tmp_path / f"backup{n}.db", tmp_path / f"vacuum{n}.db"
        with sqlite3.connect(backup) as target:
            source.backup(target)                       # the online backup API
        source.execute("VACUUM INTO ?", [str(vacuumed)])  # or one statement
        source.close()
        copies += [backup, vacuumed]
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-2000:]
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] >= 20
