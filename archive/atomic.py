"""Files written whole or not at all, and never through a link already at their path.

A temporary file beside the target (same folder, so same file system) is written, made
readable as the umask allows, and renamed over the target with ``os.replace``: a reader
sees the old file or the new one, and a symlink planted at the target is replaced, not
followed (``write_text`` would write to wherever it points).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(out: Path) -> Iterator[Path]:
    """A temporary path to write; on success it replaces ``out``, on error it is removed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())   # mkstemp's 0600 would hide the file
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(out: Path, text: str) -> None:
    """``out.write_text(text)``, atomically and without following a link at ``out``."""
    with replacing(out) as tmp:
        tmp.write_text(text, "utf-8")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
