"""The benchmark harness: discovery, failure isolation, figure shape, field comparisons.

No timings are asserted: benchmarks print ratios, they are not timed tests.
"""

from __future__ import annotations

import importlib
import json
import sys
import textwrap

import pytest

from bench import runner
from bench._accuracy import score_page, text_similarity
from bench._bare_spiders import _ARTICLE_LINK
from bench._extractors import to_utc_minute
from bench._figures import figure, interleaved, median


@pytest.fixture
def fake_bench(tmp_path, monkeypatch):
    """A package holding one good, one broken, one run-less and one helper module."""
    pkg = tmp_path / "fakebench"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "good.py").write_text(textwrap.dedent("""
        def run(quick=True):
            return {"speed": {"value": 2.0, "unit": "x", "baseline": 1.0, "ratio": 2.0,
                              "target": ">= 1x", "met": quick}}
    """))
    (pkg / "broken.py").write_text("def run(quick=True):\n    raise ValueError('boom')\n")
    (pkg / "notes.py").write_text("X = 1\n")
    (pkg / "_helper.py").write_text("raise RuntimeError('helpers are never imported')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("fakebench")
    for name in [m for m in sys.modules if m.startswith("fakebench")]:
        del sys.modules[name]


def test_discovery_skips_helpers_and_the_runner(fake_bench):
    assert runner.discover(package=fake_bench) == ["broken", "good", "notes"]
    assert "runner" not in runner.discover()
    assert {"crawl", "parse", "memory", "writes"} <= set(runner.discover())


def test_a_failing_module_does_not_stop_the_others(fake_bench, tmp_path, capsys):
    out = tmp_path / "results.json"
    results = runner.run_all(quick=True, out=out, package=fake_bench)
    modules = results["modules"]
    assert modules["broken"]["status"] == "failed"
    assert "ValueError: boom" in modules["broken"]["error"]
    assert modules["good"]["status"] == "ok"
    assert modules["good"]["figures"]["speed"]["met"] is True
    assert modules["notes"]["status"] == "skipped"
    written = json.loads(out.read_text())
    assert written["modules"]["good"]["figures"]["speed"]["ratio"] == 2.0
    assert {"date", "commit", "python", "cpus"} <= set(written["machine"])
    printed = capsys.readouterr().out
    assert "speed: 2.0 x  (baseline 1.0, ratio 2.0x)  target >= 1x met" in printed


def test_figure_ratio_and_unmet_target_are_printed():
    fig = figure(3.0, "pages/s", baseline=4.0, target=">= 0.8x", met=False)
    assert fig["ratio"] == 0.75
    assert runner.format_figure("crawl", fig).endswith("target >= 0.8x NOT MET")
    assert "baseline" not in figure(1.0, "MiB")


def test_interleaved_alternates_subjects_and_median():
    order: list[str] = []
    interleaved({"a": lambda: order.append("a") or 1.0,
                 "b": lambda: order.append("b") or 2.0}, 2)
    assert order == ["a", "b", "a", "b"]
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([1.0, 2.0]) == 1.5


def test_naive_competitor_dates_are_read_as_beijing_time():
    assert to_utc_minute("2023-03-08 00:02:59") == "2023-03-07T16:02Z"
    assert to_utc_minute("2023-03-07T16:02:00Z") == "2023-03-07T16:02Z"
    assert to_utc_minute("2023-03-08") == "2023-03-07T16:00Z"
    assert to_utc_minute(None) is None


def test_field_scores_against_truth():
    truth = {"kind": "article", "title": "标题", "published_at": "2023-03-07T16:02:00Z",
             "author": None, "text": "第一段\n第二段"}
    got = {"title": "标题 - 巴比特", "published": "2023-03-07T16:02Z", "author": None,
           "text": "第一段 第二段"}
    scores = score_page(truth, got)
    assert scores == {"title": 0.0, "date": 1.0, "author": 1.0, "text": 1.0}
    assert "author" not in score_page({**truth, "kind": "digest"}, got)
    assert 0.0 < text_similarity("第一段第二段", "第一段") < 1.0


def test_bare_spider_finds_recommendation_links_as_written():
    html = ('<a href="https://m.8btc.com/article/12?utm_source=x">a</a> '
            'http://www.8btc.com/article/34 <a href="/article/56">sidebar</a>')
    assert _ARTICLE_LINK.findall(html) == ["https://m.8btc.com/article/12",
                                            "http://www.8btc.com/article/34"]


def test_writes_benchmark_runs_at_a_tiny_size():
    from bench import writes

    items = writes.crawl_items(6)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(writes, "crawl_items", lambda count: items)
        figures = writes.run(quick=True)
    fig = figures["archive_rows_per_s"]
    assert fig["value"] > 0 and fig["baseline"] > 0
    assert fig["ratio"] == pytest.approx(fig["value"] / fig["baseline"], rel=1e-3)


def test_offline_guard_refuses_beyond_loopback_and_allows_loopback():
    # In a child process: the guard patches the socket module for the whole process.
    import subprocess

    code = textwrap.dedent("""
        import socket, threading
        from bench._offline import NetworkRefused, guard
        guard()
        server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(1)
        socket.create_connection(server.getsockname(), timeout=5).close()
        for target in (("93.184.216.34", 80), ("example.com", 80)):
            try:
                socket.create_connection(target, timeout=30)
            except (NetworkRefused, socket.gaierror) as exc:
                assert "offline" in str(exc), exc
            else:
                raise SystemExit("connected beyond loopback")
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=runner.RESULTS.parent.parent)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


def test_is_loopback():
    from bench._offline import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("8.8.8.8") and not is_loopback("www.8btc.com")


def test_crawl_children_start_in_the_project_root():
    """bench's crawl, memory and warc figures run ``python -m bench._crawl_child`` there."""
    from mirror.process import ROOT

    assert (ROOT / "pyproject.toml").is_file() and (ROOT / "bench" / "_crawl_child.py").is_file()


def test_crawl_cpu_figures_compare_the_writer_with_the_crawl_process_per_page():
    from bench.crawl import cpu_figures

    def run(cpu: float, writer: float) -> dict:
        return {"responses": 1000, "cpu_seconds": cpu, "writer_cpu_seconds": writer}

    runs = {"bare": [run(2.0, 0), run(3.0, 0), run(2.5, 0)],
            "full": [run(4.0, 6.0), run(5.0, 4.0), run(4.5, 5.0)]}
    figs = cpu_figures(runs, 3)
    crawl, writer = figs["crawl_process_cpu_ms_per_page"], figs["writer_cpu_ms_per_page"]
    assert crawl["value"] == 4.5 and crawl["baseline"] == 2.5
    assert writer["value"] == 5.0 and writer["baseline"] == 4.5 and writer["met"] is False
    assert "6.00, 4.00, 5.00" in writer["note"] and "3 interleaved" in writer["note"]
    runs["full"] = [run(5.0, 4.0)]
    assert cpu_figures(runs, 1)["writer_cpu_ms_per_page"]["met"] is True
