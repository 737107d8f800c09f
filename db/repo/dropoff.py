"""Where people stop: per question, how many answered it, skipped it, or left the survey there.

Two GROUP BY queries over the responses *started* in the period (a response that stopped before its headline
has no headline answer, so the report's usual population would miss exactly the people this is about).
Withdrawn responses are left out, as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import Answer, Response, ResponseStatus
from db.repo.aggregates import Bounds
from surveys.engine import SKIP_OPTION


@dataclass(frozen=True)
class QuestionFlow:
    """Counts for one question id: answers given (any option but skip, or a text), skips, stops."""

    question_id: str
    answered: int = 0
    skipped: int = 0
    stopped: int = 0


def _started(bounds: Bounds) -> list[ColumnElement[bool]]:
    conditions = [
        Response.survey_key == bounds.survey_key,
        Response.status != ResponseStatus.WITHDRAWN.value,
        Response.started_at >= bounds.start,
        Response.started_at < bounds.end,
    ]
    if bounds.where is not None:
        key, value = bounds.where
        conditions.append(Response.segments[key].as_string() == value)
    return conditions


async def started_count(session: AsyncSession, bounds: Bounds) -> int:
    """Responses started in the bounds (not withdrawn)."""
    return int(await session.scalar(select(func.count()).select_from(Response).where(*_started(bounds))) or 0)


async def question_flow(session: AsyncSession, bounds: Bounds) -> list[QuestionFlow]:
    """Answered and skipped per question, and how many unfinished responses stand at each question."""
    skipped = func.coalesce(func.sum(case((Answer.option == SKIP_OPTION, 1), else_=0)), 0)
    answers = (
        select(Answer.question_id, func.count() - skipped, skipped)
        .join(Response, Response.id == Answer.response_id)
        .where(*_started(bounds))
        .group_by(Answer.question_id)
    )
    given = aliased(Answer, name="given")
    stops = (
        select(Response.current_question, func.count())
        .where(
            *_started(bounds),
            Response.status != ResponseStatus.COMPLETED.value,
            Response.current_question.is_not(None),
            # Standing at a question answered before (they went back) is not stopping there: it counts as answered.
            ~select(given.id)
            .where(given.response_id == Response.id, given.question_id == Response.current_question)
            .exists(),
        )
        .group_by(Response.current_question)
    )
    flows: dict[str, QuestionFlow] = {}
    for question_id, answered, skips in (await session.execute(answers)).all():
        flows[question_id] = QuestionFlow(question_id, int(answered), int(skips))
    for question_id, stopped in (await session.execute(stops)).all():
        known = flows.get(question_id, QuestionFlow(question_id))
        flows[question_id] = QuestionFlow(question_id, known.answered, known.skipped, int(stopped))
    return list(flows.values())
