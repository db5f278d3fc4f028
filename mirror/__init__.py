"""Offline mirror of 8btc.com and foresightnews.pro, served on 127.0.0.1 (docs/mirror.md).

A real URL ``https://{host}{path}?{query}`` is served at ``{MIRROR}/{host}{path}?{query}``.
Content is deterministic from (seed, scale); ``/_mirror/truth.json`` holds what a correct
parser returns for every page (docs/extraction.md). Standard library only, plus
``crawler.sites``; it never imports the parsers, pipelines, archive or Scrapy.
"""

from __future__ import annotations

from .server import MirrorHandle, serve, start_mirror

__all__ = ["MirrorHandle", "serve", "start_mirror"]
