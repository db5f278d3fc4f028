"""Helpers for the backfill tests: a backfill in a subprocess, the mirror archive's request
log, row counts, and the truth's pages a window of captures must store."""

from __future__ import annotations

from collections.abc import Iterable

from archive.db import open_db
from crawler.sites import canonical_url
from pipelines.runs import CONTENT_TABLES
from tests.support import run_cli

LOGS = {"wayback": "/_mirror/wayback/log", "commoncrawl": "/_mirror/commoncrawl/log"}
WINDOW = ("20230307160000", "20230308155959")  # the Beijing day 2023-03-08 in UTC


def log(mirror, archive: str) -> list[list]:
    """[monotonic time, kind, status, path] of every request the mirror's archive got."""
    return mirror.get_json(LOGS[archive])


def backfill(mirror, archive: str, db_path, *args: str):
    """Run `newsarchive backfill --from archive` on the mirror: (result, requests it sent)."""
    before = len(log(mirror, archive))
    result = run_cli("backfill", "--from", archive, "--mirror", mirror.url,
                     "--db", str(db_path), *args)
    return result, log(mirror, archive)[before:]


def counts(db_path) -> dict[str, int]:
    db = open_db(db_path, readonly=True)
    return {t: db[t].count for t in CONTENT_TABLES}


def with_links(truth, captured: Iterable[str]) -> dict:
    """The truth's pages: those captured, and the pages their digests link."""
    urls = {canonical_url(u) for u in captured}
    for url in list(urls):
        page = truth["pages"][url]
        if page["kind"] == "digest":
            urls |= {canonical_url(rec["url"]) for rec in page["recommendations"]
                     if rec["url"] and canonical_url(rec["url"]) in truth["pages"]}
    return {"pages": {u: truth["pages"][u] for u in sorted(urls)}}


DAY = ("--since", "2023-03-08", "--until", "2023-03-08")


def walk_in_slices(mirror, archive: str, db_path, args: tuple[str, ...], budget: int,
                   runs: int) -> list[str | None]:
    """Backfill in runs of at most ``budget`` requests until one ends without its budget
    spent (at most ``runs``); the foresight walk's resume key after each run."""
    keys = []
    for _ in range(runs):
        result, sent = backfill(mirror, archive, db_path, *args, "--max-requests", str(budget))
        assert result.returncode == 0, result.stderr[-2000:]
        assert len(sent) <= budget
        key = open_db(db_path, readonly=True).execute(
            "SELECT resume_key FROM backfill_state WHERE source = 'foresight'").fetchone()
        keys.append(key[0] if key else None)
        if "budget" not in result.stderr:
            return keys
    raise AssertionError(f"the walk did not end in {runs} runs of {budget} requests")


def assert_rates(sent: list[list], rates: dict[str, float], least: int = 8) -> None:
    """Requests of each kind arrived at most ``rate`` a second: the mirror's clock counts
    what arrived in every 2-second window; the turns are 1/rate apart when sent (arrival
    times jitter on a busy machine, hence half that as the smallest gap)."""
    for kind, rate in rates.items():
        times = sorted(t for t, k, _, _ in sent if k in kind.split("+"))
        assert len(times) >= least, (kind, len(times))
        busiest = max(sum(1 for u in times if t <= u < t + 2.0) for t in times)
        assert busiest <= 2.0 * rate + 1, (kind, busiest)
        assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.5 / rate
