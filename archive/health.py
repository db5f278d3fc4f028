"""Run health: one ``source_health`` row per site per run, alarms, and the run's exit code.

Input is plain data: the run's counters (``health/<site>/...`` keys, see
pipelines.health), the archive's rows per site before and after the run, and the
null shares of the archive before the run (the baseline a layout change is seen
against). States, worst first: ``blocked`` (the site answers with blocks, not
pages), ``drift`` (a field's null share, or the share of unreadable pages, jumped),
``errors`` (some fetches failed), ``ok``, ``idle`` (nothing fetched).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from archive.tx import write_transaction

SITES = ("foresight", "8btc")
NULL_SQL = {
    "digests": {
        "published_at": "published_at IS NULL",
        "summary": "summary IS NULL OR summary = ''",
        "items": "NOT EXISTS (SELECT 1 FROM digest_items i WHERE i.digest_id = digests.id)",
    },
    "articles": {
        "author": "author IS NULL OR author = ''",
        "published_at": "published_at IS NULL",
        "summary": "summary IS NULL OR summary = ''",
        "tags": "tags IS NULL OR tags = '[]'",
    },
}
"""How a watched field counts as null in the archive (the pipeline counts the same fields)."""
DRIFT_JUMP = 0.5
"""A null share this much above the baseline is drift."""
MIN_SAMPLE = 5
"""Fewer pages than this (this run, or in the baseline) never raise drift."""
BLOCKED_SHARE = 0.2
"""A site whose answers are blocks at least this often is blocked."""
MIN_BLOCKS = 3
"""...and at least this many: one or two odd pages in a small run are errors, not a block."""
NOT_PARSE = frozenset({"not_found", "blocked", "http_error", "network", "timeout",
                       "connection_refused", "dns", "tls", "robots_disallowed", "ignored",
                       "not_mirrored"})
"""Error kinds that are not parse failures."""
ARCHIVED = ("archived_",)
"""Error kinds of what a web archive holds (a captured block page, "not archived"...):
facts about the archive, recorded, but neither our fetch errors nor parse failures."""
EXIT_CODES = {"ok": 0, "idle": 0, "errors": 1, "blocked": 4, "drift": 4}


def get_baseline(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """Per site: pages archived, null share per watched field, parse failure share."""
    out: dict[str, dict[str, Any]] = {}
    for site in SITES:
        shares: dict[str, float] = {}
        sizes: dict[str, int] = {}
        for table, fields in NULL_SQL.items():
            cols = ", ".join(f"sum(CASE WHEN {sql} THEN 1 ELSE 0 END)" for sql in fields.values())
            row = db.execute(f"SELECT count(*), {cols} FROM {table} WHERE site = ?",
                             [site]).fetchone()
            sizes[table] = row[0]
            for name, nulls in zip(fields, row[1:], strict=True):
                shares[f"{table}.{name}"] = (nulls or 0) / row[0] if row[0] else 0.0
        out[site] = {"sizes": sizes, "null_shares": shares}
    return out


def get_page_counts(db: sqlite_utils.Database) -> dict[str, tuple[int, str | None]]:
    """Per site: (digests + articles archived, when the newest of them was first seen)."""
    rows = db.execute(
        "SELECT site, count(*), max(first_seen_at) FROM (SELECT site, first_seen_at FROM "
        "digests UNION ALL SELECT site, first_seen_at FROM articles) GROUP BY site")
    return {site: (count, last) for site, count, last in rows}


def get_table_counts(db: sqlite_utils.Database, tables: tuple[str, ...]) -> dict[str, int]:
    """Rows per content table, to report the new rows of a run."""
    return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}


def _site_counts(stats: Mapping[str, Any], site: str) -> dict[str, dict[str, int]]:
    prefix = f"health/{site}/"
    out: dict[str, dict[str, int]] = {"status": {}, "errors": {}, "blocks": {}, "seen": {},
                                      "null": {}}
    for key, value in stats.items():
        if not key.startswith(prefix):
            continue
        parts = key[len(prefix):].split("/")
        if parts[0] in ("status", "errors", "blocks"):
            out[parts[0]][parts[1]] = int(value)
        elif parts == ["requests"]:
            out["sent"] = {"requests": int(value)}
        elif len(parts) == 2 and parts[1] == "seen":
            out["seen"][parts[0]] = int(value)
        elif len(parts) == 3 and parts[1] == "null":
            out["null"][f"{parts[0]}.{parts[2]}"] = int(value)
    return out


def assess_site(site: str, stats: Mapping[str, Any], baseline: Mapping[str, Any],
                new_items: int, last_new_at: str | None, now: datetime) -> dict[str, Any]:
    """The source_health row of one site for one run (without run_id)."""
    counts = _site_counts(stats, site)
    pages = sum(counts["status"].values())
    errors = counts["errors"]
    blocked = errors.get("blocked", 0)
    parse_failures = sum(n for kind, n in errors.items()
                         if kind not in NOT_PARSE and not kind.startswith(ARCHIVED))
    shares = {field: round(nulls / counts["seen"][field.split(".")[0]], 3)
              for field, nulls in counts["null"].items()}
    shares.update({f"{t}.{f}": 0.0 for t, fields in NULL_SQL.items() for f in fields
                   if counts["seen"].get(t) and f"{t}.{f}" not in shares})
    state, detail = _state(counts, baseline, pages, blocked, parse_failures, shares)
    return {
        "source": site, "state": state, "detail": detail,
        "requests": counts.get("sent", {}).get("requests", 0),
        "status_mix": json.dumps(counts["status"], sort_keys=True),
        "new_items": new_items, "pages": pages, "parse_failures": parse_failures,
        "parse_failure_share": round(parse_failures / pages, 3) if pages else 0.0,
        "null_shares": json.dumps(shares, sort_keys=True), "blocked": blocked,
        "last_new_at": last_new_at, "hours_since_new": _hours_since(last_new_at, now),
    }


def _state(counts: dict[str, dict[str, int]], baseline: Mapping[str, Any], pages: int,
           blocked: int, parse_failures: int,
           shares: dict[str, float]) -> tuple[str, str | None]:
    if blocked >= MIN_BLOCKS and blocked >= BLOCKED_SHARE * pages:
        kinds = (", ".join(f"{why} x{n}" for why, n in sorted(counts["blocks"].items()))
                 or ", ".join(f"HTTP {s} x{n}" for s, n in sorted(counts["status"].items())
                              if s != "200") or "challenge pages")
        return "blocked", f"{blocked} of {pages} answers were blocks ({kinds})"
    drift = _drift(counts, baseline, shares)
    if drift:
        return "drift", drift
    if parse_failures >= MIN_SAMPLE and parse_failures >= DRIFT_JUMP * pages:
        return "drift", f"{parse_failures} of {pages} pages could not be read"
    failed = {k: n for k, n in counts["errors"].items()
              if k != "not_found" and not k.startswith(ARCHIVED)}
    if failed:
        return "errors", ", ".join(f"{k} {n}" for k, n in sorted(failed.items()))
    return ("ok", None) if pages else ("idle", "nothing fetched")


def _drift(counts: dict[str, dict[str, int]], baseline: Mapping[str, Any],
           shares: dict[str, float]) -> str | None:
    jumps = []
    for field, share in sorted(shares.items()):
        table = field.split(".")[0]
        before = baseline.get("null_shares", {}).get(field)
        if (before is None or counts["seen"].get(table, 0) < MIN_SAMPLE
                or baseline.get("sizes", {}).get(table, 0) < MIN_SAMPLE):
            continue
        if share - before >= DRIFT_JUMP:
            jumps.append(f"{field} null in {share:.0%} of pages (was {before:.0%})")
    return "; ".join(jumps) or None


def _hours_since(moment: str | None, now: datetime) -> float | None:
    if not moment:
        return None
    then = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    return round((now - then).total_seconds() / 3600, 2)


def save_health(db: sqlite_utils.Database, run_id: int, rows: list[dict[str, Any]]) -> None:
    """Write the run's source_health rows (replacing any of the same run and source)."""
    with write_transaction(db):
        db["source_health"].insert_all(({**row, "run_id": run_id} for row in rows),
                                       replace=True, alter=False)


def exit_code(rows: list[dict[str, Any]], run_failed: bool) -> int:
    """0 healthy, 1 some errors (or a failed run), 4 a source blocked or drifting."""
    code = max((EXIT_CODES[row["state"]] for row in rows), default=0)
    return max(code, 1) if run_failed and code == 0 else code


def iter_health(db: sqlite_utils.Database, run_id: int | None = None) -> list[dict[str, Any]]:
    """The source_health rows of a run (default: the last run that has some)."""
    if run_id is None:
        row = db.execute("SELECT max(run_id) FROM source_health").fetchone()
        run_id = row[0]
    if run_id is None:
        return []
    return list(db["source_health"].rows_where("run_id = ?", [run_id], order_by="source"))


def save_run_health(db: sqlite_utils.Database, run_id: int, *, mode: str,
                    new_rows: Mapping[str, int], error_kinds: Mapping[str, int],
                    code: int, message: str | None) -> None:
    """The cron columns of a runs row: mode, new rows per table, errors by kind, exit."""
    with write_transaction(db):
        db["runs"].update(run_id, {
            "mode": mode, "new_rows": json.dumps(dict(new_rows), sort_keys=True),
            "error_kinds": json.dumps(dict(error_kinds), sort_keys=True),
            "exit_code": code, "message": message})


def now_utc() -> datetime:
    """The current time (UTC); one place for the clock."""
    return datetime.now(UTC)
