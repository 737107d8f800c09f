"""Responses one by one, for the staff's raw export: streamed, never all in memory, never a respondent id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import Answer, Response, SurveyVersion
from db.repo.aggregates import Bounds, counted_responses

BATCH = 500


@dataclass
class RawResponse:
    """One response with its answers: question id → (option, value, text)."""

    id: int
    version: int
    status: str
    completed_at: datetime | None
    segments: dict[str, str]
    answers: dict[str, tuple[str | None, int | None, str | None]] = field(default_factory=dict)


async def stream_responses(session: AsyncSession, bounds: Bounds) -> AsyncIterator[RawResponse]:
    """The period's counted responses (those a report counts), oldest id first, with their answers."""
    item = aliased(Answer, name="item")
    stmt, _ = counted_responses(
        bounds,
        Response.id,
        SurveyVersion.version,
        Response.status,
        Response.completed_at,
        Response.segments,
        item.question_id,
        item.option,
        item.value,
        item.text,
    )
    stmt = (
        stmt.join(SurveyVersion, SurveyVersion.id == Response.survey_version_id)
        .outerjoin(item, item.response_id == Response.id)
        .order_by(Response.id, item.question_id)
        .execution_options(yield_per=BATCH)
    )
    current: RawResponse | None = None
    result = await session.stream(stmt)
    async for rid, version, status, completed_at, segments, question_id, option, value, text in result:
        if current is None or current.id != rid:
            if current is not None:
                yield current
            current = RawResponse(rid, version, status, completed_at, dict(segments or {}))
        if question_id is not None:
            current.answers[question_id] = (option, value, text)
    if current is not None:
        yield current
