"""Whatever a worker sends is checked before the writer stores it (``ingest``).

An item crossing Redis was written by another process, possibly another version or a
compromised host: its fields must have the types its dataclass declares (a list where
a string belongs is refused here, not deep inside a pipeline), and its WARC reference
must be a plain file name inside the archive's WARC folder with a sane offset and
length, so ``check`` and ``reparse`` never read outside the folder or without bound.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any

from crawler.items import Capture

MAX_RECORD_BYTES = 1024 * 1024 * 1024
"""A record longer than this is no record the crawl writes (bodies stop at 16 MB)."""


class PoisonItem(ValueError):
    """An item the writer will not store, with the reason."""


def check_item(item: Any) -> None:
    """Raise PoisonItem when a field does not fit its declared type, or a capture's WARC
    reference is not a plain file name with a sane offset and length."""
    _check_fields(item, type(item).__name__)


def _check_fields(item: Any, where: str) -> None:
    if not dataclasses.is_dataclass(item) or isinstance(item, type):
        raise PoisonItem(f"{where}: not an item")
    hints = _hints(type(item))
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        if not _fits(value, hints[field.name], f"{where}.{field.name}"):
            hint = hints[field.name]
            raise PoisonItem(f"{where}.{field.name}: {type(value).__name__} where "
                             f"{getattr(hint, '__name__', hint)} belongs")
    if isinstance(item, Capture):
        check_warc_ref(item.warc_file, item.warc_offset, item.warc_length)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fits(value: Any, hint: Any, where: str) -> bool:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arm, where) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is tuple:
        arm = typing.get_args(hint)[0]
        return isinstance(value, tuple) and all(_fits(v, arm, where) for v in value)
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, hint):
            return False
        _check_fields(value, where)
        return True
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, hint)


def check_warc_ref(file: Any, offset: Any, length: Any) -> None:
    """A WARC reference as ``captures`` stores it: none at all, or a plain ``.warc.gz``
    name (no folder, no ``..``) with an offset and a length between 1 byte and 1 GiB."""
    if file is None:  # no record: an offset or length alone points nowhere
        return
    if not is_plain_warc_name(file):
        raise PoisonItem(f"warc_file {str(file)[:80]!r} is not a file name in the WARC folder")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise PoisonItem(f"warc_offset {offset!r} is not a byte offset")
    if (not isinstance(length, int) or isinstance(length, bool)
            or not 0 < length <= MAX_RECORD_BYTES):
        raise PoisonItem(f"warc_length {length!r} is not a sane record length")


def is_plain_warc_name(name: Any) -> bool:
    """A bare WARC file name: no directory part, not hidden, ending .warc(.gz)."""
    return (isinstance(name, str) and 0 < len(name) <= 255 and "/" not in name
            and "\\" not in name and "\x00" not in name and not name.startswith(".")
            and name.endswith((".warc.gz", ".warc")))
