"""Engine, sessions and migrations for one database URL.

Callers own the unit of work: repository functions only flush; the handler or job that
opened the session commits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from db.private_files import make_private

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """An async engine and its session factory."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        # hide_parameters: an error's message (and so every log line and traceback) shows the statement but
        # never its parameters, which can be an answer's text or an inbox payload.
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.is_sqlite:
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
                make_private(Path(self.url.database))  # its WAL and -shm files get the same mode
            if self.url.get_driver_name() == "aiosqlite":
                from db.sqlite_async import dbapi

                kwargs["module"] = dbapi()  # one thread hop per statement (db/sqlite_async.py)
        else:
            kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def safe_url(self) -> str:
        """The URL with any password hidden, for logs and the health check."""
        return self.url.render_as_string(hide_password=True)

    async def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migrations up to ``revision``."""
        from alembic import command

        config = alembic_config()
        async with self.engine.begin() as connection:
            await connection.run_sync(_run_alembic, config, command.upgrade, revision)

    async def ping(self, timeout: float = 2.0) -> bool:
        try:
            async with asyncio.timeout(timeout), self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _run_alembic(connection: Connection, config: Config, command: Callable[[Config, str], None], revision: str) -> None:
    config.attributes["connection"] = connection
    command(config, revision)
