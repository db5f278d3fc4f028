"""Cron-quiet crawls: warnings and errors only, one closing line; `health` for monitoring."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from archive import health, store
from archive.db import open_db
from newsarchive.cli import main
from tests.support import MirrorProcess, run_cli

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def archive_with_run(path, **counts):
    """An archive whose last run has one 8btc health row made from ``counts``."""
    db = open_db(path)
    run_id = store.save_run_start(db, started_at="2026-01-01T00:00:00Z", spiders="8btc",
                                  target="live")
    stats = {f"health/8btc/{k.replace('__', '/')}": v for k, v in counts.items()}
    row = health.assess_site("8btc", stats, {}, 0, None, NOW)
    store.save_run_end(db, run_id, finished_at="2026-01-01T00:01:00Z", status="finished",
                       requests=10, errors=0, stats=stats)
    health.save_health(db, run_id, [row])
    health.save_run_health(db, run_id, mode="incremental", new_rows={}, error_kinds={},
                           code=health.exit_code([row], False), message=row["detail"])
    db.close()
    return path


@pytest.mark.parametrize(("counts", "code", "state"), [
    ({"status__200": 10}, 0, "ok"),
    ({"status__200": 9, "status__none": 1, "errors__timeout": 1}, 4, "errors"),
    ({"status__403": 6, "errors__blocked": 6}, 4, "blocked"),
])
def test_health_json_and_exit_4_when_the_last_run_was_not_healthy(tmp_path, capsys, counts,
                                                                  code, state):
    path = archive_with_run(tmp_path / "a.db", **counts)
    assert main(["health", "--db", str(path), "--json"]) == code
    data = json.loads(capsys.readouterr().out)
    assert data["sources"][0]["state"] == state and data["healthy"] is (code == 0)
    assert data["run"]["id"] == 1 and isinstance(data["sources"][0]["status_mix"], dict)
    assert main(["health", "--db", str(path)]) == code


@pytest.fixture(scope="module")
def mirror():
    with MirrorProcess(scale=20, seed=5) as running:
        yield running


@pytest.mark.crawl
def test_a_default_crawl_of_the_mirror_is_cron_quiet(mirror, tmp_path):
    result = run_cli("crawl", "--mirror", mirror.url, "--db", str(tmp_path / "a.db"),
                     timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    err = result.stderr.splitlines()
    assert len(err) <= 5, err
    assert not [line for line in err if "INFO" in line or "Disabled" in line]
    out = result.stdout.splitlines()
    assert len(out) == 1 and out[0].startswith("run #1 finished: ")
    db = open_db(tmp_path / "a.db", readonly=True)
    digests = db.execute("SELECT count(*) FROM digests").fetchone()[0]
    assert f"added {digests} digests" in out[0] and out[0].endswith("exit 0")


@pytest.mark.crawl
def test_verbose_and_log_file(mirror, tmp_path):
    log = tmp_path / "crawl.log"
    result = run_cli("crawl", "--mirror", mirror.url, "--db", str(tmp_path / "a.db"),
                     "-v", "--log-file", str(log), "--max-pages", "1", timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == "" and "INFO: Spider closed (finished)" in log.read_text()
    again = run_cli("crawl", "--mirror", mirror.url, "--db", str(tmp_path / "a.db"), "-v",
                    "--max-pages", "1", timeout=300)
    assert "INFO" in again.stderr and again.stdout.startswith("run #2 finished: ")
