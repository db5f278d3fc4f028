"""`newsarchive report`: the data it gathers, the page it writes (offline, charts render)."""

from __future__ import annotations

import dataclasses
import io
import re
from html.parser import HTMLParser

import pytest

from archive import report, report_html, report_series, store
from archive.db import open_db
from newsarchive.cli import main
from pipelines.dedupe import dedupe_keys


class Page(HTMLParser):
    """Collects every tag with its attributes and each inline <svg> as text."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)
        self.svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def bars(self, chart: str) -> list[dict]:
        inside, out = False, []
        for tag, attrs in self.tags:
            if tag == "svg":
                inside = attrs.get("data-chart") == chart
            elif inside and tag == "rect" and attrs.get("class") == "bar":
                out.append(attrs)
        return out


def per_day(*rows):
    return [{"day": d, "source": s, "news_items": n, "articles": a, "digests": 1}
            for d, s, n, a in rows]


def test_buckets_fill_empty_days_and_add_items_and_articles():
    unit, labels, series = report_series.bucket_series(
        per_day(("2023-03-01", "foresight", 5, 0), ("2023-03-03", "8btc", 2, 3)),
        ("foresight", "8btc"))
    assert unit == "day" and labels == ["2023-03-01", "2023-03-02", "2023-03-03"]
    assert series == {"foresight": [5, 0, 0], "8btc": [0, 0, 5]}


@pytest.mark.parametrize("last, unit, first_label", [("2023-12-31", "week", "2022-12-26"),
                                                     ("2026-01-01", "month", "2023-01")])
def test_long_spans_are_drawn_per_week_or_month(last, unit, first_label):
    got_unit, labels, series = report_series.bucket_series(
        per_day(("2023-01-01", "foresight", 1, 0), (last, "foresight", 2, 0)), ("foresight",))
    assert got_unit == unit and labels[0] == first_label
    assert len(labels) <= report_series.MAX_BARS and sum(series["foresight"]) == 3


def keyed(record, text, title):
    record["dedupe"] = dataclasses.asdict(dedupe_keys(text, title))


def filled(db, digest, article):
    """Two digests of two items (one credited to 新浪科技), one article; the article and
    an item of each digest tell the same story."""
    story = "英伟达发布新一代人工智能芯片，性能较上一代提升三十倍，多家云厂商宣布采用。"
    digest["items"][0]["text"] = article["text"] = story
    for record in (*digest["items"], article):
        keyed(record, record["text"], record.get("headline") or record["title"])
    store.save_digest(db, digest)
    digest.update(canonical_url="https://foresightnews.pro/article/detail/3",
                  url="https://foresightnews.pro/article/detail/3",
                  published_at="2023-03-09T16:02:00Z")
    digest["capture"] = {**digest["capture"], "url": digest["url"], "final_url": digest["url"],
                         "body_sha256": "c" * 64}
    store.save_digest(db, digest)
    store.save_article(db, article)
    return db


def test_the_page_charts_what_the_archive_holds(db, digest, article, tmp_path):
    out = tmp_path / "r" / "report.html"
    data = report.write_report(filled(db, digest, article), out)
    page = Page(out.read_text("utf-8"))
    day_bars = page.bars("per-day")
    assert sum(int(b["data-value"]) for b in day_bars if b["data-source"] == "foresight") == 4
    assert sum(int(b["data-value"]) for b in day_bars if b["data-source"] == "8btc") == 1
    assert [b["data-value"] for b in page.bars("attributions")] == ["2"]   # 新浪科技 twice
    assert "新浪科技" in out.read_text("utf-8")
    assert len(page.bars("stories")) == len(data["stories"]) > 0
    assert page.bars("stories")[0]["data-value"] == "3"     # two news items and the article
    assert data["counts"]["digest_items"] == 4


def test_the_page_needs_nothing_from_outside(db, digest, article, tmp_path):
    out = tmp_path / "report.html"
    digest["items"][0]["headline"] = '<script>alert("x")</script>'
    report.write_report(filled(db, digest, article), out)
    html = out.read_text("utf-8")
    page = Page(html)
    assert not [t for t, a in page.tags if t in ("script", "link", "img", "iframe", "object")]
    assert not [a for _, a in page.tags if "src" in a]
    assert "url(" not in html and "@import" not in html and "<script>alert" not in html


def test_every_chart_renders_with_its_colours(db, digest, article, tmp_path):
    cairosvg = pytest.importorskip("cairosvg", reason="rendering check needs cairosvg")
    image = pytest.importorskip("PIL.Image")
    out = tmp_path / "report.html"
    report.write_report(filled(db, digest, article), out)
    svgs = Page(out.read_text("utf-8")).svgs
    assert len(svgs) == 3
    wanted = [("foresight", "8btc"), ("stories",), ("attributions",)]
    for svg, names in zip(svgs, wanted, strict=True):
        png = image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode()))).convert("RGB")
        colours = {c for _, c in png.getcolors(maxcolors=1 << 20)}
        for name in names:
            hex_colour = report_html.COLORS[name]
            assert tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)) in colours, name


def test_only_web_links_are_clickable():
    assert report_html._link("https://www.8btc.com/a/1", "x") == \
        '<a href="https://www.8btc.com/a/1">x</a>'
    assert report_html._link("javascript:alert(1)", "<b>") == "&lt;b&gt;"


def test_an_empty_archive_gives_a_page_that_says_so(db, tmp_path):
    out = tmp_path / "report.html"
    report.write_report(db, out)
    html = out.read_text("utf-8")
    assert "No dated items yet." in html and "No stories yet." in html


def test_a_failed_render_leaves_the_old_report_and_no_temporary_file(db, tmp_path,
                                                                      monkeypatch):
    out = tmp_path / "report.html"
    out.write_text("old", "utf-8")

    def boom(data):
        raise RuntimeError("render failed")
    monkeypatch.setattr(report_html, "render", boom)
    with pytest.raises(RuntimeError):
        report.write_report(db, out)
    assert out.read_text("utf-8") == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cli_writes_the_report_and_refuses_a_missing_archive(db, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(tmp_path / "archive.db"), "--out", str(out)]) == 0
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", "--db", str(tmp_path / "none.db"), "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("error: no archive at")
    blocker = tmp_path / "file"
    blocker.write_text("x")        # a file where the report's folder should be
    assert main(["report", "--db", str(tmp_path / "archive.db"),
                 "--out", str(blocker / "report.html")]) == 2   # checked before anything
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith(
        "error: Invalid value for --out: no folder")


@pytest.mark.crawl
def test_the_demo_report_charts_every_item_and_the_stories(demo_db, tmp_path):
    out = tmp_path / "demo.html"
    assert main(["report", "--db", str(demo_db), "--out", str(out)]) == 0
    page = Page(out.read_text("utf-8"))
    db = open_db(demo_db, readonly=True)
    total = db.execute("SELECT sum(news_items + articles) FROM items_per_day "
                       "WHERE day IS NOT NULL").fetchone()[0]
    assert sum(int(b["data-value"]) for b in page.bars("per-day")) == total > 0
    top = db.execute("SELECT max(appearances) FROM stories").fetchone()[0]
    assert int(page.bars("stories")[0]["data-value"]) == top
    assert page.bars("attributions")
