"""Helpers for fault tests: crawl given URLs of an in-process mirror with `scrapy crawl urls`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlite_utils

from tests.support import ROOT

# DOWNLOAD_TIMEOUT: short, so the one-byte-a-second `slow` fault times out quickly, but not so
# short that a loaded machine turns the `cut` fault (5000 of 10000 bytes, then close) into a
# timeout: at 2 s a fresh-clone run under load recorded `cut` as `timeout` once.
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "DOWNLOAD_TIMEOUT=5", "LOG_LEVEL=INFO")


def crawl_urls(mirror_url: str, db: Path, urls: list[str], *settings: str,
               timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`scrapy crawl urls` of ``urls`` against the mirror into ``db``."""
    listing = db.with_suffix(".urls")
    listing.write_text("\n".join(urls), encoding="utf-8")
    args = ["-a", f"file={listing}", "-s", f"MIRROR_URL={mirror_url}", "-s", f"ARCHIVE_DB={db}"]
    for setting in (*FAST, *settings):
        args += ["-s", setting]
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "urls", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def captures_by_url(db: Path) -> dict[str, dict]:
    """The capture of each URL (the last one when several)."""
    rows = sqlite_utils.Database(db)["captures"].rows_where(order_by="id")
    return {row["url"]: row for row in rows}
