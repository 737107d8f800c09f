"""Counts for reports: every query here is a GROUP BY that runs in the database.

Nothing loads answers row by row, so memory stays flat however many responses there are; the
results are small (one row per segment value, per question and answer value).

Which responses count (DESIGN.md §1): a response belongs to a period by the moment its headline
question was answered, compared with the period's UTC bounds (``Period.utc_bounds`` turns the
local dates in Europe/Copenhagen into UTC instants, across daylight saving). It counts as soon as
the headline is answered, even if later questions were skipped; a withdrawn response never counts.
The same queries run unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import Answer, Invitation, Response, ResponseStatus
from surveys.kpi import SATISFIED_VALUES, SCORED_VALUES
from surveys.model import DONT_KNOW

SCALE_MIN, SCALE_MAX = min(SCORED_VALUES), max(SCORED_VALUES)
SATISFIED_MIN = min(SATISFIED_VALUES)


@dataclass(frozen=True)
class Bounds:
    """What to count: one survey, its headline question, and a UTC interval ``start <= t < end``."""

    survey_key: str
    headline_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class KpiCount:
    """The headline counts of one group. ``segment`` is None for all responses, or for those without
    the segment when grouped by a key."""

    segment: str | None
    n: int  # headline answered 1–5 (the KPI denominator)
    satisfied: int  # headline answered 4 or 5
    dont_know: int  # headline answered "ved ikke" (left out of n)


@dataclass(frozen=True)
class ValueCount:
    """How many responses gave ``question_id`` the answer ``option`` (numeric ``value``, None for dk/na)."""

    question_id: str
    option: str | None
    value: int | None
    count: int


@dataclass(frozen=True)
class InvitationCount:
    """Single-use invitations created in the period, and how many of them led to a completed response."""

    segment: str | None
    issued: int
    completed: int


def _segment_expr(column: ColumnElement, key: str | None) -> ColumnElement:
    # The JSON index compiles to json_extract(...) on SQLite and ->> on PostgreSQL.
    if key is None:
        return literal(None).label("segment")
    return column[key].as_string().label("segment")


def counted_responses(bounds: Bounds, *columns: ColumnElement) -> tuple[Select, type[Answer]]:
    """Responses whose headline was answered (1–5 or "ved ikke") in the bounds, not withdrawn."""
    headline = aliased(Answer, name="headline")
    stmt = (
        select(*columns)
        .select_from(Response)
        .join(headline, and_(headline.response_id == Response.id, headline.question_id == bounds.headline_id))
        .where(
            Response.survey_key == bounds.survey_key,
            Response.status != ResponseStatus.WITHDRAWN.value,
            headline.answered_at >= bounds.start,
            headline.answered_at < bounds.end,
            or_(headline.value.between(SCALE_MIN, SCALE_MAX), headline.option == DONT_KNOW),
        )
    )
    return stmt, headline


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def kpi_counts(session: AsyncSession, bounds: Bounds, by: str | None = None) -> list[KpiCount]:
    """Headline counts, overall (``by=None``: one row) or per value of the segment key ``by``."""
    segment = _segment_expr(Response.segments, by)
    stmt, headline = counted_responses(bounds)
    stmt = stmt.add_columns(
        segment,
        _count_if(headline.value.between(SCALE_MIN, SCALE_MAX)),
        _count_if(headline.value >= SATISFIED_MIN),
        _count_if(headline.option == DONT_KNOW),
    )
    if by is not None:
        stmt = stmt.group_by(segment)
    rows = (await session.execute(stmt)).all()
    counts = [KpiCount(segment=row[0], n=int(row[1]), satisfied=int(row[2]), dont_know=int(row[3])) for row in rows]
    if by is None and not counts:
        counts = [KpiCount(segment=None, n=0, satisfied=0, dont_know=0)]
    return counts


async def kpi_counts_by_interval(session: AsyncSession, bounds: Bounds, edges: Sequence[datetime]) -> list[KpiCount]:
    """Headline counts per consecutive interval ``edges[i] <= t < edges[i+1]`` in one query (trend points).

    ``segment`` holds the interval's index as a string; intervals without responses are returned with zeros.
    The intervals must lie inside ``bounds``.
    """
    if len(edges) < 2:
        return []
    stmt, headline = counted_responses(Bounds(bounds.survey_key, bounds.headline_id, edges[0], edges[-1]))
    # A CASE over the UTC edges puts each response in its interval on every dialect (no date functions).
    bucket = case(*((headline.answered_at < edge, i) for i, edge in enumerate(edges[1:])), else_=None).label("bucket")
    stmt = stmt.add_columns(
        bucket,
        _count_if(headline.value.between(SCALE_MIN, SCALE_MAX)),
        _count_if(headline.value >= SATISFIED_MIN),
        _count_if(headline.option == DONT_KNOW),
    ).group_by(bucket)
    found = {int(row[0]): row for row in (await session.execute(stmt)).all() if row[0] is not None}
    return [
        KpiCount(segment=str(i), n=int(found[i][1]), satisfied=int(found[i][2]), dont_know=int(found[i][3]))
        if i in found
        else KpiCount(segment=str(i), n=0, satisfied=0, dont_know=0)
        for i in range(len(edges) - 1)
    ]


async def value_counts(session: AsyncSession, bounds: Bounds, question_ids: Sequence[str]) -> list[ValueCount]:
    """Answer counts per question and answer option, over the period's responses."""
    if not question_ids:
        return []
    item = aliased(Answer, name="item")
    stmt, _ = counted_responses(bounds, item.question_id, item.option, item.value, func.count())
    stmt = (
        stmt.join(item, item.response_id == Response.id)
        .where(item.question_id.in_(list(question_ids)))
        .group_by(item.question_id, item.option, item.value)
        .order_by(item.question_id, item.value, item.option)
    )
    rows = (await session.execute(stmt)).all()
    return [ValueCount(question_id=q, option=o, value=v, count=int(c)) for q, o, v, c in rows]


async def comment_count(session: AsyncSession, bounds: Bounds, question_ids: Sequence[str]) -> int:
    """How many of the period's responses left a (non-empty) free-text comment."""
    if not question_ids:
        return 0
    item = aliased(Answer, name="comment")
    stmt, _ = counted_responses(bounds, func.count(func.distinct(Response.id)))
    stmt = stmt.join(item, item.response_id == Response.id).where(
        item.question_id.in_(list(question_ids)), item.text.is_not(None), item.text != ""
    )
    return int(await session.scalar(stmt) or 0)


async def invitation_counts(session: AsyncSession, bounds: Bounds, by: str | None = None) -> list[InvitationCount]:
    """Single-use invitations created in the bounds and those that led to a completed response.

    Multi-use (QR poster) invitations have no denominator and are left out here.
    """
    segment = _segment_expr(Invitation.segments, by)
    completed = (
        select(func.count(Response.id))
        .where(
            Response.invitation_id == Invitation.id,
            Response.status == ResponseStatus.COMPLETED.value,
        )
        .correlate(Invitation)
        .scalar_subquery()
    )
    stmt = select(
        segment,
        func.count(Invitation.id),
        _count_if(completed > 0),
    ).where(
        Invitation.survey_key == bounds.survey_key,
        Invitation.max_uses == 1,
        Invitation.created_at >= bounds.start,
        Invitation.created_at < bounds.end,
    )
    if by is not None:
        stmt = stmt.group_by(segment)
    rows = (await session.execute(stmt)).all()
    return [InvitationCount(segment=s, issued=int(i), completed=int(c)) for s, i, c in rows if i]


async def multi_use_responses(session: AsyncSession, bounds: Bounds) -> int:
    """The period's responses that came through a multi-use invitation (or none): no denominator."""
    stmt, _ = counted_responses(bounds, func.count(Response.id))
    stmt = stmt.outerjoin(Invitation, Invitation.id == Response.invitation_id).where(
        or_(Invitation.id.is_(None), Invitation.max_uses.is_(None), Invitation.max_uses != 1)
    )
    return int(await session.scalar(stmt) or 0)
