"""Counts for reports: every query here is a GROUP BY that runs in the database.

Nothing loads answers row by row, so memory stays flat however many responses there are; the
results are small (one row per combination of segments and trend month, or per question and answer
value). A report makes one pass per kind of count, not one per segment key: the headlines are
grouped by the segments as stored (JSON text) and summed per key here, so no JSON is read per row
(bench/RESULTS.md has the measurements).

Which responses count (docs/measurement.md): a response belongs to a period by the moment its headline
question was answered, compared with the period's UTC bounds (``Period.utc_bounds`` turns the
local dates in Europe/Copenhagen into UTC instants, across daylight saving). It counts as soon as
the headline is answered, even if later questions were skipped; a withdrawn response never counts.
The same queries run unchanged on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, Text, and_, case, cast, func, literal, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.models import Answer, Invitation, Response, ResponseStatus
from surveys.kpi import SATISFIED_VALUES, SCORED_VALUES
from surveys.model import DONT_KNOW, LANGUAGE_SEGMENT

SCALE_MIN, SCALE_MAX = min(SCORED_VALUES), max(SCORED_VALUES)
SATISFIED_MIN = min(SATISFIED_VALUES)


@dataclass(frozen=True)
class Bounds:
    """What to count: one survey, its headline question, and a UTC interval ``start <= t < end``."""

    survey_key: str
    headline_id: str
    start: datetime
    end: datetime
    where: tuple[str, str] | None = None  # only responses (and invitations) with this segment key = value


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


@dataclass(frozen=True)
class KpiGroup:
    """Headline counts of the responses that share segments, trend interval and kind of invitation."""

    segments: Mapping[str, str]
    interval: int | None  # index of the trend interval; None when not asked for
    multi_use: bool  # through a multi-use (QR poster) invitation, or none: no denominator
    n: int
    satisfied: int
    dont_know: int


@dataclass(frozen=True)
class InvitationGroup:
    """Single-use invitations that share segments, and how many led to a completed response."""

    segments: Mapping[str, str]
    issued: int
    completed: int


# Every response has a channel ("telegram" or "web"); reports break it down like a segment from the invitation.
CHANNEL_KEY = "channel"


class _SegmentParser:
    """Segments come back as the JSON text they were stored as; parse each distinct text once."""

    def __init__(self) -> None:
        self._seen: dict[str | None, Mapping[str, str]] = {}

    def __call__(self, text: str | None) -> Mapping[str, str]:
        if text not in self._seen:
            loaded = json.loads(text) if text else None
            self._seen[text] = (
                {str(k): str(v) for k, v in loaded.items() if v is not None} if isinstance(loaded, dict) else {}
            )
        return self._seen[text]


# -- summing groups: pure ------------------------------------------------------------------------


def _segment_order(segment: str | None) -> tuple[bool, str]:
    return (segment is not None, segment or "")


def sum_kpi(groups: Iterable[KpiGroup], by: str | None = None) -> list[KpiCount]:
    """Overall counts (``by=None``: always exactly one row, zeros when empty), or one row per value
    of the segment key ``by`` (None for responses without it), the missing value first."""
    totals: dict[str | None, list[int]] = {}
    for group in groups:
        total = totals.setdefault(None if by is None else group.segments.get(by), [0, 0, 0])
        total[0] += group.n
        total[1] += group.satisfied
        total[2] += group.dont_know
    if by is None:
        n, satisfied, dont_know = totals.get(None, [0, 0, 0])
        return [KpiCount(None, n, satisfied, dont_know)]
    return [KpiCount(segment, *totals[segment]) for segment in sorted(totals, key=_segment_order)]


def sum_by_interval(groups: Iterable[KpiGroup], intervals: int) -> list[KpiCount]:
    """Counts per trend interval ``0 .. intervals-1`` (``segment`` holds the index), zeros where empty."""
    totals = [[0, 0, 0] for _ in range(intervals)]
    for group in groups:
        if group.interval is not None and 0 <= group.interval < intervals:
            total = totals[group.interval]
            total[0] += group.n
            total[1] += group.satisfied
            total[2] += group.dont_know
    return [KpiCount(str(i), *total) for i, total in enumerate(totals)]


def multi_use_total(groups: Iterable[KpiGroup]) -> int:
    """Counted responses (1–5 or "ved ikke") that came through a multi-use invitation or none."""
    return sum(g.n + g.dont_know for g in groups if g.multi_use)


def sum_invitations(groups: Iterable[InvitationGroup], by: str | None = None) -> list[InvitationCount]:
    """Invitations overall (one row, or none when there were none) or per value of the segment key ``by``."""
    totals: dict[str | None, list[int]] = {}
    for group in groups:
        total = totals.setdefault(None if by is None else group.segments.get(by), [0, 0])
        total[0] += group.issued
        total[1] += group.completed
    return [InvitationCount(s, *totals[s]) for s in sorted(totals, key=_segment_order) if totals[s][0]]


# -- the queries ----------------------------------------------------------------------------------


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
    if bounds.where is not None:
        key, value = bounds.where
        stmt = stmt.where(Response.segments[key].as_string() == value)
    return stmt, headline


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def kpi_groups(session: AsyncSession, bounds: Bounds, edges: Sequence[datetime] = ()) -> list[KpiGroup]:
    """Headline counts in one pass over the period, grouped by everything a report breaks them down by.

    Each group shares its segments (with the response's channel as ``channel`` and its language as
    ``language``), its trend interval (``edges[i] <= t < edges[i+1]``; None without edges, or outside them)
    and whether it came through a multi-use invitation (or none). The segments are grouped as stored (JSON
    text) and parsed here, once per distinct value: no JSON is read per row.
    """
    stmt, headline = counted_responses(bounds)
    segments = cast(Response.segments, Text).label("segments_text")
    channel = Response.channel.label("channel")
    bucket = (
        case(*((headline.answered_at < edge, i) for i, edge in enumerate(edges[1:])), else_=None)
        if len(edges) >= 2
        else literal(None)
    ).label("bucket")
    single_use = case((Invitation.max_uses == 1, 1), else_=0).label("single_use")
    language = Response.language.label("language")
    stmt = (
        stmt.add_columns(
            segments,
            channel,
            language,
            bucket,
            single_use,
            _count_if(headline.value.between(SCALE_MIN, SCALE_MAX)),
            _count_if(headline.value >= SATISFIED_MIN),
            _count_if(headline.option == DONT_KNOW),
        )
        .outerjoin(Invitation, Invitation.id == Response.invitation_id)
        # By the labels: each expression is computed once per row, not again for the grouping.
        .group_by(*(literal_column(c.name) for c in (segments, channel, language, bucket, single_use)))
    )
    parsed = _SegmentParser()
    return [
        KpiGroup(
            {**parsed(text), CHANNEL_KEY: way, LANGUAGE_SEGMENT: lang},
            None if b is None else int(b),
            not single,
            int(n),
            int(sat),
            int(dk),
        )
        for text, way, lang, b, single, n, sat, dk in (await session.execute(stmt)).all()
    ]


async def kpi_counts(session: AsyncSession, bounds: Bounds, by: str | None = None) -> list[KpiCount]:
    """Headline counts, overall (``by=None``: one row) or per value of the segment key ``by``."""
    return sum_kpi(await kpi_groups(session, bounds), by)


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
    comment = aliased(Answer, name="comment")
    # EXISTS, not a join and COUNT(DISTINCT): one look-up per response and no sort.
    commented = (
        select(comment.id)
        .where(
            comment.response_id == Response.id,
            comment.question_id.in_(list(question_ids)),
            comment.text.is_not(None),
            comment.text != "",
        )
        .exists()
    )
    stmt, _ = counted_responses(bounds, func.count())
    return int(await session.scalar(stmt.where(commented)) or 0)


async def invitation_groups(session: AsyncSession, bounds: Bounds) -> list[InvitationGroup]:
    """Single-use invitations created in the bounds, and those that led to a completed response,
    grouped by their segments (one pass; parsed once per distinct value).

    Multi-use (QR poster) invitations have no denominator and are left out here.
    """
    segments = cast(Invitation.segments, Text).label("segments_text")
    completed = (
        select(Response.id)
        .where(Response.invitation_id == Invitation.id, Response.status == ResponseStatus.COMPLETED.value)
        .correlate(Invitation)
        .exists()
    )
    stmt = (
        select(segments, func.count(Invitation.id), _count_if(completed))
        .where(
            Invitation.survey_key == bounds.survey_key,
            Invitation.max_uses == 1,
            Invitation.created_at >= bounds.start,
            Invitation.created_at < bounds.end,
        )
        .group_by(literal_column(segments.name))
    )
    if bounds.where is not None:
        key, value = bounds.where
        stmt = stmt.where(Invitation.segments[key].as_string() == value)
    parsed = _SegmentParser()
    return [
        InvitationGroup(parsed(text), int(issued), int(done))
        for text, issued, done in (await session.execute(stmt)).all()
    ]


async def invitation_counts(session: AsyncSession, bounds: Bounds, by: str | None = None) -> list[InvitationCount]:
    """Single-use invitations and their completed responses, overall or per value of ``by``."""
    return sum_invitations(await invitation_groups(session, bounds), by)
