"""Retention (DESIGN.md §4): raw answers are deleted after the retention period, and the link between a
completed response and its respondent is cut once the withdrawal window has passed. Aggregated report
snapshots are not touched."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Answer, Response, ResponseStatus


async def purge_responses_before(session: AsyncSession, cutoff: datetime) -> int:
    """Delete responses (and their answers) last touched before ``cutoff``; returns how many responses."""
    old = select(Response.id).where(func.coalesce(Response.completed_at, Response.updated_at) < cutoff)
    await session.execute(
        delete(Answer).where(Answer.response_id.in_(old)).execution_options(synchronize_session=False)
    )
    result = await session.execute(
        delete(Response)
        .where(func.coalesce(Response.completed_at, Response.updated_at) < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


async def cut_respondent_links(session: AsyncSession, completed_before: datetime) -> int:
    """Forget who gave each response completed before ``completed_before``; returns how many links were cut."""
    result = await session.execute(
        update(Response)
        .where(
            Response.status == ResponseStatus.COMPLETED.value,
            Response.completed_at < completed_before,
            Response.respondent_id.is_not(None),
        )
        .values(respondent_id=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
