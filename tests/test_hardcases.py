"""The hard-case set keeps its promises: classes in proportion, column introductions,
script copies, retellings, flash pairs, siblings; deterministic for a seed."""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter, defaultdict

import opencc
import pytest

from mirror import hardboiler, hardcases, hardfacts

SIZE = 600


@pytest.fixture(scope="module")
def pages() -> list[dict]:
    return hardcases.build(seed=1, size=SIZE)


@pytest.fixture(scope="module")
def by_url(pages) -> dict[str, dict]:
    return {p["url"]: p for p in pages}


def of(pages: list[dict], cls: str) -> list[dict]:
    return [p for p in pages if p["cls"] == cls]


def sentences(text: str) -> set[str]:
    return {s for s in re.split(r"[。！？；\n]", text) if len(s) >= 15}


def folded(text: str) -> str:
    """Names written one way (the alias table), for comparing entity mentions."""
    return hardboiler.swap_names(text, to_latin=True)


def test_at_least_500_pages_with_every_field(pages):
    assert len(pages) == SIZE >= 500
    assert len({p["url"] for p in pages}) == len(pages)
    for p in pages:
        assert p["title"] and p["text"] and p["story"] and p["cls"] in hardcases.PROPORTIONS
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", p["published_at"])
        assert re.fullmatch(r"https://(www\.8btc\.com/article/\d+|foresightnews\.pro/article/"
                            r"detail/\d+|www\.chaincatcher\.example/article/\d+)", p["url"])


def test_every_class_in_its_proportion(pages):
    seen = Counter(p["cls"] for p in pages)
    for cls, share in hardcases.PROPORTIONS.items():
        assert abs(seen[cls] - share * SIZE) <= 2, (cls, seen[cls])
    assert seen["plain"] + seen["footer"] + seen["column"] > SIZE / 2  # most are ordinary


def test_a_small_set_still_has_every_class():
    assert {p["cls"] for p in hardcases.build(seed=3, size=120)} == set(hardcases.PROPORTIONS)


def test_article_bodies_span_short_to_long(pages):
    lengths = [len(p["text"]) for p in pages if p["cls"] in ("plain", "footer")]
    assert min(lengths) < 300 and max(lengths) > 1000 and max(lengths) <= 1600


def test_each_column_opens_every_item_with_its_fixed_intro_over_unrelated_stories(pages):
    columns = defaultdict(set)
    for p in of(pages, "column"):
        intro = p["text"].split("\n")[0]
        assert 60 <= len(intro) <= 150 and intro.startswith(f"「{p['column']}」")
        columns[intro].add(p["story"])
    assert len(columns) >= 4
    assert all(len(stories) >= 3 for stories in columns.values())
    short = [p for p in of(pages, "column") if len(p["text"]) - len(p["text"].split("\n")[0])
             <= 200]
    assert len(short) >= 10  # the intro is a big share of these


def test_many_pages_carry_their_outlets_footers(pages):
    lines = Counter(line for p in pages for line in p["text"].split("\n"))
    footers = {f.split("{")[0] for o in hardboiler.OUTLETS.values() for f in o.footers}
    carried = [p for p in pages if any(line.startswith(f) for f in footers
                                       for line in p["text"].split("\n"))]
    assert len(carried) >= 0.25 * SIZE
    assert any(n >= 20 for line, n in lines.items() if line.startswith(("本文来自", "来源：")))


def test_traditional_copies_differ_in_script_and_fold_back_to_their_source(pages, by_url):
    t2s = opencc.OpenCC("t2s").convert
    unwide = str.maketrans({v: k for k, v in hardboiler.FULL_WIDTH.items()})
    for p in of(pages, "traditional") + of(pages, "fullwidth"):
        src = by_url[p["source"]]
        assert p["text"] != src["text"] and p["story"] == src["story"]
        back = t2s(p["text"].translate({k: chr(v) for k, v in unwide.items()}))
        assert back == src["text"]
        assert t2s(p["title"].translate({k: chr(v) for k, v in unwide.items()})) == src["title"]
    assert all(re.search("[０-９Ａ-Ｚａ-ｚ]", p["text"]) for p in of(pages, "fullwidth"))


def test_retellings_share_facts_but_no_sentence(pages, by_url):
    with_figures = 0
    for p in of(pages, "retell"):
        src = by_url[p["source"]]
        assert p["site"] != src["site"] and p["title"] != src["title"]
        assert p["story"] == src["story"]
        assert not sentences(p["text"]) & sentences(src["text"]), p["url"]
        assert set(p["names"]) & set(src["names"])  # the same companies, projects, tickers
        shared = set(p["figures"]) & set(src["figures"])
        assert any(re.fullmatch(r"\d+ 月 \d+ 日", f) for f in shared)  # the same day
        with_figures += len(shared) >= 2
    assert with_figures >= 0.8 * len(of(pages, "retell"))  # and the same figures with units


def test_every_page_states_the_facts_it_lists(pages):
    for p in pages:
        if p["cls"] not in ("traditional", "fullwidth"):
            told = folded(p["title"] + "\n" + p["text"])
            assert all(folded(t) in told for t in p["names"] + p["figures"])


def test_reprints_keep_the_body_but_change_the_lead_or_headline(pages, by_url):
    edited = 0
    for p in of(pages, "reprint_lead"):
        src, lines = by_url[p["source"]], p["text"].split("\n")
        assert lines[0] not in src["text"] and p["story"] == src["story"]
        assert sum(line in src["text"] for line in lines[1:]) >= len(lines[1:]) // 2
        edited += any(difflib.get_close_matches(line, src["text"].split("\n"), cutoff=0.9)
                      and line not in src["text"] for line in lines[1:])
    assert edited >= 5  # some also change a word further down
    for p in of(pages, "reprint_title"):
        src = by_url[p["source"]]
        assert p["title"] != src["title"] and p["story"] == src["story"]
        assert src["text"].split("\n")[-1] in p["text"] or p["text"] in src["text"] or \
            src["text"].split("\n")[1] in p["text"]


def test_alias_copies_write_names_the_other_way(pages, by_url):
    for p in of(pages, "alias"):
        src = by_url[p["source"]]
        lines = p["text"].split("\n")
        assert any(k in src["text"] and v in p["text"] for k, v in hardfacts.ALIASES.items())
        assert p["text"] != src["text"] and p["story"] == src["story"]
        assert sum(folded(x) in folded(src["text"]) for x in lines) >= len(lines) // 2


def shape(page: dict, names: list[str]) -> str:
    """Title and text with the given names (and figures) and every number blanked."""
    text = page["title"] + "\n" + page["text"]
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "#")
    return re.sub(r"\d[\d.,]*", "#", text).replace(" ", "")


def twins(pages: list[dict], by_url: dict[str, dict], cls: str) -> list[tuple[dict, dict]]:
    """Each page of a pair class with its twin (same class, same outlet, two stories)."""
    found = of(pages, cls)
    assert found and len(found) % 2 == 0
    out = [(p, by_url[p["twin"]]) for p in found]
    for p, twin in out:
        assert twin["cls"] == cls and twin["twin"] == p["url"] and twin["site"] == p["site"]
    return out


def test_price_flash_pairs_differ_only_in_figures_and_are_two_stories(pages, by_url):
    for p, twin in twins(pages, by_url, "flash"):
        assert shape(p, []) == shape(twin, [])  # the same words
        assert p["title"] != twin["title"] and p["figures"][0] != twin["figures"][0]
        assert p["story"] != twin["story"]


def test_template_siblings_name_other_companies_and_are_two_stories(pages, by_url):
    for p, twin in twins(pages, by_url, "sibling"):
        assert p["names"][0] != twin["names"][0] and p["story"] != twin["story"]
        told = p["names"] + twin["names"] + p["figures"] + twin["figures"]
        assert shape(p, told) == shape(twin, told)  # one template, two companies


def test_one_seed_one_set_another_seed_another():
    assert hardcases.build(seed=5, size=120) == hardcases.build(seed=5, size=120)
    assert hardcases.build(seed=5, size=120) != hardcases.build(seed=6, size=120)


def test_the_command_writes_the_warc_and_its_truth(tmp_path, capsys):
    from warcio.archiveiterator import ArchiveIterator

    warc, truth = tmp_path / "set.warc.gz", tmp_path / "truth.json"
    assert hardcases.main(["--warc", str(warc), "--truth", str(truth), "--size", "100",
                           "--seed", "4"]) == 0
    assert json.loads(truth.read_text(encoding="utf-8")) == hardcases.build(seed=4, size=100)
    with open(warc, "rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                    r.http_headers.get_statuscode()) for r in ArchiveIterator(stream)]
    assert records == [("response", p["url"], "200") for p in hardcases.build(4, 100)]
    assert "wrote 100 pages" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--size", "10"], "error: --size 10 is too small"),
    (["--warc", "{tmp}/no/such/dir/set.warc.gz"], "error: cannot write"),
])
def test_the_command_refuses_in_one_line_and_leaves_nothing(tmp_path, capsys, args, message):
    base = {"--warc": str(tmp_path / "set.warc.gz"), "--truth": str(tmp_path / "truth.json")}
    base.update(dict(zip(args[::2], (a.format(tmp=tmp_path) for a in args[1::2]), strict=True)))
    argv = [x for pair in base.items() for x in pair]
    assert hardcases.main(argv) != 0
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert list(tmp_path.rglob("*")) == []
