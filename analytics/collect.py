"""Fetch the counts one report needs: five GROUP BY queries side by side, no rows of answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from analytics.layout import SurveyLayout
from analytics.periods import Period, periods_between
from db.repo import aggregates
from db.repo.aggregates import Bounds, InvitationCount, KpiCount, ValueCount

T = TypeVar("T")

# Trend points: months for up to two years, quarters up to six years, years beyond.
_TREND_GRAINS = ((24, "month"), (72, "quarter"))


@dataclass(frozen=True)
class ReportCounts:
    """Everything :func:`analytics.report.build_report` needs, already aggregated."""

    layout: SurveyLayout
    period: Period
    overall: KpiCount
    previous: KpiCount
    by_segment: dict[str, list[KpiCount]]
    values: list[ValueCount]
    comments: int
    invitations: InvitationCount | None
    invitations_by_segment: dict[str, list[InvitationCount]]
    multi_use_responses: int
    trend: list[tuple[Period, KpiCount]] = field(default_factory=list)
    where: tuple[str, str] | None = None  # the segment filter every count above obeys


def trend_periods(period: Period) -> list[Period]:
    """The whole months (or quarters, or years) a trend chart of ``period`` shows, oldest first."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    grain = next((g for limit, g in _TREND_GRAINS if months <= limit), "year")
    return periods_between(period.start, period.end, grain)


async def collect(
    sessions: Callable[[], AsyncSession],
    layout: SurveyLayout,
    period: Period,
    *,
    tz: str,
    segment_keys: Sequence[str] | None = None,
    where: tuple[str, str] | None = None,
) -> ReportCounts:
    """Run the report's queries for ``period`` (and its previous period, and the trend points).

    The five queries are independent and read-only, so they run side by side, each in a session of its
    own from ``sessions`` (a session factory): on SQLite each connection has its own thread, and a
    report uses more than one core. ``segment_keys``: the keys to break down by; all of the survey's
    keys when None. ``where``: count only responses (and invitations) whose segment ``key`` is ``value``.
    """
    keys = list(layout.segments) if segment_keys is None else list(segment_keys)

    def bounds(p: Period) -> Bounds:
        start, end = p.utc_bounds(tz)
        return Bounds(layout.key, layout.headline_id, start, end, where)

    async def read(query: Callable[..., Awaitable[T]], *args: Any) -> T:
        async with sessions() as session:
            return await query(session, *args)

    current = bounds(period)
    numeric = [item.id for item in layout.items_of("scale", "nps")]
    texts = [item.id for item in layout.items_of("text")]
    points = [
        # The first and last points may run past the period; clip them so the trend adds up to it.
        Period(p.label, max(p.start, period.start), min(p.end, period.end), p.kind)
        for p in trend_periods(period)
    ]
    edges = [points[0].utc_bounds(tz)[0], *(p.utc_bounds(tz)[1] for p in points)]
    # One pass each, the longest first: answers per item; the period's headlines by segments and trend
    # interval; its invitations by segments; comments; the previous period's headlines.
    values, groups, invitations, comments, previous = await asyncio.gather(
        read(aggregates.value_counts, current, numeric),
        read(aggregates.kpi_groups, current, edges),
        read(aggregates.invitation_groups, current),
        read(aggregates.comment_count, current, texts),
        read(aggregates.kpi_counts, bounds(period.previous())),
    )
    overall_invitations = aggregates.sum_invitations(invitations)
    return ReportCounts(
        layout=layout,
        period=period,
        overall=aggregates.sum_kpi(groups)[0],
        previous=previous[0],
        by_segment={key: aggregates.sum_kpi(groups, by=key) for key in keys},
        values=values,
        comments=comments,
        invitations=overall_invitations[0] if overall_invitations else None,
        invitations_by_segment={key: aggregates.sum_invitations(invitations, by=key) for key in keys},
        multi_use_responses=aggregates.multi_use_total(groups),
        trend=list(zip(points, aggregates.sum_by_interval(groups, len(points)), strict=True)),
        where=where,
    )
