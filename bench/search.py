"""Search benchmark: the tokenisation choice (recall, index size, speed) and T->S libraries.

Generated news items built from the mirror's word pools. Speed and recall of the archive's
own search (bench/_search_speed.py) on 20,000 items, 1,000,000 with --full. The
tokenisation choice on 20,000 items: three FTS5 indexes over the same search-form text:
  unigram  - ours: U+200B between CJK characters, unicode61 (archive.searchform)
  trigram  - FTS5's trigram tokenizer (substring match, 3+ characters only)
  unicode61 - the default tokenizer on unsegmented Chinese
Recall is measured against LIKE '%word%' on the same rows (the ground truth), for 1-, 2-,
3- and 4-character words. Run: python -m bench.search [--full]
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import time

from archive.searchform import to_index_form, to_match_query, to_search_form
from bench._search_speed import speed_figures
from mirror import vocab

WORDS = {1: ["币", "链", "涨"], 2: ["减半", "苹果", "监管"], 3: ["英伟达", "比特币", "元宇宙"],
         4: ["稳定币新", "数字藏品", "人工智能"]}
FILLER = "的了在是有和也就都而及与着或一个上下中大小新高前后内外多年月日时称将已被对为于从"


def make_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pool = [w for name in ("BIGTECH", "AI_PRODUCTS", "THEMES", "SECTORS", "CHAINS", "TOKENS")
            for w in getattr(vocab, name)] + [w for ws in WORDS.values() for w in ws]
    return ["".join(rng.choice(pool) + "".join(rng.choices(FILLER, k=rng.randint(1, 4)))
                    for _ in range(rng.randint(6, 14))) for _ in range(n)]


def build(texts: list[str], kind: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, text TEXT)")
    tok = {"unigram": "unicode61", "trigram": "trigram", "unicode61": "unicode61"}[kind]
    conn.execute(f"CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='{tok}')")
    conn.executemany("INSERT INTO items VALUES (?, ?)", enumerate(texts, 1))
    form = to_index_form if kind == "unigram" else to_search_form
    conn.executemany("INSERT INTO fts (rowid, text) VALUES (?, ?)",
                     ((i, form(t)) for i, t in enumerate(texts, 1)))
    return conn


def query(conn: sqlite3.Connection, kind: str, word: str) -> set[int]:
    match = to_match_query(word) if kind == "unigram" else f'"{word}"'
    return {r[0] for r in conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [match])}


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def index_bytes(conn: sqlite3.Connection) -> int:
    return sum(len(r[0] or b"") for r in conn.execute("SELECT block FROM fts_data"))


def tokenizer_figures(texts: list[str], repeats: int) -> dict:
    out, truth = {}, {}
    base = build(texts, "unicode61")
    for words in WORDS.values():
        for w in words:
            truth[w] = {r[0] for r in base.execute(
                "SELECT id FROM items WHERE text LIKE ?", [f"%{w}%"])}
    like_ms = median_ms(lambda: [base.execute("SELECT count(*) FROM items WHERE text LIKE ?",
                                              [f"%{w}%"]).fetchone() for w in WORDS[2]],
                        repeats) / len(WORDS[2])
    for kind in ("unigram", "trigram", "unicode61"):
        conn = build(texts, kind)
        complete = {}
        for n, words in WORDS.items():
            found = sum(len(query(conn, kind, w) & truth[w]) for w in words)
            total = sum(len(truth[w]) for w in words)
            complete[n] = found == total
            out[f"{kind}_recall_{n}char"] = _fig(found / total, "fraction", 1.0,
                                                 ">= 1.0 (LIKE finds them all)", found == total)
        out[f"{kind}_index_size"] = _fig(index_bytes(conn) / 1e6, "MB", None, "", True)
        for n in (2, 3, 4):
            ms = median_ms(lambda c=conn, k=kind, ws=WORDS[n]: [query(c, k, w) for w in ws],
                           repeats) / len(WORDS[n])
            # a fast answer that misses the hits meets nothing
            out[f"{kind}_query_{n}char"] = _fig(ms, "ms", like_ms, "< 20 ms and >= 100x "
                                                "faster than LIKE, all hits", complete[n]
                                                and ms < 20 and like_ms / ms >= 100)
    out["like_scan"] = _fig(like_ms, "ms", None, "baseline", True)
    return out


def conversion_figures(texts: list[str], repeats: int) -> dict:
    import opencc
    import zhconv

    s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
    sample = texts[:2000]
    trad = [s2t.convert(t) for t in sample]
    libs = {"opencc": t2s.convert, "zhconv": lambda t: zhconv.convert(t, "zh-hans")}
    out = {}
    for name, convert in libs.items():
        right = sum(convert(t) == s for t, s in zip(trad, sample, strict=True))
        kept = sum(convert(s) == s for s in sample)
        ms = median_ms(lambda c=convert: [c(t) for t in trad], max(1, repeats // 2))
        chars = sum(map(len, trad))
        out[f"{name}_t2s_exact"] = _fig(right / len(sample), "fraction of texts", None,
                                        "1.0", right == len(sample))
        out[f"{name}_simplified_unchanged"] = _fig(kept / len(sample), "fraction of texts",
                                                   None, "1.0", kept == len(sample))
        out[f"{name}_speed"] = _fig(chars / ms / 1000, "M chars/s", None, "", True)
    return out


def _fig(value: float, unit: str, baseline: float | None, target: str, met: bool) -> dict:
    fig = {"value": round(value, 4), "unit": unit, "target": target, "met": bool(met)}
    if baseline:
        fig.update(baseline=round(baseline, 4), ratio=round(baseline / value, 1) if value
                   else None, note="ratio = baseline / value (speed-up)")
    return fig


def run(quick: bool = True) -> dict:
    """The tokenisation choice on 20,000 items (four indexes of 1,000,000 would not fit the
    shared machine; the choice does not depend on size); the speed and recall of our
    search on 20,000 items, or 1,000,000 when not ``quick``."""
    texts = make_texts(20_000)
    size = 20_000 if quick else 1_000_000
    return {"items": _fig(size, "rows", None, "", True),
            **speed_figures(texts if quick else make_texts(size), WORDS, 9),
            **tokenizer_figures(texts, 5), **conversion_figures(texts, 5)}


if __name__ == "__main__":
    for name, fig in run(quick="--full" not in sys.argv).items():
        ratio = fig.get("speedup", fig.get("ratio"))
        print(f"{name:32} {fig['value']:>12} {fig['unit']:<18} "
              f"{'speed-up ' + str(ratio) if ratio is not None else ''} "
              f"{'met' if fig['met'] else 'NOT met'} {fig.get('target', '')}")
