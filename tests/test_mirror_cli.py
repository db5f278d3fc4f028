"""``python -m mirror``: first line is the base URL; clean stop; one-line errors."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request

import pytest


def test_cli_prints_base_url_first_and_stops_cleanly():
    proc = subprocess.Popen(
        [sys.executable, "-m", "mirror", "--port", "0", "--scale", "3", "--seed", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline().strip()
        assert first.startswith("http://127.0.0.1:") and first.rsplit(":", 1)[1].isdigit()
        with urllib.request.urlopen(first + "/_mirror/", timeout=10) as resp:
            index = json.loads(resp.read())
        assert (index["seed"], index["scale"]) == (4, 3)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and out == "" and err == ""


@pytest.mark.parametrize(
    "args",
    [
        ["--scale", "0"],
        ["--scale", "many"],
        ["--port", "70000"],
        ["--seed", "-1"],
        ["--bogus"],
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line(args: list[str]):
    proc = subprocess.run(
        [sys.executable, "-m", "mirror", *args], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "error" in proc.stderr


def test_cli_help():
    proc = subprocess.run(
        [sys.executable, "-m", "mirror", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0 and "--scale" in proc.stdout and "--seed" in proc.stdout


def test_mirror_imports_no_parser_pipeline_archive_or_scrapy():
    code = (
        "import sys, mirror.routes, mirror.__main__; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'pipelines', 'archive') "
        "or m.startswith('crawler.parsers')]; print(bad)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]"
