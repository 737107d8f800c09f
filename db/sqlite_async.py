"""SQLite through aiosqlite with one thread hop per statement instead of four.

aiosqlite runs each SQLite connection in a thread of its own; every call crosses to that thread and
back. SQLAlchemy's aiosqlite adapter makes four crossings for each statement (open a cursor,
execute, fetch, close), and the crossings, not SQLite, were most of what an answer cost on SQLite
(bench/RESULTS.md: 0.87 ms of CPU for a trivial statement, 0.09 ms in one crossing). Here the four
steps run together in the connection's thread, in one crossing, with the same results and errors.

Used through ``create_async_engine(..., module=DBAPI)``: the URL stays ``sqlite+aiosqlite://``.
It leans on two private names of aiosqlite (``Connection._execute`` and ``Connection._conn``), as
SQLAlchemy's own adapter does; ``tests/db`` runs every database test through it.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

Outcome = tuple[Any, deque[Any], int, int]  # description, rows, lastrowid, rowcount


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


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's buffered aiosqlite cursor, each statement in one call to the connection's thread."""

    __slots__ = ()

    def _run(self, operation: str, parameters: Any, many: bool) -> None:
        connection = self._connection
        try:
            outcome = self.await_(connection._execute(_execute, connection._conn, operation, parameters, many))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description, self._rows, self.lastrowid, self.rowcount = outcome

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._run(operation, seq_of_parameters, many=True)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        return super().cursor(server_side) if server_side else OneHopCursor(self)


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect uses, handing out :class:`OneHopConnection`."""

    def connect(self, *args: Any, **kwargs: Any) -> OneHopConnection:
        adapted = super().connect(*args, **kwargs)
        return OneHopConnection(self, adapted._connection)


DBAPI = OneHopDBAPI(aiosqlite, sqlite3)
