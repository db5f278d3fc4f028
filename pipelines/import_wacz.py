"""WACZ packages (Browsertrix, ArchiveWeb.page, py-wacz): the WARC files in ``archive/``,
each checked against the package's own ``datapackage.json`` digest before it is read.

Both ways the datapackage has written a digest are read: ``"hash": "sha256:HEX"`` (WACZ
1.1) and ``"stats": {"hash": HEX}`` with ``"hashing": "sha256"`` (WACZ 1.0). A member the
package lists with a wrong digest or size, or does not list at all, is not read; a
package without ``datapackage.json`` or without WARC files is refused as unreadable.
Members are streamed out of the zip, never extracted to disk or read whole.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from pipelines.import_read import UnreadableFile, sniff_stream

_DATAPACKAGE_MAX = 16 * 1024 * 1024
_BLOCK = 1024 * 1024


def wacz_members(path: Path) -> Iterator[tuple[str, IO[bytes], bool]]:
    """(member name, open stream, gzipped) of each verified WARC file in a WACZ."""
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"{path.name}: not a readable zip ({exc})") from None
    with package:
        listed = _listed(package, path.name)
        names = [n for n in package.namelist()
                 if n.startswith("archive/") and n.endswith((".warc", ".warc.gz", ".arc",
                                                             ".arc.gz"))]
        if not names:
            raise UnreadableFile(f"{path.name}: a zip with no WARC file under archive/")
        for name in names:
            problem = _verify(package, name, listed.get(name))
            if problem:
                raise UnreadableFile(f"{path.name}:{name}: {problem}")
            with package.open(name) as member:
                head = member.read(16)
            with package.open(name) as member:
                yield name, member, sniff_stream(head).gzipped


def _listed(package: zipfile.ZipFile, where: str) -> dict[str, tuple[str, str, int | None]]:
    """path -> (algorithm, hex digest, size) from datapackage.json."""
    try:
        info = package.getinfo("datapackage.json")
        if info.file_size > _DATAPACKAGE_MAX:
            raise UnreadableFile(f"{where}: datapackage.json is too large")
        data = json.loads(package.read(info))
        resources = data["resources"]
        listed = {}
        for resource in resources:
            listed[str(resource["path"])] = _digest_of(resource)
        return listed
    except UnreadableFile:
        raise
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableFile(f"{where}: no readable datapackage.json "
                             f"({type(exc).__name__})") from None


def _digest_of(resource: dict[str, Any]) -> tuple[str, str, int | None]:
    stats = resource.get("stats") or {}
    value = str(resource.get("hash") or stats.get("hash") or "")
    algorithm, colon, digest = value.partition(":")
    if not colon:
        algorithm, digest = str(resource.get("hashing") or "sha256"), value
    size = resource.get("bytes", stats.get("bytes"))
    return algorithm.lower(), digest.lower(), int(size) if size is not None else None


def _verify(package: zipfile.ZipFile, name: str,
            expected: tuple[str, str, int | None] | None) -> str | None:
    """Why a member fails the package's digest; None when it matches."""
    if expected is None:
        return "not listed in datapackage.json"
    algorithm, digest, size = expected
    try:
        hasher = hashlib.new(algorithm)
    except ValueError:
        return f"unknown digest algorithm {algorithm[:20]!r}"
    total = 0
    with package.open(name) as member:
        while block := member.read(_BLOCK):
            hasher.update(block)
            total += len(block)
    if size is not None and total != size:
        return f"{total} bytes, datapackage.json says {size}"
    if hasher.hexdigest() != digest:
        return "digest does not match datapackage.json"
    return None
