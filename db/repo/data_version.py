"""The data version: two counters the database's triggers keep (``DataVersion``; migration 0005)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import DataVersion


class Version(NamedTuple):
    added: int  # bumped by changes that only add: new answers, responses, invitations
    removed: int  # bumped by deletions, withdrawals, revised answers, the retention purge


async def current(session: AsyncSession) -> Version | None:
    """The counters now; None for a database without them (then nothing may be cached). One row, by key."""
    row = (await session.execute(select(DataVersion.added, DataVersion.removed).where(DataVersion.id == 1))).first()
    return None if row is None else Version(row.added, row.removed)
