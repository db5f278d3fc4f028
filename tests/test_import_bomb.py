"""A decompression bomb in a WARC record (issue 16, item 10): refused as ``too_large``
at DOWNLOAD_MAXSIZE without being inflated, peak memory bounded, nothing of it kept."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib

from tests.support import NEWSARCHIVE, ROOT
from tests.warc_forge import record, write_warc

BOMB_BYTES = 1024 * 1024 * 1024
PEAK_LIMIT_KB = 400 * 1024

MEASURE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": done.returncode, "out": done.stdout, "err": done.stderr, "peak": peak}))
"""


def gzip_bomb(size: int) -> bytes:
    """``size`` zero bytes gzipped (about a thousandth of their size)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block, parts = bytes(16 * 1024 * 1024), []
    for _ in range(size // len(block)):
        parts.append(packer.compress(block))
    parts.append(packer.flush())
    return b"".join(parts)


def test_a_gzip_bomb_is_refused_as_too_large_in_bounded_memory(tmp_path):
    bomb = gzip_bomb(BOMB_BYTES)
    warc = write_warc(tmp_path / "bomb.warc.gz",
                      record("https://example.org/bomb", bomb,
                             http_headers={"Content-Encoding": "gzip"}),
                      record("https://example.org/good"))
    db = tmp_path / "a.db"
    measured = subprocess.run(
        [sys.executable, "-c", MEASURE, *NEWSARCHIVE, "import", str(warc), "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(measured.stdout)
    assert result["rc"] == 1
    assert "refused (too_large): 1" in result["out"]
    assert result["err"].count("\n") == 1 and "Traceback" not in result["err"]
    assert result["peak"] < PEAK_LIMIT_KB, f"peak RSS {result['peak'] // 1024} MB"
    kept = sum(f.stat().st_size for f in (tmp_path / "a-warc").iterdir())
    assert kept < len(bomb) // 10, "the bomb was copied into the WARC folder"
