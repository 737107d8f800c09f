"""Writing to the database: one writer at a time on SQLite, within this process.

SQLite has one writer. Without a queue of our own, its busy handler makes writers sleep and retry (up
to 100 ms a time), a transaction that read before another one committed cannot write at all, and under
load a writer gives up with ``database is locked``. So every writer of this process — the bot's inbox,
its reminders and the staff web — takes a turn here first. Storing incoming updates (``urgent``) goes
before other writes, so acknowledging Telegram never waits behind a queue. PostgreSQL needs none of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database


class WriteTurns:
    """Turns at writing for one SQLite database; urgent writers go first."""

    def __init__(self) -> None:
        self._free = asyncio.Condition()
        self._busy = False
        self._urgent_waiting = 0

    @contextlib.asynccontextmanager
    async def turn(self, urgent: bool = False) -> AsyncIterator[None]:
        async with self._free:
            if urgent:
                self._urgent_waiting += 1
                try:
                    await self._free.wait_for(lambda: not self._busy)
                finally:
                    self._urgent_waiting -= 1
            else:
                await self._free.wait_for(lambda: not self._busy and not self._urgent_waiting)
            self._busy = True
        try:
            yield
        finally:
            async with self._free:
                self._busy = False
                self._free.notify_all()


_TURNS: weakref.WeakKeyDictionary[Database, WriteTurns] = weakref.WeakKeyDictionary()


def write_turn(database: Database, *, urgent: bool = False) -> contextlib.AbstractAsyncContextManager[None]:
    """An async context to write in: a turn on SQLite (see :class:`WriteTurns`), nothing on PostgreSQL."""
    if not database.is_sqlite:
        return contextlib.nullcontext()
    turns = _TURNS.get(database)
    if turns is None:
        turns = _TURNS[database] = WriteTurns()
    return turns.turn(urgent)


@contextlib.asynccontextmanager
async def write_session(database: Database, *, urgent: bool = False) -> AsyncIterator[AsyncSession]:
    """A session in a transaction, in this process's write turn; commits when the block ends without error.

    Keep the block short: on SQLite every other writer of the process waits for it.
    """
    async with write_turn(database, urgent=urgent), database.sessions() as session, session.begin():
        yield session
