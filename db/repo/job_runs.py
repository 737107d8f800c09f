"""Claims on scheduled runs and report snapshots: a unique key in the database decides who does the work,
so two processes (or a restart) produce each run and each report once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import JobRun, ReportSnapshot, utcnow


async def claim_run(session: AsyncSession, job: str, due_at: datetime, *, stale_after: timedelta) -> JobRun | None:
    """Claim the run of ``job`` due at ``due_at``: the new row, or None if it is done or being done.

    A claim left unfinished for longer than ``stale_after`` (a process died mid-run) is taken over.
    """
    try:
        async with session.begin_nested():
            run = JobRun(job=job, due_at=due_at, started_at=utcnow())
            session.add(run)
        return run
    except IntegrityError:
        pass
    now = utcnow()
    taken = await session.execute(
        update(JobRun)
        .where(
            JobRun.job == job,
            JobRun.due_at == due_at,
            JobRun.finished_at.is_(None),
            JobRun.started_at < now - stale_after,
        )
        .values(started_at=now)
        .execution_options(synchronize_session=False)
    )
    if not taken.rowcount:
        return None
    return await session.scalar(select(JobRun).where(JobRun.job == job, JobRun.due_at == due_at))


async def finish_run(session: AsyncSession, run: JobRun, outcome: str) -> None:
    run.finished_at = utcnow()
    run.outcome = outcome[:200]
    await session.flush()


async def last_runs(session: AsyncSession) -> dict[str, JobRun]:
    """The latest run (by due time) of every job that has run."""
    latest = select(JobRun.job, func.max(JobRun.due_at).label("due_at")).group_by(JobRun.job).subquery()
    rows = await session.scalars(
        select(JobRun).join(latest, (JobRun.job == latest.c.job) & (JobRun.due_at == latest.c.due_at))
    )
    return {run.job: run for run in rows}


async def has_run(session: AsyncSession, job: str, due_at: datetime) -> bool:
    return await session.scalar(select(JobRun.id).where(JobRun.job == job, JobRun.due_at == due_at)) is not None


async def claim_snapshot(
    session: AsyncSession, survey_key: str, period: str, kind: str, data: dict[str, Any]
) -> ReportSnapshot | None:
    """Store the snapshot of (survey, period, kind), or return None if one exists already."""
    try:
        async with session.begin_nested():
            snapshot = ReportSnapshot(survey_key=survey_key, period=period, kind=kind, data=data, created_at=utcnow())
            session.add(snapshot)
        return snapshot
    except IntegrityError:
        return None


async def find_snapshot(session: AsyncSession, survey_key: str, period: str, kind: str) -> ReportSnapshot | None:
    return await session.scalar(
        select(ReportSnapshot).where(
            ReportSnapshot.survey_key == survey_key, ReportSnapshot.period == period, ReportSnapshot.kind == kind
        )
    )


async def replace_snapshot(
    session: AsyncSession, survey_key: str, period: str, kind: str, data: dict[str, Any]
) -> ReportSnapshot:
    """Store the snapshot of (survey, period, kind), replacing the one there is (a refresh)."""
    await session.execute(
        delete(ReportSnapshot).where(
            ReportSnapshot.survey_key == survey_key, ReportSnapshot.period == period, ReportSnapshot.kind == kind
        )
    )
    snapshot = ReportSnapshot(survey_key=survey_key, period=period, kind=kind, data=data, created_at=utcnow())
    session.add(snapshot)
    await session.flush()
    return snapshot


async def snapshots(session: AsyncSession, survey_key: str | None = None) -> list[ReportSnapshot]:
    stmt = select(ReportSnapshot).order_by(ReportSnapshot.id)
    if survey_key is not None:
        stmt = stmt.where(ReportSnapshot.survey_key == survey_key)
    return list(await session.scalars(stmt))
