"""A demo archive (`newsarchive demo`, the mirror crawled in a subprocess), built once per run.

``conftest.py`` exposes ``demo_db``; the archive is only read. Under pytest-xdist the
workers share one build: the first to take the lock builds it in the run's common
temporary folder, the others wait and read it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from filelock import FileLock

from tests.support import run_cli


def shared_root(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The temporary folder every worker of this run sees (the session's own without xdist)."""
    root = tmp_path_factory.getbasetemp()
    return root if worker_id == "master" else root.parent


def build_demo_db(root: Path) -> Path:
    """The demo archive under ``root``, built by whoever comes first."""
    folder = root / "demo-archive"
    done = folder / "built"
    with FileLock(str(root / "demo-archive.lock")):
        if not done.exists():
            folder.mkdir(exist_ok=True)
            result = run_cli("demo", "--db", str(folder / "demo.db"))
            assert result.returncode == 0, result.stderr[-2000:]
            done.touch()
    return folder / "demo.db"
