"""The one-hop SQLite adapter: what SQLAlchemy's own aiosqlite adapter gives, in one thread crossing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection
from sqlalchemy.exc import IntegrityError, OperationalError

from db import sqlite_async
from db.database import Database
from db.sqlite_async import OneHopCursor


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/one-hop.sqlite3")
    async with db.engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield db
    await db.dispose()


async def test_the_engine_uses_it_and_keeps_the_pragmas(database: Database) -> None:
    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.dbapi_connection.cursor(), OneHopCursor)
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_rows_rowcounts_and_ids_come_back_as_from_sqlite(database: Database) -> None:
    async with database.engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO t (name) VALUES ('a')"))
        assert (inserted.rowcount, inserted.lastrowid) == (1, 1)
        many = await connection.execute(text("INSERT INTO t (name) VALUES (:name)"), [{"name": n} for n in "bcd"])
        assert many.rowcount == 3
        updated = await connection.execute(text("UPDATE t SET name = name || '!' WHERE id > 2"))
        assert updated.rowcount == 2
        rows = (await connection.execute(text("SELECT id, name FROM t ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(1, "a"), (2, "b"), (3, "c!"), (4, "d!")]


async def test_errors_are_sqlalchemys_and_roll_back(database: Database) -> None:
    with pytest.raises(IntegrityError):
        async with database.engine.begin() as connection:
            await connection.execute(text("INSERT INTO t (name) VALUES ('x')"))
            await connection.execute(text("INSERT INTO t (name) VALUES ('x')"))
    with pytest.raises(OperationalError, match="no such table"):
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT * FROM missing"))
    async with database.engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM t"))).scalar() == 0


async def test_without_the_private_names_it_falls_back_to_the_stock_adapter_with_one_log_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A future aiosqlite or SQLAlchemy without the names the one-hop cursor needs: slower, still right."""
    monkeypatch.delattr(sqlite_async.aiosqlite.Connection, "_execute")
    monkeypatch.setattr(sqlite_async, "_dbapi", None)
    with caplog.at_level("WARNING", logger="db.sqlite_async"):
        stock = sqlite_async.dbapi()
        assert sqlite_async.dbapi() is stock
    assert [r.getMessage() for r in caplog.records] == [
        "SQLite: SQLAlchemy's stock aiosqlite adapter (4 thread hops a statement); Connection._execute is gone"
    ]
    monkeypatch.undo()  # aiosqlite needs _execute itself; the module stays the stock one
    monkeypatch.setattr(sqlite_async, "_dbapi", stock)
    db = Database(f"sqlite+aiosqlite:///{tmp_path}/stock.sqlite3")
    try:
        async with db.engine.begin() as connection:
            raw = await connection.get_raw_connection()
            assert type(raw.dbapi_connection) is AsyncAdapt_aiosqlite_connection  # the stock one
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
            assert (await connection.execute(text("INSERT INTO t DEFAULT VALUES"))).lastrowid == 1
    finally:
        await db.dispose()
