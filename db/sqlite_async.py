"""SQLite through aiosqlite with one thread hop per statement instead of four.

aiosqlite runs each SQLite connection in a thread of its own; every call crosses to that thread and
back. SQLAlchemy's aiosqlite adapter makes four crossings for each statement (open a cursor,
execute, fetch, close), and the crossings, not SQLite, were most of what an answer cost on SQLite
(bench/RESULTS.md: 0.87 ms of CPU for a trivial statement, 0.09 ms in one crossing). Here the four
steps run together in the connection's thread, in one crossing, with the same results and errors.

Used through ``create_async_engine(..., module=dbapi())``: the URL stays ``sqlite+aiosqlite://``.
The cursor is our own (SQLAlchemy 2.0 and 2.1 shape theirs differently); what it borrows is the
stock connection and module classes, SQLAlchemy's ``await_`` and two private names of aiosqlite
(``Connection._execute`` and ``Connection._conn``), as SQLAlchemy's own adapter does. Should a
release drop one of them, :func:`dbapi` says so in one log line and hands back the stock adapter:
slower, never wrong. ``tests/db`` runs every database test through it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

Outcome = tuple[Any, deque[Any], int | None, int]  # description, rows, lastrowid, rowcount


def _execute(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """One statement as SQLAlchemy's adapter runs it (cursor, execute, fetch, close), in the connection's thread."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, deque(cursor.fetchall()), -1, -1
        return None, deque(), cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class OneHopCursor:
    """A buffered DBAPI cursor for SQLAlchemy's aiosqlite dialect: one call to the connection's thread a statement.

    Rows are fetched with the statement and served from memory, as the stock buffered cursor does.
    """

    server_side = False
    __slots__ = ("_adapt_connection", "_await", "_rows", "arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, adapt_connection: Any, await_: Callable[[Any], Any]) -> None:
        self._adapt_connection = adapt_connection
        self._await = await_
        self._rows: deque[Any] = deque()
        self.arraysize = 1
        self.description: Any = None
        self.lastrowid: int | None = -1
        self.rowcount = -1

    def _run(self, operation: str, parameters: Any, many: bool) -> None:
        connection = self._adapt_connection._connection
        try:
            outcome = self._await(connection._execute(_execute, connection._conn, operation, parameters, many))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description, self._rows, self.lastrowid, self.rowcount = outcome

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        self._run(operation, seq_of_parameters, many=True)

    async def _async_soft_close(self) -> None:
        """Nothing to close: the SQLite cursor closed in the connection's thread (SQLAlchemy calls this)."""

    def close(self) -> None:
        self._rows.clear()

    def setinputsizes(self, *inputsizes: Any) -> None:
        pass

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or self.arraysize, len(rows)))]

    def fetchall(self) -> Sequence[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows


def _stock() -> Any:
    from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

    return AsyncAdapt_aiosqlite_dbapi(aiosqlite, sqlite3)


def _one_hop() -> Any:
    """The stock aiosqlite DBAPI module whose connections hand out :class:`OneHopCursor`; raises if a name is gone."""
    from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_dbapi

    try:  # SQLAlchemy 2.1 calls it await_; 2.0 await_only
        from sqlalchemy.util.concurrency import await_
    except ImportError:
        from sqlalchemy.util.concurrency import await_only as await_

    needed = [(aiosqlite.Connection, "_execute"), (aiosqlite.Connection, "_conn")]
    for owner, name in [*needed, (AsyncAdapt_aiosqlite_connection, "_handle_exception")]:
        if not hasattr(owner, name):
            raise AttributeError(f"{owner.__qualname__}.{name}")

    class OneHopConnection(AsyncAdapt_aiosqlite_connection):
        __slots__ = ()

        def cursor(self, server_side: bool = False) -> Any:
            return super().cursor(server_side) if server_side else OneHopCursor(self, await_)

    class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
        def connect(self, *args: Any, **kwargs: Any) -> OneHopConnection:
            adapted = super().connect(*args, **kwargs)
            return OneHopConnection(self, adapted._connection)

    return OneHopDBAPI(aiosqlite, sqlite3)


_dbapi: Any = None


def dbapi() -> Any:
    """The DBAPI module for ``create_async_engine(module=...)``: one hop a statement, or the stock one if it can't."""
    global _dbapi
    if _dbapi is None:
        try:
            _dbapi = _one_hop()
        except (ImportError, AttributeError) as missing:
            log.warning("SQLite: SQLAlchemy's stock aiosqlite adapter (4 thread hops a statement); %s is gone", missing)
            _dbapi = _stock()
    return _dbapi
