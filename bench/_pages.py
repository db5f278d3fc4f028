"""Mirror pages with their truth, served in-process (the same bytes the HTTP server sends)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mirror import truth
from mirror.routes import Mirror


@dataclass(frozen=True, slots=True)
class MirrorPage:
    """One detail page: its canonical URL, its HTML as served, what a correct parser returns."""

    url: str
    html: bytes
    truth: dict[str, Any]


def sample_pages(scale: int, count: int, seed: int = 1) -> list[MirrorPage]:
    """``count`` readable detail pages spread evenly over the mirror (both sites, digests and
    articles, every markup variant the stride meets); deleted pages are left out."""
    mirror = Mirror(seed, scale)
    cat = mirror.catalogue
    entries = [e for e in cat.reachable() if not e.deleted]
    stride = max(1, len(entries) // count)
    pages = []
    for entry in entries[::stride][:count]:
        response = mirror.handle("/" + entry.url.split("://", 1)[1])
        if response.status != 200:
            raise RuntimeError(f"mirror answered {response.status} for {entry.url}")
        pages.append(MirrorPage(entry.url, response.body, truth.expected(cat, entry)))
    return pages
