"""Parser fixtures cut from the mirror: one page for every variant the mirror produces.

Every page's *features* (its layout and markup choices, and for digests the kind and
style of each block) are listed; a greedy cover picks the fewest pages that show every
feature at least once, plus a soft and a hard not-found page. Each lands in
``tests/fixtures/mirror/<name>.html`` with ``<name>.json`` holding the mirror's truth,
so the parser fixture tests read them like the hand-made ones.

Regenerate after changing the mirror:  python -m tests.mirror_fixtures
``tests/test_mirror_fixtures.py`` fails when the files are stale or a variant is uncovered.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from mirror import pages, truth
from mirror.entry import Entry
from mirror.routes import Mirror

SEED, SCALE = 3, 120
"""The mirror the fixtures are cut from: big enough to show every variant."""
FETCHED_AT = "2026-03-01T03:30:00Z"
"""When the fixtures are cut: relative bylines (``N天前``) are written against it, and a
fixture with one says so in its ``_fetched_at`` note (what its date is read against)."""
FOLDER = Path(__file__).parent / "fixtures" / "mirror"
HEADER = ("<!-- SYNTHETIC: cut from the mirror (seed {seed}, scale {scale}) "
          "by tests/mirror_fixtures.py -->\n")


def features(mirror: Mirror, entry: Entry) -> set[str]:
    """What is particular about a page's markup: variant fields and digest block styles."""
    page = pages.build(mirror.catalogue, entry)
    found = {f"{entry.kind}:{k}={v}" for k, v in dataclasses.asdict(page.variant).items()
             if k != "build"}
    found.add(f"{entry.kind}:build={page.variant.layout}:{page.variant.build}")
    if entry.kind == "digest":
        for block in page.blocks:
            found.add(f"block:{block.role}:{block.kind}:{block.style}")
            runs = [run for line in block.lines for run in line]
            if any(run.href for run in runs):
                found.add(f"block:{block.role}:linked")
    return found


def cover(mirror: Mirror) -> list[Entry]:
    """The fewest served pages (greedy) showing every feature; the real digest first."""
    served = [e for e in mirror.catalogue.all_entries() if not e.deleted]
    wanted = {e.key: features(mirror, e) for e in served}
    chosen = [e for e in served if e.real and e.kind == "digest"]
    covered = set().union(*(wanted[e.key] for e in chosen))
    while True:
        best = max(served, key=lambda e: len(wanted[e.key] - covered))
        if not wanted[best.key] - covered:
            return chosen
        chosen.append(best)
        covered |= wanted[best.key]


def fixture_files(mirror: Mirror) -> dict[str, tuple[str, dict]]:
    """name -> (html, expected) for every fixture the mirror should have."""
    out: dict[str, tuple[str, dict]] = {}
    header = HEADER.format(seed=SEED, scale=SCALE)
    for n, entry in enumerate(cover(mirror), 1):
        page = pages.build(mirror.catalogue, entry)
        name = f"{n:02d}-{entry.site}-{entry.kind}-{page.variant.layout}"
        expected = truth.expected(mirror.catalogue, entry)
        if page.variant.time_mode == "relative":
            expected = {"_fetched_at": FETCHED_AT, **expected}
        out[name] = (header + _body(mirror, entry.url), expected)
    soft = next(e for e in mirror.catalogue.articles if e.deleted)
    out["90-8btc-soft-404"] = (header + _body(mirror, soft.url),
                               {"url": soft.url, "error": "PageNotFound"})
    unknown = "https://www.8btc.com/article/1"
    out["91-8btc-hard-404"] = (header + _body(mirror, unknown),
                               {"url": unknown, "error": "PageNotFound"})
    return out


def cutting_mirror() -> Mirror:
    """The mirror the fixtures are cut from, its clock stopped at FETCHED_AT."""
    moment = datetime.fromisoformat(FETCHED_AT.replace("Z", "+00:00")).astimezone(UTC)
    return Mirror(SEED, SCALE, clock=moment.timestamp)


def _body(mirror: Mirror, url: str) -> str:
    parts = urlsplit(url)
    return mirror.handle(f"/{parts.hostname}{parts.path}").body.decode("utf-8")


def write() -> list[str]:
    """Rewrite tests/fixtures/mirror/ from the mirror; returns the names written."""
    files = fixture_files(cutting_mirror())
    FOLDER.mkdir(parents=True, exist_ok=True)
    for old in FOLDER.glob("*.*"):
        old.unlink()
    for name, (html, expected) in files.items():
        (FOLDER / f"{name}.html").write_text(html, encoding="utf-8")
        (FOLDER / f"{name}.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return sorted(files)


if __name__ == "__main__":
    names = write()
    print(f"wrote {len(names)} fixtures to {FOLDER}", file=sys.stderr)
