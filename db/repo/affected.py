"""How many rows an UPDATE, DELETE or INSERT (without RETURNING) changed.

``AsyncSession.execute`` is typed to return a plain ``Result``: it cannot promise a cursor for every
statement. For these statements it is a ``CursorResult``, whose ``rowcount`` is the number the
repositories report; this checks that instead of assuming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncSession


async def rows_affected(session: AsyncSession, statement: Executable, params: Mapping[str, Any] | None = None) -> int:
    """Run a data-changing statement and return how many rows it changed."""
    result = await session.execute(statement, params)
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(statement).__name__} returned rows, not a row count")
    return result.rowcount
