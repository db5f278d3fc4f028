"""A demo archive (`newsarchive demo`, the mirror crawled in a subprocess), built once per session.

Test modules import ``demo_db`` from here; the archive is only read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import run_cli


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    return path
