"""The manifest and the dataset card written beside an export, so it can be cited and rebuilt.

``OUT.manifest.json``: the command, table, format, filters, schema, row count, sha256 and
size of the file, the newsarchive version, the parser versions that read the archive's
pages (per table, version -> pages; ``unrecorded`` for pages stored before m003_warc),
and the archive's state (migrations, rows per table, the last run, the newest
``last_seen_at``).
``OUT.README.md``: the dataset card, the fields and their meaning (archive.describe).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.atomic import write_text
from archive.describe import TABLES, describe_column


def sha256_file(path: Path) -> str:
    """sha256 (hex) of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def archive_state(db: sqlite_utils.Database) -> dict[str, Any]:
    """What the archive held when the export was made."""
    tables = ("digests", "digest_items", "recommendations", "articles", "captures", "runs")
    run = db.execute("SELECT id, status, finished_at FROM runs ORDER BY id DESC LIMIT 1"
                     ).fetchone()
    return {
        "migrations": [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")],
        "rows": {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables},
        "last_run": dict(zip(("id", "status", "finished_at"), run, strict=True)) if run else None,
        "newest_seen_at": db.execute(
            "SELECT max(m) FROM (SELECT max(last_seen_at) AS m FROM digests "
            "UNION ALL SELECT max(last_seen_at) FROM articles)").fetchone()[0],
    }


def parser_versions(db: sqlite_utils.Database) -> dict[str, dict[str, int]]:
    """Which parser versions read the archive's digests and articles, and how many pages."""
    return {table: {version or "unrecorded": n for version, n in db.execute(
        f"SELECT parser_version, count(*) FROM [{table}] GROUP BY parser_version "
        "ORDER BY parser_version")} for table in ("digests", "articles")}


def build_manifest(db: sqlite_utils.Database, *, out: Path, fmt: str, table: str,
                   filters: dict[str, Any], result: dict[str, Any],
                   command: list[str]) -> dict[str, Any]:
    """The manifest of a finished export (``result`` from archive.export.write_export)."""
    return {
        "file": out.name,
        "format": fmt,
        "table": table,
        "filters": filters,
        "command": command,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rows": result["rows"],
        "bytes": out.stat().st_size,
        "sha256": sha256_file(out),
        "schema": [{"name": c, "type": result["types"][c], "description": describe_column(c, table)}
                   for c in result["columns"]],
        "newsarchive_version": metadata.version("newsarchive"),
        "parser_versions": parser_versions(db),
        "archive": archive_state(db),
    }


def write_manifest_and_card(out: Path, manifest: dict[str, Any]) -> tuple[Path, Path]:
    """Write OUT.manifest.json and OUT.README.md; returns both paths."""
    man_path = out.with_name(out.name + ".manifest.json")
    write_text(man_path, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    card_path = out.with_name(out.name + ".README.md")
    write_text(card_path, dataset_card(manifest))
    return man_path, card_path


def dataset_card(m: dict[str, Any]) -> str:
    """The README of an exported dataset: what it is, how it was made, its fields."""
    filters = ", ".join(f"{k}={v}" for k, v in m["filters"].items() if v) or "none"
    lines = [
        f"# {m['file']}", "",
        TABLES.get(m["table"], m["table"]), "",
        f"- rows: {m['rows']}; format: {m['format']}; sha256: `{m['sha256']}`",
        f"- table: `{m['table']}`; filters: {filters}",
        f"- made {m['created_at']} by newsarchive {m['newsarchive_version']} with "
        f"`{' '.join(m['command'])}`",
        f"- archive: {_last_run(m['archive']['last_run'])}, newest page seen "
        f"{m['archive']['newest_seen_at'] or 'never'}",
        "- sources: Foresight News (foresightnews.pro) and 8btc (www.8btc.com); "
        "the text is theirs, cite them.", "",
        "To rebuild: run the command above on an archive in the same state "
        "(see the manifest beside this file).", "",
        "| field | type | meaning |", "|---|---|---|",
    ]
    lines += [f"| `{c['name']}` | {c['type']} | {c['description']} |" for c in m["schema"]]
    return "\n".join(lines) + "\n"


def _last_run(run: dict[str, Any] | None) -> str:
    if run is None:
        return "no crawl run yet"
    return f"last run #{run['id']} {run['status']}, finished {run['finished_at'] or '-'}"
