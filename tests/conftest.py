"""Shared fixtures: a migrated database on SQLite and on PostgreSQL.

PostgreSQL comes from ``TILFREDS_TEST_POSTGRES_URL`` (CI sets it). Each test run creates its own
database ``tilfreds_test_<random>`` on that server and drops it at the end, so runs sharing the
server never see each other's rows. With ``CI=true`` an unreachable server fails the tests;
elsewhere they skip with the reason.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from db.database import Database

POSTGRES_ENV = "TILFREDS_TEST_POSTGRES_URL"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _postgres_unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


async def _admin(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh database on the test PostgreSQL server, for this run only."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        _postgres_unavailable(f"{POSTGRES_ENV} is not set")
    name = f"tilfreds_test_{secrets.token_hex(4)}"
    try:
        asyncio.run(asyncio.wait_for(_admin(base, f'CREATE DATABASE "{name}"'), 10))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server means "unavailable"
        _postgres_unavailable(f"cannot create a database at {make_url(base).render_as_string()}: {exc}")
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    yield url
    asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def migrated_urls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Cache of migrated database URLs per backend, filled lazily."""
    return {}


def _sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("sqlite") / "test.sqlite3"
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty, migrated database: a new SQLite file, or a clean PostgreSQL schema."""
    if request.param == "sqlite":
        url = _sqlite_url(tmp_path_factory)
        asyncio.run(_migrate(url))
        return url
    url = request.getfixturevalue("postgres_server_url")
    asyncio.run(_reset_postgres(url))
    return url


async def _migrate(url: str) -> None:
    database = Database(url)
    try:
        await database.upgrade()
    finally:
        await database.dispose()


async def _reset_postgres(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    await _migrate(url)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A :class:`Database` on a migrated, empty database (SQLite and PostgreSQL)."""
    db = Database(database_url)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    async with database.sessions() as s:
        yield s
