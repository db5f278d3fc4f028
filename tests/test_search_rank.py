"""archive.search_rank: the window's bm25 is FTS5's bm25(), from the index's own figures."""

from __future__ import annotations

import random

import pytest

from archive import search, search_rank, store
from archive.searchform import to_phrases

PIECES = ["比特币", "减半", "比特，币", "比特 币", "哈哈哈", "NFT", "NFTs", "snft", "Café",
          "稳定币", "監管", "监管", "ChatGPT插件", "人工智能", "数字藏品"]
FILLER = "的了在是有和也就都而及与着或一个上下中大小新高前后内外多年月日时称将已被对为于从，。"
QUERIES = ["比特币", "减半", "币", "哈哈", "nft", "cafe", "监管", "比特币 减半", "稳定币 监管 NFT",
           "chatgpt", "人工智能", "藏品"]


def _text(rng: random.Random, pieces: int) -> str:
    return "".join(rng.choice(PIECES) + "".join(rng.choices(FILLER, k=rng.randint(0, 6)))
                   for _ in range(pieces))


@pytest.fixture
def archive_db(db, digest, article):
    """Two digests of 40 news items and 30 articles of mixed words, punctuation inside
    words, Latin prefixes, Traditional characters and repeated words."""
    rng = random.Random(3)
    for d in range(2):
        digest.update(canonical_url=f"https://foresightnews.pro/article/detail/{d}",
                      url=f"https://foresightnews.pro/article/detail/{d}",
                      items=[{**digest["items"][0], "position": p + 1,
                              "headline": _text(rng, rng.randint(1, 2)),
                              "text": _text(rng, rng.randint(1, 12))} for p in range(40)])
        store.save_digest(db, digest)
    for a in range(30):
        article.update(canonical_url=f"https://www.8btc.com/article/{a}",
                       url=f"https://www.8btc.com/article/{a}", site_id=str(a),
                       title=_text(rng, 1), summary=_text(rng, 2), text=_text(rng, 20))
        store.save_article(db, article)
    return db


def _ranks(db, query, **kw):
    return {(r["kind"], r["id"]): r["rank"]
            for r in search.iter_search(db, query, limit=10_000, **kw)}


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("filters", [{}, {"source": "foresight"}, {"since": "2024-01-01"}])
def test_window_scores_equal_fts5_bm25(archive_db, query, filters):
    """A window holding every hit scores each exactly as bm25() over all hits does."""
    ours = _ranks(archive_db, query, rank_window=10_000, **filters)
    fts5 = _ranks(archive_db, query, rank_window=None, **filters)
    assert ours.keys() == fts5.keys()
    assert ours == pytest.approx(fts5, rel=1e-9, abs=1e-12)


def test_the_comparison_covers_both_tables_and_hard_cases(archive_db):
    kinds = {k for q in QUERIES for k, _ in _ranks(archive_db, q, rank_window=None)}
    assert kinds == {"digest_item", "article"}
    texts = [r[0] for r in archive_db.execute("SELECT text FROM digest_items")]
    assert any("比特，币" in t for t in texts) and any("哈哈哈" in t for t in texts)
    assert len({r for q in QUERIES for r in _ranks(archive_db, q).values()}) > 50


def test_docsize_and_totals_are_read_as_fts5_writes_them(db, digest):
    digest["items"][0]["headline"] = "比" * 300      # a size over 127: a two-byte varint
    store.save_digest(db, digest)
    sizes = {row[0]: search_rank.read_varints(row[1])
             for row in db.execute("SELECT id, sz FROM digest_items_fts_docsize")}
    first = min(sizes)
    assert sizes[first][0] == 300
    totals = search_rank.index_totals(db, "digest_items_fts")
    assert totals.rows == len(sizes) == 2
    assert totals.avgdl == sum(map(sum, sizes.values())) / 2


@pytest.mark.parametrize(("value", "encoded"), [
    (0, b"\x00"), (127, b"\x7f"), (128, b"\x81\x00"), (300, b"\x82\x2c"),
    (2**57, b"\x81\x80\x80\x80\x80\x80\x80\x80\x00"),   # nine bytes: the last has 8 bits
    (2**64 - 1, b"\xff" * 9)])
def test_varints_are_sqlite_varints(value, encoded):
    assert search_rank.read_varints(encoded + b"\x05") == [value, 5]


def test_rows_of_a_common_phrase_are_estimated_from_its_newest_hits(db, digest):
    digest["items"] = [{**digest["items"][0], "position": p + 1, "text": "正文",
                        "headline": "比特币减半" if p % 2 else "其他"} for p in range(400)]
    store.save_digest(db, digest)
    (phrase,) = to_phrases("减半")
    assert search_rank.phrase_rows(db, "digest_items_fts", phrase, 400, 500) == 200
    estimate = search_rank.phrase_rows(db, "digest_items_fts", phrase, 400, 50)
    assert estimate == pytest.approx(200, rel=0.02)


def test_a_smaller_window_orders_its_hits_as_bm25_does(archive_db):
    """With an estimated IDF every score of a one-word query moves by the same factor."""
    (phrase,) = to_phrases("比特币")
    walk = search._sql(search._WINDOW_SQL, "digest_items",
                       {"since": None, "until": None, "source": None})
    hits = archive_db.execute(walk, {"match": phrase.match, "window": 15}).fetchall()
    ours = {rowid: rank for rank, rowid in search_rank.score_window(
        archive_db, "digest_items_fts", (5.0, 1.0), [phrase], hits, window=15,
        only_phrase_walked=True)}
    fts5 = dict(archive_db.execute(
        "SELECT rowid, bm25(digest_items_fts, 5.0, 1.0) FROM digest_items_fts "
        "WHERE digest_items_fts MATCH ? AND rowid >= ?", [phrase.match, min(ours)]))
    assert len(ours) == 15 and ours.keys() == fts5.keys()
    assert archive_db.execute("SELECT count(*) FROM digest_items_fts WHERE digest_items_fts "
                              "MATCH ?", [phrase.match]).fetchone()[0] > 15
    ratios = [ours[r] / fts5[r] for r in ours]
    assert max(ratios) == pytest.approx(min(ratios), rel=1e-9)
    assert len(set(fts5.values())) > 3
