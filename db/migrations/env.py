"""Alembic environment: migrations run on a connection handed over by ``db.database``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import context

from db.models import Base

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

config = context.config
target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite" and not config.attributes.get("no_batch"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `tilfreds db upgrade` (db.database.Database.upgrade)")
run_migrations(connection)
