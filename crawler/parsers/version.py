"""The version of the parsers, stored beside every row they produce.

``<package version>+<12 hex of sha256 over the parser sources>``: any edit to a
parser gives a new version without anyone remembering to bump a number, so
``newsarchive reparse`` can tell which rows an older parser wrote.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _package_version() -> str:
    try:
        return metadata.version("newsarchive")
    except metadata.PackageNotFoundError:
        return "0"


PARSER_VERSION = f"{_package_version()}+{_sources_digest()}"
