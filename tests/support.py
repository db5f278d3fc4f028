"""Helpers for crawl tests: the mirror in a subprocess, crawls in a subprocess, truth diffs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import sqlite_utils

from mirror.process import MirrorProcess  # noqa: F401 (the tests import it from here)

ROOT = Path(__file__).resolve().parent.parent
NEWSARCHIVE = [sys.executable, "-m", "newsarchive.cli"]


def run_cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `newsarchive ARGS` in a fresh process (one Twisted reactor per process)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([*NEWSARCHIVE, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def archived_pages(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """Every digest and article in the archive, shaped like the parse output."""
    pages: dict[str, dict[str, Any]] = {}
    for d in db["digests"].rows:
        items = db["digest_items"].rows_where("digest_id = ?", [d["id"]], order_by="position")
        recs = db["recommendations"].rows_where("digest_id = ?", [d["id"]], order_by="position")
        pages[d["canonical_url"]] = {
            "kind": "digest", "url": d["url"], "title": d["title"],
            "published_at": d["published_at"], "summary": d["summary"],
            "items": [{k: i[k] for k in ("headline", "event_date", "text", "attribution")}
                      for i in items],
            "recommendations": [{k: r[k] for k in ("title", "url", "blurb")} for r in recs],
        }
    for a in db["articles"].rows:
        pages[a["canonical_url"]] = {
            "kind": "article", **{k: a[k] for k in (
                "url", "canonical_url", "title", "author", "published_at", "summary", "text")},
            "tags": json.loads(a["tags"]), "images": json.loads(a["images"]),
        }
    return pages


def diff_with_truth(db: sqlite_utils.Database, truth: dict[str, Any]) -> list[str]:
    """Every difference between the archive and the mirror's truth, one line each."""
    pages = archived_pages(db)
    problems: list[str] = []
    for url, expected in truth["pages"].items():
        if expected["kind"] == "not_found":
            problems += _check_not_found(db, url, pages)
            continue
        got = pages.get(url)
        if got is None:
            problems.append(f"{url}: missing from the archive ({expected['kind']})")
            continue
        problems += _diff_fields(url, expected, got)
    expected_urls = {u for u, e in truth["pages"].items() if e["kind"] != "not_found"}
    problems += [f"{url}: in the archive but not in the truth"
                 for url in sorted(set(pages) - expected_urls)]
    return problems


def _diff_fields(url: str, expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    problems = []
    for key, want in expected.items():
        have = got.get(key)
        if key in ("items", "recommendations"):
            if len(want) != len(have):
                problems.append(f"{url} {key}: expected {len(want)}, got {len(have)}")
                continue
            for n, (w, h) in enumerate(zip(want, have, strict=True)):
                problems += _diff_fields(f"{url} {key}[{n}]", w, h)
        elif want != have:
            problems.append(f"{url} {key}: expected {want!r}, got {have!r}")
    return problems


def _check_not_found(db: sqlite_utils.Database, url: str,
                     pages: dict[str, dict[str, Any]]) -> list[str]:
    rows = list(db["captures"].rows_where("url = ?", [url]))
    if url in pages:
        return [f"{url}: a not-found page was stored as a {pages[url]['kind']}"]
    if not any(r["error_kind"] == "not_found" for r in rows):
        return [f"{url}: no not_found capture (captures: {[r['error_kind'] for r in rows]})"]
    return []
