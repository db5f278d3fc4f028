"""Distributed crawls (issue 10): workers on scrapy-redis, one writer, against the mirror.

A real redis-server runs on a free loopback port (tests/redis_support.py). Workers
(`newsarchive crawl --redis`) and the writer (`newsarchive ingest`) run as subprocesses;
the archive they build must equal a single-process crawl's, also when a worker is
killed with kill -9 in the middle, and incremental state must carry across modes.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time

import pytest

from archive.db import open_db
from tests.redis_support import RedisServer
from tests.support import NEWSARCHIVE, ROOT, MirrorProcess, archived_pages, run_cli

pytestmark = pytest.mark.crawl
SCALE = 20
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=SCALE, seed=5) as running:
        yield running


def snapshot(path):
    """Pages, links, per-table counts and capture identities: what a crawl must produce."""
    db = open_db(path, readonly=True)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    links = sorted(db.execute(
        "SELECT d.canonical_url, l.canonical_url, a.canonical_url FROM digest_links l "
        "JOIN digests d ON d.id = l.digest_id LEFT JOIN articles a ON a.id = l.article_id"))
    counts = {t: db[t].count for t in ("captures", "digests", "digest_items",
                                       "recommendations", "articles", "digest_links",
                                       "stories", "story_members", "listing_marks")}
    captures = sorted(db.execute("SELECT url, status, body_sha256, error_kind FROM captures"))
    marks = sorted(db.execute("SELECT listing, high_water_at FROM listing_marks"))
    return {"pages": archived_pages(db), "links": links, "counts": counts,
            "captures": captures, "marks": marks}


@pytest.fixture(scope="module")
def local(mirror, tmp_path_factory):
    path = tmp_path_factory.mktemp("local") / "a.db"
    result = run_cli("crawl", "--mirror", mirror.url, "--db", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    return snapshot(path)


def start_writer(redis_server, db, *args):
    return subprocess.Popen([*NEWSARCHIVE, "ingest", "--redis", redis_server.url, "--db",
                             str(db), "--idle-seconds", "60", *args], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def start_worker(redis_server, mirror, *args):
    return subprocess.Popen([*NEWSARCHIVE, "crawl", "--redis", redis_server.url, "--mirror",
                             mirror.url, "--idle-seconds", "3", *args], cwd=ROOT, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc, timeout=300):
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, out + err[-3000:]
    return out


def stored_captures(path) -> int:
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def test_three_workers_and_one_writer_build_the_archive_a_local_crawl_builds(
        redis_server, mirror, local, tmp_path):
    db = tmp_path / "a.db"
    warc = tmp_path / "a-warc"  # the archive's own WARC folder, shared by the workers
    writer = start_writer(redis_server, db)
    workers = [start_worker(redis_server, mirror, "--warc-dir", str(warc)) for _ in range(3)]
    lines = [finish(w).strip().splitlines()[-1] for w in workers]
    summary = finish(writer).strip().splitlines()[-1]
    assert all(line.startswith("worker ") and "items pushed" in line for line in lines), lines
    assert summary.startswith("ingest: run 1 stored ") and "from 3 workers" in summary
    assert summary.endswith("queue empty"), summary
    assert snapshot(db) == local
    # every capture points at a WARC record a worker wrote; check finds them all
    check = run_cli("check", "--db", str(db))
    assert check.returncode == 0, check.stdout + check.stderr
    files = [f.name for f in warc.glob("*.warc.gz")]
    assert files and all(f.startswith("newsarchive-run000001-") for f in files), files
    assert redis_server.client().llen("newsarchive:foresight:requests") == 0


@pytest.mark.slow  # several full crawls; `make test-slow`
@pytest.mark.parametrize("restart", [False, True], ids=["others-finish", "restarted-finishes"])
def test_a_worker_killed_with_kill_9_loses_no_page(redis_server, mirror, local, tmp_path,
                                                   restart):
    db = tmp_path / "a.db"
    writer = start_writer(redis_server, db)
    victim = start_worker(redis_server, mirror)
    others = [] if restart else [start_worker(redis_server, mirror)]
    while stored_captures(db) < 25:
        assert victim.poll() is None, "the worker ended before it could be killed"
        time.sleep(0.01)
    os.kill(victim.pid, signal.SIGKILL)
    victim.communicate(timeout=30)
    if restart:
        others.append(start_worker(redis_server, mirror))
    for worker in others:
        finish(worker)
    assert finish(writer).strip().endswith("queue empty")
    assert snapshot(db)["pages"] == local["pages"]
    got = snapshot(db)
    for key in ("links", "captures", "marks"):
        assert got[key] == local[key], key
    assert {k: v for k, v in got["counts"].items()} == local["counts"]


def distributed_crawl(redis_server, mirror, db):
    writer = start_writer(redis_server, db)
    finish(start_worker(redis_server, mirror))
    return finish(writer)


@pytest.mark.slow  # several full crawls; `make test-slow`
def test_incremental_state_carries_from_distributed_to_local_and_back(redis_server, mirror,
                                                                      tmp_path):
    db = tmp_path / "a.db"
    distributed_crawl(redis_server, mirror, db)
    local = run_cli("crawl", "--mirror", mirror.url, "--db", str(db))
    assert local.returncode == 0, local.stderr[-2000:]
    distributed_crawl(redis_server, mirror, db)
    archive = open_db(db, readonly=True)
    runs = list(archive.execute("SELECT target, requests, new_rows FROM runs ORDER BY id"))
    assert [r[0] for r in runs] == ["redis", mirror.url, "redis"]
    # after a complete crawl, a run re-reads the first listing pages (and robots.txt) only
    for target, requests, new_rows in runs[1:]:
        assert requests <= 10, runs
        assert set(json.loads(new_rows).values()) == {0}, (target, new_rows)
    twice = list(archive.execute(
        "SELECT url FROM captures WHERE page_kind IN ('digest', 'article') "
        "AND seen_count > 1"))
    assert twice == []
