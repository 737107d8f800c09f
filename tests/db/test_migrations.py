"""The Alembic migrations are the schema: they must agree with the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.database import Database
from db.models import Base


def _diff(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


async def test_models_and_migrations_agree(database: Database) -> None:
    async with database.engine.connect() as connection:
        diff = await connection.run_sync(_diff)
    assert diff == []


async def test_upgrade_creates_every_table_and_is_repeatable(database: Database) -> None:
    await database.upgrade()  # a second upgrade on a migrated database changes nothing
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


async def test_ping_reports_a_reachable_database(database: Database) -> None:
    assert await database.ping() is True
    unreachable = Database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    try:
        assert await unreachable.ping(timeout=1) is False
    finally:
        await unreachable.dispose()
