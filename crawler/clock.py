"""The crawler's clock. Only spiders and pipelines read it; parsers never do."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> str:
    """The current instant as ISO 8601 UTC ending in Z, to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
