"""Retention (docs/privacy.md): raw answers are deleted after the retention period. Aggregated report
snapshots are not touched. (Cutting respondent links after the withdrawal window is
``db.repo.responses.cut_links``.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Answer, Response
from db.repo.affected import rows_affected


async def purge_responses_before(session: AsyncSession, cutoff: datetime) -> int:
    """Delete responses (and their answers) last touched before ``cutoff``; returns how many responses."""
    old = select(Response.id).where(func.coalesce(Response.completed_at, Response.updated_at) < cutoff)
    await session.execute(
        delete(Answer).where(Answer.response_id.in_(old)).execution_options(synchronize_session=False)
    )
    return await rows_affected(
        session,
        delete(Response)
        .where(func.coalesce(Response.completed_at, Response.updated_at) < cutoff)
        .execution_options(synchronize_session=False),
    )
