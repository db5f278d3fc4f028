"""crawler.parsers.dates: the case table, provenance, and properties over arbitrary text."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.parsers.dates import SOURCES, as_calendar_date, first_reading, read_date
from tests.date_cases import ANCHOR, CASES


def test_the_table_is_large_enough():
    assert len(CASES) >= 300


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.text!r}@{c.anchor}/{c.zone}")
def test_case_table(case):
    reading = read_date(case.text, case.anchor, tz=ZoneInfo(case.zone))
    assert (reading.value, reading.precision) == (case.value, case.precision), reading.reason
    if case.value is None:
        assert reading.reason, "no value must come with a reason"
    else:
        assert reading.reason is None


@pytest.mark.parametrize("text, raw", [
    ("据福布斯 3 月 7 日报道", "3 月 7 日"), ("kyle 3小时前 发布在", "3小时前"),
    ("  2023-03-07 10:34 ", "2023-03-07 10:34"), ("２０２３年３月７日", "２０２３年３月７日"),
])
def test_raw_is_the_text_as_written(text, raw):
    assert read_date(text, ANCHOR).raw == raw


@pytest.mark.parametrize("source", SOURCES)
def test_source_is_kept(source):
    assert read_date("2023-03-07", source=source).source == source


def test_without_an_anchor_relative_forms_say_so():
    reading = read_date("3小时前")
    assert reading.value is None and reading.needs_anchor and "anchor" in reading.reason
    assert not read_date("2023-02-29").needs_anchor


def test_bad_anchor_is_a_reason_not_an_exception():
    reading = read_date("3小时前", "yesterday-ish")
    assert reading.value is None and reading.reason.startswith("unreadable anchor")


def test_first_reading_prefers_a_value_over_a_relative_text():
    assert first_reading(["3小时前", "2023-03-07 10:34"]).raw == "2023-03-07 10:34"
    assert first_reading(["阅读 12", "3小时前"]).needs_anchor
    assert first_reading(["阅读 12"]) is None


def test_an_event_instant_becomes_its_beijing_day():
    reading = as_calendar_date(read_date("3 月 7 日 23:30", ANCHOR))
    assert (reading.value, reading.precision) == ("2023-03-07", "day")


def test_json_shape():
    assert read_date("3 月 7 日", ANCHOR).as_json() == {
        "value": "2023-03-07", "precision": "day", "raw": "3 月 7 日", "reason": None}


_DATEISH = st.lists(st.sampled_from(list("0123456789-/.: T年月日号前天秒分钟小时刚今昨Z+")
                                    + ["Mar ", "May", "pm", "２", "："]),
                    max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(st.text(max_size=200), _DATEISH, st.integers(), st.floats()),
       anchor=st.one_of(st.none(), st.just(ANCHOR), st.just("2024-02-29"),
                        st.datetimes().map(lambda d: d.isoformat()), st.text(max_size=12)))
def test_never_raises_and_is_deterministic(text, anchor):
    first = read_date(text, anchor)
    assert first == read_date(text, anchor)
    assert (first.value is None) == (first.reason is not None)
    assert first.precision in (None, "second", "minute", "hour", "day", "month")
