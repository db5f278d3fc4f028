"""Story clustering on the mirror's hard-case set, through the real import path.

The set (``mirror.hardcases``: column items behind fixed introductions, footers and
disclaimers, retellings by another outlet, reprints with a rewritten lead or an edited
headline, Traditional-script and full-width copies, names written both ways, price-flash
pairs, template siblings) is written as a WARC file, imported with ``newsarchive import``
into a fresh archive, and each article's ``story_id`` is read back by canonical URL.
Pairwise precision and recall against the set's truth, overall (targets: P >= 0.98,
R >= 0.95, issue 15) and per class (pairs with at least one page of the class). A page
the import did not store counts as a story of its own (it costs recall), and the
stored/generated count says how many there were. Per class also the direct question:
the share of copies placed in their source's story (``joined_<class>``), of flashes and
siblings placed apart from their twin (``apart_<class>``).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench._figures import figure
from bench.dedupe import pairwise

P_TARGET, R_TARGET = 0.98, 0.95
SIZE_QUICK, SIZE_FULL = 600, 2000


def import_set(pages: list[dict], folder: Path) -> tuple[Path, float, str]:
    """Write ``pages`` as a WARC file and ``newsarchive import`` it into a fresh archive in
    ``folder``: (archive path, seconds the import took, its printed line)."""
    from mirror.hardcases_warc import write_warc
    from newsarchive.cli import main

    warc, db = folder / "hardcases.warc.gz", folder / "archive.db"
    write_warc(pages, warc)
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["import", str(warc), "--db", str(db)])
        except SystemExit as exc:
            code = int(exc.code or 0)
    seconds = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"newsarchive import exited {code}: {err.getvalue().strip()}")
    return db, seconds, out.getvalue().strip()


def stored(db: Path) -> dict[str, dict]:
    """Every stored article by canonical URL: story_id, title, text."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT canonical_url, story_id, title, text FROM articles")
        return {url: {"story_id": sid, "title": title, "text": text}
                for url, sid, title, text in rows}


def predicted(pages: list[dict], rows: dict[str, dict]) -> list:
    """Each page's story id; a page not stored (or without a story) is a story of its own."""
    out: list = []
    for n, page in enumerate(pages):
        row = rows.get(page["url"])
        sid = row["story_id"] if row else None
        out.append(sid if sid is not None else f"unstored-{n}")
    return out


def _pairs(labels: list) -> set[tuple[int, int]]:
    groups = defaultdict(list)
    for i, label in enumerate(labels):
        groups[label].append(i)
    return {p for g in groups.values() for p in itertools.combinations(g, 2)}


def per_class(pages: list[dict], got: list) -> dict[str, dict]:
    """Precision and recall over the pairs with at least one page of each class."""
    want_pairs, got_pairs = _pairs([p["story"] for p in pages]), _pairs(got)
    out = {}
    for cls in sorted({p["cls"] for p in pages}):
        keep = {i for i, p in enumerate(pages) if p["cls"] == cls}
        want = {q for q in want_pairs if q[0] in keep or q[1] in keep}
        found = {q for q in got_pairs if q[0] in keep or q[1] in keep}
        hit = len(want & found)
        out[cls] = {"pages": len(keep), "true_pairs": len(want), "found_pairs": len(found),
                    "precision": hit / len(found) if found else 1.0,
                    "recall": hit / len(want) if want else 1.0}
    return out


def direct(pages: list[dict], got: list) -> dict[str, dict]:
    """Per class, the plain question: did each copy join its source's story, did each
    flash or sibling stay apart from its twin?"""
    story = {p["url"]: g for p, g in zip(pages, got, strict=True)}
    out: dict[str, dict] = {}
    for page in pages:
        other = page.get("source") or page.get("twin")
        if other:
            same = story[page["url"]] == story[other]
            c = out.setdefault(page["cls"], {"pages": 0, "right": 0,
                                             "want": "joined" if page["source"] else "apart"})
            c["pages"] += 1
            c["right"] += same if page["source"] else not same
    return dict(sorted(out.items()))


def measure(pages: list[dict], folder: Path) -> dict:
    """Import the set into ``folder`` and score its stories: overall, per class, counts."""
    db, seconds, line = import_set(pages, folder)
    rows = stored(db)
    got = predicted(pages, rows)
    precision, recall = pairwise([p["story"] for p in pages], got)
    complete = [p["url"] for p in pages
                if p["url"] in rows and rows[p["url"]]["title"] and rows[p["url"]]["text"]]
    return {"generated": len(pages), "stored": len(complete), "precision": precision,
            "recall": recall, "classes": per_class(pages, got), "direct": direct(pages, got),
            "import_seconds": seconds, "import_line": line,
            "stories": len({p["story"] for p in pages}), "clusters": len(set(got))}


def run(quick: bool = True) -> dict:
    """The figures: stored pages, overall precision/recall, and each class's."""
    from mirror import hardcases

    size = SIZE_QUICK if quick else SIZE_FULL
    pages = hardcases.build(seed=1, size=size)
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as tmp:
        m = measure(pages, Path(tmp))
    p, r = m["precision"], m["recall"]
    out = {
        "pages_stored": figure(m["stored"], "pages", target=f"== {m['generated']} generated",
                               met=m["stored"] == m["generated"],
                               note=f"import: {m['import_line']}"),
        "pairwise_precision": figure(p, "fraction", target=f">= {P_TARGET}", met=p >= P_TARGET,
                                     note=f"{size} pages in {m['stories']} true stories, "
                                     f"{m['clusters']} found"),
        "pairwise_recall": figure(r, "fraction", target=f">= {R_TARGET}", met=r >= R_TARGET),
        "import_ms_per_page": figure(m["import_seconds"] * 1000 / size, "ms",
                                     note="wall time of newsarchive import, per page"),
    }
    for cls, c in m["classes"].items():
        counts = f"{c['pages']} pages, {c['true_pairs']} true pairs, {c['found_pairs']} found"
        out[f"precision_{cls}"] = figure(c["precision"], "fraction", note=counts)
        out[f"recall_{cls}"] = figure(c["recall"], "fraction")
    for cls, c in m["direct"].items():
        out[f"{c['want']}_{cls}"] = figure(
            c["right"] / c["pages"], "fraction", note=f"of {c['pages']} pages, "
            + ("placed in their source's story" if c["want"] == "joined"
               else "placed apart from their twin"))
    return out


if __name__ == "__main__":
    print(json.dumps(run(quick="--full" not in sys.argv), ensure_ascii=False, indent=2))
