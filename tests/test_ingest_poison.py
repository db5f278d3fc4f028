"""``ingest`` and what a worker sends (issue 16, items 12 and 13): a poison item goes to
the dead-letter list with its reason and is counted; the writer goes on; a WARC
reference outside the archive's WARC folder is never stored, and never read."""

from __future__ import annotations

import dataclasses
import json

import pytest
import sqlite_utils

from crawler import itemcodec
from crawler.items import Capture
from crawler.redisqueue import Keys
from pipelines.ingest import dead_letter_key, run_ingest
from tests.redis_support import RedisServer

GOOD = Capture(url="https://www.8btc.com/article/7", final_url="https://www.8btc.com/article/7",
               status=200, fetched_at="2024-03-07T16:02:00Z", body_sha256="ab" * 32,
               site="8btc", page_kind="article")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as running:
        yield running.client()


def poison_texts() -> list[str]:
    wrong_type = json.loads(itemcodec.dumps(GOOD))
    wrong_type["url"] = ["a", "list"]
    return [
        "{not json", json.dumps([1, 2]), json.dumps(wrong_type),
        itemcodec.dumps(dataclasses.replace(GOOD, url="https://www.8btc.com/article/8",
                                            warc_file="../../../../dev/zero",
                                            warc_offset=0, warc_length=10)),
        itemcodec.dumps(dataclasses.replace(GOOD, url="https://www.8btc.com/article/9",
                                            warc_file="/etc/hostname", warc_offset=0,
                                            warc_length=10)),
        itemcodec.dumps(dataclasses.replace(GOOD, url="https://www.8btc.com/article/10",
                                            warc_file="a.warc.gz", warc_offset=0,
                                            warc_length=None)),
    ]


def test_poison_items_go_to_the_dead_letter_list_and_the_writer_goes_on(server, tmp_path):
    keys = Keys("poison")
    for text in [*poison_texts(), itemcodec.dumps(GOOD)]:
        server.rpush(keys.items("8btc"), text)
    db_path = tmp_path / "a.db"
    result = run_ingest(server, str(db_path), None, idle_seconds=0.3, prefix="poison")
    db = sqlite_utils.Database(db_path)
    assert [r[0] for r in db.execute("SELECT url FROM captures")] == [GOOD.url]
    dead = [json.loads(t) for t in server.lrange(dead_letter_key(keys), 0, -1)]
    assert len(dead) == 6 and all(d["reason"] for d in dead)
    assert any("warc_file" in d["reason"] for d in dead)
    assert server.llen(keys.item_processing) == 0
    status, stats = db.execute("SELECT status, stats FROM runs WHERE id = ?",
                               [result.run_id]).fetchone()
    assert status != "running" and json.loads(stats)["ingest/items_dead"] == 6
    assert "6 malformed items set aside in poison:items:dead" in result.summary()


@pytest.mark.parametrize("name", ["../../../../dev/zero", "/etc/hostname", "sub/x.warc.gz"])
def test_a_warc_reference_outside_the_folder_is_never_read(tmp_path, name):
    from archive.warc import WarcError, read_record

    (tmp_path / "w").mkdir()
    with pytest.raises(WarcError, match="not a file of the WARC folder"):
        read_record(tmp_path / "w", name, 0, 10)
