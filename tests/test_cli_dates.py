"""`newsarchive parse-date` and the date provenance columns of the archive."""

from __future__ import annotations

import json

import pytest

from archive import store
from archive.schema import MIGRATIONS
from newsarchive.cli import main


@pytest.mark.parametrize("args, value, precision", [
    (["3 月 7 日", "--anchor", "2023-03-08T02:00:00Z"], "2023-03-07", "day"),
    (["12 月 30 日", "--anchor", "2023-01-02"], "2022-12-30", "day"),
    (["3小时前", "--anchor", "2023-03-08T10:00:00+08:00"], "2023-03-07T23:00:00Z", "hour"),
    (["2023-03-07 10:34"], "2023-03-07T02:34:00Z", "minute"),
    (["2023-03-07 10:34", "--tz", "UTC"], "2023-03-07T10:34:00Z", "minute"),
])
def test_parse_date_prints_the_reading(args, value, precision, capsys):
    assert main(["parse-date", *args]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["value", "precision", "raw", "reason"]
    assert (out["value"], out["precision"], out["reason"]) == (value, precision, None)


@pytest.mark.parametrize("text", ["2023-02-29", "3小时前", "hello"])
def test_no_value_prints_the_reason_and_exits_1(text, capsys):
    assert main(["parse-date", text]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["value"] is None and out["reason"]


@pytest.mark.parametrize("args", [
    ["x", "--anchor", "nope"], ["x", "--anchor", "2023-03-08T10:00:00"],
    ["x", "--tz", "Mars/Base"],
])
def test_bad_anchor_or_zone_is_a_usage_error(args, capsys):
    assert main(["parse-date", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_migration_is_last_and_named():
    assert MIGRATIONS[1].__name__ == "m002_date_provenance"


def test_provenance_columns_are_stored(db, digest, article):
    article = {**article, "published_precision": "hour", "published_source": "byline",
               "published_reason": None}
    item = {**digest["items"][0], "event_date_precision": "day", "event_date_source": "text"}
    digest = {**digest, "published_source": "json-ld", "items": [item, *digest["items"][1:]]}
    store.save_article(db, article)
    store.save_digest(db, digest)
    row = next(db["articles"].rows)
    assert (row["published_precision"], row["published_source"]) == ("hour", "byline")
    assert next(db["digests"].rows)["published_source"] == "json-ld"
    first = next(db["digest_items"].rows_where("position = 1"))
    assert (first["event_date_precision"], first["event_date_source"]) == ("day", "text")
