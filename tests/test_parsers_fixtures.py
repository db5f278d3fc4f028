"""Every parser fixture under tests/fixtures, one test per expected field.

Layout (all fixtures are hand-made, see the comment at the top of each page):

- ``<site>/<case>.html`` with ``<site>/<case>.json``: the expected ``to_output`` dict (its
  ``url`` is the URL to parse with), or ``{"url": ..., "error": "<ParseError subclass>"}``.
- ``<site>/api/<case>.json|.bin`` with ``<case>.expected.json``: a list of listing entries
  (as dicts), or ``{"error": "BadPayload"}``.

Keys starting with ``_`` in an expectation are notes, not fields.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Any

import pytest

from crawler.parsers import (
    errors,
    parse_8btc_listing,
    parse_foresight_listing,
    parse_page,
    to_output,
)
from crawler.sites import eightbtc_list_url, foresight_column_url
from pipelines.normalize import resolve_published

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE_KEYS = ["kind", "url", "canonical_url", "title", "author", "published_at", "summary",
                "text", "tags", "images"]
DIGEST_KEYS = ["kind", "url", "title", "published_at", "summary", "items", "recommendations"]
ITEM_KEYS = ["headline", "event_date", "text", "attribution"]
RECOMMENDATION_KEYS = ["title", "url", "blurb"]
LISTING_KEYS = ["site", "site_id", "url", "title", "published_at"]
LISTING_PARSERS = {
    "foresight": (parse_foresight_listing, foresight_column_url(1154, 1)),
    "8btc": (parse_8btc_listing, eightbtc_list_url(1)),
}


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _notes_removed(expected: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in expected.items() if not k.startswith("_")}


PAGES = sorted(FIXTURES.glob("*/*.html"))
PAGE_CASES = {f"{p.parent.name}/{p.stem}": (p, _notes_removed(_load(p.with_suffix(".json"))))
              for p in PAGES}
FETCHED_AT = {f"{p.parent.name}/{p.stem}": _load(p.with_suffix(".json")).get("_fetched_at")
              for p in PAGES}
OK_PAGES = {cid: case for cid, case in PAGE_CASES.items() if "error" not in case[1]}
ERROR_PAGES = {cid: case for cid, case in PAGE_CASES.items() if "error" in case[1]}

API_FILES = sorted(p for p in FIXTURES.glob("*/api/*")
                   if p.suffix in (".json", ".bin") and not p.name.endswith(".expected.json"))
API_CASES = {f"{p.parent.parent.name}/api/{p.stem}":
             (p, _load(p.with_name(p.stem + ".expected.json"))) for p in API_FILES}
OK_API = {cid: case for cid, case in API_CASES.items() if isinstance(case[1], list)}
ERROR_API = {cid: case for cid, case in API_CASES.items() if isinstance(case[1], dict)}


@functools.cache
def parsed(case_id: str) -> dict[str, Any]:
    """The parse output; a fixture noting ``_fetched_at`` is read against it, as
    ``newsarchive parse --fetched-at`` does (a relative byline needs the capture time)."""
    path, expected = PAGE_CASES[case_id]
    record = parse_page(path.read_bytes(), expected["url"])
    return to_output(resolve_published(record, FETCHED_AT.get(case_id)))


@functools.cache
def listed(case_id: str) -> list[dict[str, Any]]:
    path, _ = API_CASES[case_id]
    parser, url = LISTING_PARSERS[path.parent.parent.name]
    return [dataclasses.asdict(e) for e in parser(path.read_bytes(), url)]


def _field_params() -> list[Any]:
    params = []
    for cid, (_, expected) in OK_PAGES.items():
        for key, value in expected.items():
            if key in ("items", "recommendations"):
                params.append(pytest.param(cid, (key, "len"), len(value), id=f"{cid}::{key}.count"))
                for i, entry in enumerate(value):
                    for field, sub in entry.items():
                        params.append(pytest.param(cid, (key, i, field), sub,
                                                   id=f"{cid}::{key}[{i}].{field}"))
            else:
                params.append(pytest.param(cid, (key,), value, id=f"{cid}::{key}"))
    return params


def _dig(output: dict[str, Any], path: tuple[Any, ...]) -> Any:
    if path[-1] == "len":
        return len(output[path[0]])
    value: Any = output
    for step in path:
        value = value[step]
    return value


@pytest.mark.parametrize(("case_id", "path", "expected"), _field_params())
def test_page_field(case_id: str, path: tuple[Any, ...], expected: Any) -> None:
    assert _dig(parsed(case_id), path) == expected


@pytest.mark.parametrize("case_id", sorted(OK_PAGES))
def test_page_keys(case_id: str) -> None:
    """No unexpected key and no missing key, at every level, in the documented order."""
    output = parsed(case_id)
    _, expected = OK_PAGES[case_id]
    documented = DIGEST_KEYS if output["kind"] == "digest" else ARTICLE_KEYS
    assert list(output) == documented
    assert sorted(expected) == sorted(documented), "the fixture itself lists every field"
    for item in output.get("items", []):
        assert list(item) == ITEM_KEYS
    for rec in output.get("recommendations", []):
        assert list(rec) == RECOMMENDATION_KEYS


@pytest.mark.parametrize("case_id", sorted(OK_PAGES))
def test_page_values_are_clean(case_id: str) -> None:
    """Absent is None, never ''; no replacement characters; lists are lists."""
    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for sub in value.values():
                walk(sub)
        elif isinstance(value, list):
            for sub in value:
                walk(sub)
        elif isinstance(value, str):
            assert value != "" and "\ufffd" not in value and value == value.strip()
    output = parsed(case_id)
    walk(output)
    if output["kind"] == "article":
        assert isinstance(output["tags"], list) and isinstance(output["images"], list)


@pytest.mark.parametrize("case_id", sorted(ERROR_PAGES))
def test_page_error(case_id: str) -> None:
    path, expected = ERROR_PAGES[case_id]
    error_class = getattr(errors, expected["error"])
    with pytest.raises(errors.ParseError) as caught:
        parse_page(path.read_bytes(), expected["url"])
    assert type(caught.value) is error_class
    reason = str(caught.value)
    assert reason.strip() and "\n" not in reason


@pytest.mark.parametrize("path", [p for p in PAGES if PAGE_CASES[
    f"{p.parent.name}/{p.stem}"][1].get("error") != "WrongKind"], ids=lambda p: p.stem)
def test_page_fixture_says_it_is_synthetic(path: Path) -> None:
    assert path.read_text(encoding="utf-8").lstrip().startswith("<!-- SYNTHETIC")


def _listing_params() -> list[Any]:
    params = []
    for cid, (_, expected) in OK_API.items():
        params.append(pytest.param(cid, None, None, len(expected), id=f"{cid}::count"))
        for i, entry in enumerate(expected):
            for field, value in entry.items():
                params.append(pytest.param(cid, i, field, value, id=f"{cid}::[{i}].{field}"))
    return params


@pytest.mark.parametrize(("case_id", "index", "field", "expected"), _listing_params())
def test_listing_field(case_id: str, index: int | None, field: str | None, expected: Any) -> None:
    entries = listed(case_id)
    if index is None:
        assert len(entries) == expected
    else:
        assert entries[index][field] == expected


@pytest.mark.parametrize("case_id", sorted(OK_API))
def test_listing_keys(case_id: str) -> None:
    for entry in listed(case_id):
        assert list(entry) == LISTING_KEYS


@pytest.mark.parametrize("case_id", sorted(ERROR_API))
def test_listing_error(case_id: str) -> None:
    path, expected = ERROR_API[case_id]
    parser, url = LISTING_PARSERS[path.parent.parent.name]
    with pytest.raises(errors.ParseError) as caught:
        parser(path.read_bytes(), url)
    assert type(caught.value) is getattr(errors, expected["error"])
    assert str(caught.value).strip() and "\n" not in str(caught.value)


def test_every_fixture_is_used() -> None:
    assert len(PAGE_CASES) >= 15 and len(API_CASES) >= 14
    for html in PAGES:
        assert html.with_suffix(".json").exists()
