"""Items as JSON and back: how a distributed worker's items travel through Redis.

``dumps`` writes an item (``crawler.items``) as one JSON text in which every
dataclass carries its class name under ``"__item__"``, tuples become lists and bytes
become ``{"__bytes__": base64}``; ``loads`` rebuilds the very
same frozen dataclasses, tuples included, so ``loads(dumps(x)) == x``. JSON rather
than pickle: the writer never unpickles what a machine on the network sent it, and
the queue stays readable with ``redis-cli``. No Scrapy here.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

from crawler import items

ITEM_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (items.Capture, items.DedupeKeys, items.DigestItem,
                                  items.Recommendation, items.Digest, items.Article,
                                  items.ListingEntry)
}
"""The classes that may travel, by name; anything else is refused."""


class ItemCodecError(ValueError):
    """A queued text is not an item this version can rebuild."""


def dumps(item: Any) -> str:
    """One item as compact JSON (UTF-8 text, Chinese kept as is)."""
    if type(item).__name__ not in ITEM_TYPES:
        raise TypeError(f"not a newsarchive item: {type(item).__name__}")
    return json.dumps(_encode(item), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """The item ``dumps`` wrote; ItemCodecError when the text is not one."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ItemCodecError(f"not JSON: {exc}") from None
    item = _decode(data)
    if not dataclasses.is_dataclass(item):
        raise ItemCodecError("the text holds no item")
    return item


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {"__item__": type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = _encode(getattr(value, f.name))
        return out
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if not isinstance(value, dict):
        return value
    if "__bytes__" in value:
        return base64.b64decode(value["__bytes__"])
    name = value.get("__item__")
    cls = ITEM_TYPES.get(name)  # type: ignore[arg-type]
    if cls is None:
        raise ItemCodecError(f"unknown item type {name!r}")
    fields = {k: _decode(v) for k, v in value.items() if k != "__item__"}
    try:
        return cls(**fields)
    except TypeError as exc:
        raise ItemCodecError(f"{name}: {exc}") from None
