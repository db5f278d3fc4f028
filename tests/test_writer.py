"""The writer process of a local crawl (ARCHIVE_WRITER = "process"): items in, archive out.

The parts without a crawl: the writer stores what it is handed through the project's
pipelines and reports its stats; an item it cannot store is counted, not fatal; a
writer that dies or cannot write makes the run a storage error. Then real crawls: the
same archive as storing inline, and no writer left behind when the crawl is killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import store
from archive.db import open_db
from crawler.items import Article, Capture, ListingEntry
from newsarchive.run import with_writer_stats
from pipelines.handoff import WriterProcess
from pipelines.runs import run_message, stopped_early
from tests.support import NEWSARCHIVE, ROOT, MirrorProcess, run_cli
from tests.test_cron_kill import snapshot, stored_fetches


def capture(n: int, **extra) -> Capture:
    url = f"https://www.8btc.com/article/{n}"
    return Capture(url=url, final_url=url, status=200, fetched_at="2023-03-07T16:02:00Z",
                   body_sha256=f"{n:064x}", site="8btc", page_kind="article", **extra)


def article(n: int) -> Article:
    url = f"https://www.8btc.com/article/{n}"
    return Article(url=url, canonical_url=url, site="8btc", site_id=str(n), title=f"标题{n}",
                   author=None, published_raw="2023-03-07 10:00",
                   published_at="2023-03-07T02:00:00Z", summary=None,
                   text=f"第{n}篇：比特币价格今日上涨{n}%，以太坊随之走高。", capture=capture(n))


def new_run(path: Path) -> int:
    db = open_db(path)
    run_id = store.save_run_start(db, started_at="2023-03-07T16:00:00Z", spiders="8btc",
                                  target="test")
    db.close()
    return run_id


def test_the_writer_stores_every_item_it_is_handed_and_reports_its_stats(tmp_path):
    path = tmp_path / "a.db"
    writer = WriterProcess.start(str(path), None, {"LOG_LEVEL": "WARNING"}, new_run(path))
    for n in range(1, 41):
        writer.send(article(n))
    writer.send(capture(99, error_kind="not_found", error="HTTP 404"))
    stats = writer.finish()
    assert stats["writer/items_stored"] == 41
    assert stats["archive/articles/new"] == 40 and stats["archive/errors/not_found"] == 1
    assert stats["writer/peak_rss_kib"] > 0 and "archive/storage_error" not in stats
    db = open_db(path, readonly=True)
    assert db["articles"].count == 40 and db["captures"].count == 41
    assert db.execute("SELECT count(*) FROM story_members").fetchone()[0] == 40


def test_a_writer_told_to_profile_itself_writes_its_profile(tmp_path, monkeypatch):
    import pstats

    from pipelines.writer import PROFILE_ENV

    path = tmp_path / "a.db"
    monkeypatch.setenv(PROFILE_ENV, str(tmp_path / "writer.prof"))
    writer = WriterProcess.start(str(path), None, {"LOG_LEVEL": "WARNING"}, new_run(path))
    for n in range(1, 4):
        writer.send(article(n))
    assert writer.finish()["writer/items_stored"] == 3
    profiled = {name for _, _, name in pstats.Stats(str(tmp_path / "writer.prof")).stats}
    assert {"store_line", "process_item"} <= profiled


def test_an_item_the_writer_cannot_store_is_counted_and_the_rest_is_stored(tmp_path):
    path = tmp_path / "a.db"
    writer = WriterProcess.start(str(path), None, {"LOG_LEVEL": "CRITICAL"}, new_run(path))
    writer.send(article(1))
    writer.send(ListingEntry(site="8btc", site_id="2", url="https://www.8btc.com/article/2"))
    writer.send(article(3))
    stats = writer.finish()
    assert stats["writer/item_errors"] == 1 and stats["writer/items_stored"] == 2
    assert open_db(path, readonly=True)["articles"].count == 2
    merged = with_writer_stats({"finish_reason": "finished"}, stats)
    assert "could not store 1 items" in run_message("finished", [], merged)


def test_a_writer_that_dies_makes_the_run_a_storage_error(tmp_path):
    writer = WriterProcess.start(str(tmp_path / "a.db"), None, {}, 1,
                                 command=[sys.executable, "-c", "import sys; sys.exit(3)"])
    stats = writer.finish()
    assert stats["archive/storage_error"] == "the writer process ended with exit code 3"
    merged = with_writer_stats({"finish_reason": "finished", "item_scraped_count": 5}, stats)
    assert merged["finish_reason"] == "storage_error" and stopped_early(merged["finish_reason"])
    assert merged["item_scraped_count"] == 5
    assert run_message("storage_error", [], merged).startswith("cannot write the archive")


def test_a_crawl_stopped_by_a_signal_keeps_its_reason_with_the_writer_stats():
    merged = with_writer_stats({"finish_reason": "shutdown", "item_scraped_count": 3},
                               {"writer/items_stored": 3, "archive/articles/new": 3})
    assert merged["finish_reason"] == "shutdown" and merged["archive/articles/new"] == 3


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=20, seed=5) as running:
        yield running


@pytest.mark.crawl
# A long variant, run by `make test-slow` and CI:
# two whole crawls compared; the crawl tests use the writer process in `make test`.
@pytest.mark.slow
def test_the_writer_process_stores_what_storing_inline_stores(mirror, tmp_path):
    archives = {}
    for mode in ("process", "inline"):
        path = tmp_path / f"{mode}.db"
        result = run_cli("crawl", "--mirror", mirror.url, "--db", str(path),
                         "-s", f"ARCHIVE_WRITER={mode}")
        assert result.returncode == 0, result.stderr[-2000:]
        archives[mode] = snapshot(path)
        stats = json.loads(open_db(path, readonly=True).execute(
            "SELECT stats FROM runs").fetchone()[0])
        assert ("writer/items_stored" in stats) == (mode == "process")
    assert archives["process"] == archives["inline"]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


@pytest.mark.crawl
def test_a_killed_crawl_leaves_no_writer_behind(mirror, tmp_path):
    path = tmp_path / "a.db"
    proc = subprocess.Popen([*NEWSARCHIVE, "crawl", "--mirror", mirror.url, "--db", str(path),
                             "-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while stored_fetches(path) < 10:
        assert proc.poll() is None, "the crawl ended before 10 fetches"
        time.sleep(0.01)
    writers = children_of(proc.pid)
    assert len(writers) == 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while os.path.exists(f"/proc/{writers[0]}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{writers[0]}"), "the writer outlived its crawl"
    assert open_db(path, readonly=True).execute(
        "PRAGMA integrity_check").fetchone()[0] == "ok"
