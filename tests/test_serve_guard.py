"""`newsarchive serve` against a hostile page or query (issue 16, item 15): the Host
header must name the address the server was started on, fts3_tokenizer and big blobs
are refused, one query's memory is bounded, and no answer shows the archive's path."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

pytest.importorskip("datasette", reason="Datasette is the optional `serve` extra")
import httpx  # noqa: E402

from archive.db import open_db  # noqa: E402
from archive.serve_guard import guard, host_of, secure_connection  # noqa: E402
from newsarchive.cli_serve import make_datasette  # noqa: E402


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "deep" / "folder" / "news.db"
    path.parent.mkdir(parents=True)  # an archive's folder must exist (issue 18)
    open_db(path).close()
    return path


def fetch(archive, path, host="127.0.0.1:8001", started_on="127.0.0.1"):
    app = guard(make_datasette(archive).app(), started_on, archive)

    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as client:
            return await client.get(path, headers={"host": host})
    return asyncio.run(go())


@pytest.mark.parametrize("host, started_on, status", [
    ("127.0.0.1:8001", "127.0.0.1", 200), ("localhost:8001", "127.0.0.1", 200),
    ("attacker.example:8001", "127.0.0.1", 421), ("rebound.evil.test", "127.0.0.1", 421),
    ("192.168.1.5:8001", "192.168.1.5", 200), ("evil.test:8001", "192.168.1.5", 421),
])
def test_the_host_header_must_name_the_server(archive, host, started_on, status):
    assert fetch(archive, "/-/versions.json", host, started_on).status_code == status


def test_databases_json_hides_the_absolute_path(archive):
    response = fetch(archive, "/-/databases.json")
    assert response.status_code == 200
    assert str(archive.parent) not in response.text and "news.db" in response.text


@pytest.mark.parametrize("sql", [
    "select hex(fts3_tokenizer('simple'))", "select length(randomblob(300000000))",
    "select length(zeroblob(300000000))",
    "select length(replace(hex(zeroblob(1000000)), '0', hex(zeroblob(40))))",
])
def test_dangerous_sql_is_refused(archive, sql):
    response = fetch(archive, "/news.json?" + httpx.QueryParams({"sql": sql}).__str__())
    assert response.status_code == 400, response.text[:200]


def test_small_blobs_still_work():
    conn = sqlite3.connect(":memory:")
    secure_connection(conn)
    assert conn.execute("select length(randomblob(16)), length(zeroblob(8))").fetchone() == (16, 8)
    with pytest.raises(sqlite3.DataError):
        conn.execute("select randomblob(300000000)")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("select fts3_tokenizer('simple')")


def test_host_of_reads_ports_and_ipv6():
    assert host_of("[::1]:8001") == "::1" and host_of("Example.ORG:80") == "example.org"
