"""Pages of other sites (the generic reading): 62 real Chinese news pages no one here wrote,
against hand labels (tests/generic_labels.py says how each field is judged). One test per
field; each reports the pages it gets wrong."""

from __future__ import annotations

import functools

import pytest

from crawler.parsers import MissingField, ParseError, parse_page
from tests.generic_labels import PAGES, date_right, labels, text_right, title_right

pytestmark = pytest.mark.skipif(not PAGES.exists(),
                                reason="../shared/realworld is not beside the worktree")
TARGET = 0.9


@functools.cache
def _parsed() -> list:
    """Every page parsed once for the module (about 3 s of CPU for the 62 pages)."""
    return [(label, _parse(label)) for label in labels()]


def _parse(label):
    try:
        return parse_page(label.html(), label.url)
    except ParseError as exc:
        return exc


def test_the_labels_cover_the_development_pages():
    assert len(labels()) == 62 == len(list(PAGES.glob("*.html")))


def test_title_exact_on_most_pages():
    results = [(label, getattr(record, "title", None)) for label, record in _parsed()]
    wrong = [f"{label.file}: {title!r} != {label.title!r}" for label, title in results
             if not title_right(label, title)]
    assert 1 - len(wrong) / len(results) >= TARGET, "\n".join(wrong)


def test_article_text_is_the_article():
    wrong = [f"{label.file}: {str(getattr(record, 'text', record))[:80]!r}"
             for label, record in _parsed()
             if not text_right(label, getattr(record, "text", None))]
    assert not wrong, "\n".join(wrong)


def test_titles_record_where_they_came_from():
    sources = {record.title_source for _, record in _parsed()
               if not isinstance(record, ParseError)}
    assert sources <= {"og:title", "json-ld", "h1", "line", "title"}
    assert {"og:title", "line", "title"} <= sources


def test_a_page_without_an_article_is_refused_not_stored_as_its_menu():
    refused = {label.file: record for label, record in _parsed() if label.first_sentence is None}
    assert refused and all(isinstance(r, MissingField) for r in refused.values()), refused


def test_publication_date_right_on_pages_that_show_one():
    results = [(label, getattr(record, "published_at", None)) for label, record in _parsed()
               if label.published]
    wrong = [f"{label.file}: {value} (shows {label.published})" for label, value in results
             if not date_right(label, value)]
    assert 1 - len(wrong) / len(results) >= TARGET, "\n".join(wrong)


def test_fields_record_which_extractor_gave_them():
    records = [record for _, record in _parsed() if not isinstance(record, ParseError)]
    assert {r.text_source for r in records} == {"generic"}
    published = {r.published_source for r in records if r.published_at}
    assert {"byline", "htmldate"} <= published
    assert published <= {"json-ld", "meta", "byline", "htmldate"}
    assert {r.author_source for r in records if r.author} <= {"meta", "json-ld"}
