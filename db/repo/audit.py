"""The audit log: every export and every invitation batch leaves a row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEntry, utcnow


async def record(
    session: AsyncSession, *, actor: str, action: str, detail: dict[str, Any], rows: int | None = None
) -> AuditEntry:
    entry = AuditEntry(actor=actor[:64], action=action, detail=detail, rows=rows, at=utcnow())
    session.add(entry)
    await session.flush()
    return entry


async def recent(session: AsyncSession, limit: int = 100) -> list[AuditEntry]:
    result = await session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return list(result)
