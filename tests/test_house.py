"""The house (docs/architecture.md): arrows one way, no circles, no crawler/mirror, small modules.

The import contracts live in pyproject.toml ([tool.importlinter]) and are checked by
import-linter, which reads every import, lazy ones inside functions included.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("newsarchive", "pipelines", "crawler", "archive", "mirror")
MAX_LINES = 400


def test_the_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout and " kept" in result.stdout


def test_every_package_is_in_a_contract():
    """A new top-level package must be placed in the layers, or no contract covers it."""
    found = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert found == set(PACKAGES)


def test_the_mirror_is_not_inside_the_crawler():
    assert not (ROOT / "crawler" / "mirror").exists()


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): n for pkg in PACKAGES
            for path in (ROOT / pkg).rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
