"""Every real WARC, ARC and WACZ file in ../shared/realworld/warc/ (issue 16): imported
with exit 0, or refused with one ``error:`` line under 300 characters; never a
traceback, never a run left ``running``; ``check`` passes on every archive an import
wrote to. Which file does what is in the report of the issue, not hard-coded here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.warc_forge import import_cli

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "warc"
FILES = sorted(p for p in REALWORLD.rglob("*") if p.is_file())


def test_the_corpus_is_there():
    assert len(FILES) >= 50


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REALWORLD)))
def test_a_real_file_imports_or_is_refused_in_one_line(tmp_path, path):
    result = import_cli(tmp_path / "a.db", path)
    assert result.exception is None, repr(result.exception)
    assert "Traceback" not in result.output + result.error
    if result.exit_code != 0:
        lines = result.error.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.error
        assert len(lines[0]) < 300
    if (tmp_path / "a.db").exists() and result.db["runs"].exists():
        assert "running" not in result.runs()
        assert result.check_ok()


@pytest.mark.parametrize("name", ["warcio/example.warc.gz", "pywb/iana.warc.gz",
                                  "warcat/at.warc.gz", "jwarc/cc.warc.gz",
                                  "pywb/example-wget-1-14.warc.gz"])
def test_well_formed_warcs_from_other_tools_import_their_pages(tmp_path, name):
    result = import_cli(tmp_path / "a.db", REALWORLD / name)
    assert result.exit_code == 0, result.error
    assert result.db.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1
