"""Dedupe benchmark: clustering quality against the mirror's own truth.

The rows of a mirror (every article and digest item its truth lists) with the story its
truth gives each. The mirror writes the hard cases (docs/mirror.md): reprints with an
edited headline, the same story at the other outlet, digest items summarising an article
the crawl also fetches, flashes that differ only in a figure and share lead-in and
footer, and template siblings (the same template told of another company, a different
story). Each row is placed with archive.stories.place in a fresh archive, in the mirror's
order; pairwise precision and recall are counted over all pairs. Placement cost as the
archive grows is bench/placement.py; the hard-case set (columns, retellings, script
copies) is bench/stories.py.
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from archive import stories
from archive.db import open_db
from archive.signature import sign
from archive.store_dedupe import story_member
from archive.tx import write_transaction
from bench._figures import figure


def corpus(scale: int, seed: int = 1) -> list[dict]:
    """Labelled rows of a mirror: {"text", "headline", "story", "site", "published_at"}.

    Every article and digest item the truth lists, with the story the truth's ``stories``
    map gives it: the mirror writes the hard cases itself (reprints, retellings at the
    other outlet, digest items summarising a crawled article, flashes differing only in
    their figures, template siblings naming another company).
    """
    from mirror import truth
    from mirror.catalogue import Catalogue

    built = truth.build(Catalogue(seed, scale))
    rows = []
    for url, page in built["pages"].items():
        if page["kind"] == "article":
            site = "8btc" if "8btc.com" in url else "foresight"
            rows.append(_row(page["text"], page["title"], built["stories"][url], site, page))
        elif page["kind"] == "digest":
            rows += [_row(i["text"], i["headline"], built["stories"][f"{url}#item-{n}"],
                          "digest", page) for n, i in enumerate(page["items"], 1)]
    return rows


def _row(text: str, headline: str, story: str, site: str, page: dict) -> dict:
    return {"text": text, "headline": headline, "story": story, "site": site,
            "published_at": page.get("published_at")}


def member(n: int, row: dict) -> dict:
    """The story member of a labelled row, as the store pipeline builds it."""
    sig = sign(row["text"], row["headline"])
    keys = {"body": sig.body, "figures": sig.figures, "names": sig.names}
    return story_member("article", n + 1, keys, row["site"], str(n), row["headline"],
                        row["published_at"])


def cluster(rows: list[dict], path: Path) -> list[int]:
    """Place every row in a fresh archive; returns each row's story id."""
    db = open_db(path)
    for n, row in enumerate(rows):
        with write_transaction(db):
            stories.place(db, member(n, row))
    # Read at the end: learning boilerplate may place earlier rows again.
    out = [db.execute("SELECT story_id FROM story_members WHERE row_id = ?", [n + 1]
                      ).fetchone()[0] for n in range(len(rows))]
    db.close()
    return out


def pairwise(truth: list[str], predicted: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against labels."""
    def pairs(labels: list) -> set[tuple[int, int]]:
        groups = defaultdict(list)
        for i, label in enumerate(labels):
            groups[label].append(i)
        return {p for g in groups.values() for p in itertools.combinations(g, 2)}
    want, got = pairs(truth), pairs(predicted)
    hit = len(want & got)
    return (hit / len(got) if got else 1.0), (hit / len(want) if want else 1.0)


def quality(scale: int) -> dict:
    rows = corpus(scale)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.process_time()
        got = cluster(rows, Path(tmp) / "a.db")
        cpu = time.process_time() - started
    precision, recall = pairwise([r["story"] for r in rows], got)
    return {"rows": len(rows), "precision": precision, "recall": recall, "cpu_s": cpu}


def run(quick: bool = True) -> dict:
    """The figures, as {"name": {"value", "unit", "baseline", "ratio", "target", "met", "note"}}."""
    scale = 40 if quick else 200
    q = quality(scale)
    note = (f"{q['rows']} rows from a scale-{scale} mirror, placed in its order; "
            f"{q['cpu_s'] / q['rows'] * 1000:.2f} ms CPU per row (signing and placing)")
    return {
        "pairwise_precision": figure(q["precision"], "fraction", target=">= 0.994",
                                     met=q["precision"] >= 0.994, note=note),
        "pairwise_recall": figure(q["recall"], "fraction", target=">= 0.999",
                                  met=q["recall"] >= 0.999, note=note),
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--full" not in sys.argv), ensure_ascii=False, indent=2))
