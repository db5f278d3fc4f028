"""Issue 4, done when: a crawl of a mirror full of duplicates, checked against its truth.

The mirror writes reprints with edited headlines, the same story at both outlets, digest
items summarising crawled articles, flashes that differ only in a figure and template
siblings; its truth names each row's story (``stories`` in /_mirror/truth.json).
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest

from archive import queries_stories
from archive.db import open_db
from tests.support import MirrorProcess, run_cli

pytestmark = pytest.mark.crawl
SCALE = 30


def pairs(labels: dict[str, object]) -> set[tuple[str, str]]:
    """Every unordered pair of rows with the same label."""
    groups = defaultdict(list)
    for row, label in labels.items():
        groups[label].append(row)
    return {tuple(sorted(p)) for g in groups.values() for p in itertools.combinations(g, 2)}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    with MirrorProcess(scale=SCALE, seed=11) as mirror:
        truth = mirror.get_json("/_mirror/truth.json")
        path = tmp_path_factory.mktemp("dedupe") / "archive.db"
        result = run_cli("crawl", "--mirror", mirror.url, "--db", str(path))
    assert result.returncode == 0, result.stderr[-3000:]
    db = open_db(path, readonly=True)
    yield db, truth
    db.close()


def test_the_mirror_is_full_of_duplicates(crawled):
    _, truth = crawled
    wanted = pairs(truth["stories"])
    both_sites = {p for p in wanted if {"8btc.com" in u for u in p} == {True, False}}
    item_and_article = {p for p in wanted if sum("#item-" in u for u in p) == 1}
    assert len(wanted) >= 20 and both_sites and item_and_article


def test_one_row_per_canonical_url_and_every_alias_resolves(crawled):
    db, truth = crawled
    assert db.execute("SELECT canonical_url FROM articles GROUP BY canonical_url "
                      "HAVING count(*) > 1").fetchall() == []
    articles = {u for u, p in truth["pages"].items() if p["kind"] == "article"}
    assert {r["canonical_url"] for r in db["articles"].rows} == articles
    aliases = list(db["url_aliases"].rows)
    assert any(a["url"] != a["canonical_url"] for a in aliases)
    # A deleted article (soft 404) keeps its aliases but has no row to resolve to.
    served = {u for u, p in truth["pages"].items() if p["kind"] != "not_found"}
    for alias in (a for a in aliases if a["canonical_url"] in served):
        found = queries_stories.resolve_url(db, alias["url"])
        assert found is not None and found["canonical_url"] == alias["canonical_url"], alias
    for rec in db["recommendations"].rows:
        target = truth["pages"].get(rec["canonical_url"], {})
        if target.get("kind") == "article":
            assert queries_stories.resolve_url(db, rec["url"])["table"] == "articles"


def test_story_clusters_match_the_truth(crawled):
    db, truth = crawled
    got = {r["url"]: r["story_id"] for r in db["story_members"].rows}
    assert set(got) == set(truth["stories"])
    wanted, found = pairs(truth["stories"]), pairs(got)
    precision = len(wanted & found) / len(found)
    recall = len(wanted & found) / len(wanted)
    assert precision >= 0.97 and recall >= 0.95, (precision, recall)
