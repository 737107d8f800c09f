"""The scheduled jobs (docs/scheduling.md): committee follow-ups, the annual follow-up, the retention purge.

Every job is a cron expression in the configured time zone (Europe/Copenhagen). A run is identified by its
job and due time; a ``JobRun`` row claims it, so two processes run it once, and at start every job whose
latest due time (within ``CATCH_UP``) has no row is run: a run missed while the process was down is caught
up. The follow-ups (``analytics/followup.py``) also store a ``ReportSnapshot`` per (survey, period, kind) — a
unique key, so the same report is never produced twice — and write the xlsx, html and pdf files into
``settings.reports_dir``.

``run_due(context, now)`` holds all of it and takes the time as an argument, so tests advance the clock
instead of sleeping; the APScheduler jobs only call it with the current time.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from analytics.followup import Notify
from analytics.periods import local_date
from db.database import Database
from db.models import utcnow
from db.repo import callbacks, job_runs, responses, retention, staff

log = logging.getLogger(__name__)

# The cron expressions, retention and withdrawal window are settings (tilfreds.settings: TILFREDS_SCHEDULE_*,
# TILFREDS_RETENTION_MONTHS, TILFREDS_WITHDRAWAL_DAYS); their defaults follow the employment plan and live there.
CATCH_UP = timedelta(days=31)  # a run missed by more than this is not made up at start
STALE_CLAIM = timedelta(hours=1)


@dataclass(frozen=True)
class JobContext:
    settings: Any
    database: Database
    notify: Notify | None = None


@dataclass(frozen=True)
class JobSpec:
    name: str
    cron: str
    description: str
    action: Callable[[JobContext, datetime], Awaitable[str]]


def job_specs(settings: Any) -> list[JobSpec]:
    """The jobs with their cron expressions (defaults follow the employment plan)."""
    return [
        JobSpec(
            "committee",
            settings.schedule_committee,
            "Committee follow-up of every survey listing it: previous full year, year to date, change",
            committee_follow_up,
        ),
        JobSpec(
            "annual",
            settings.schedule_annual,
            "Annual follow-up of every survey listing it: the previous full year",
            annual_follow_up,
        ),
        JobSpec(
            "retention",
            settings.schedule_retention,
            "Retention: delete raw answers after the retention period; cut respondent links after the "
            'withdrawal window; delete "Ring mig op" requests once handled or too old',
            retention_purge,
        ),
    ]


def trigger(spec: JobSpec, tz: str) -> Any:
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger.from_crontab(spec.cron, timezone=tz)


def next_run(spec: JobSpec, now: datetime, tz: str) -> datetime | None:
    """When ``spec`` runs next after ``now`` (aware, in ``tz``)."""
    return trigger(spec, tz).get_next_fire_time(None, now)


def last_due(spec: JobSpec, now: datetime, tz: str, window: timedelta = CATCH_UP) -> datetime | None:
    """The latest time ``spec`` was due at or before ``now``, if within ``window``."""
    cron = trigger(spec, tz)
    due = None
    fire = cron.get_next_fire_time(None, now - window)
    while fire is not None and fire <= now:
        due = fire
        fire = cron.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return due


async def run_due(
    context: JobContext, now: datetime | None = None, names: Sequence[str] | None = None
) -> dict[str, str]:
    """Run every job (or those in ``names``) whose latest due time (at ``now``, default the current time)
    has not been run; returns job → outcome of the runs it made."""
    tz = context.settings.timezone
    now = now or utcnow()
    outcomes: dict[str, str] = {}
    for spec in job_specs(context.settings):
        if names is not None and spec.name not in names:
            continue
        due = last_due(spec, now, tz)
        if due is None:
            continue
        async with context.database.sessions() as session:
            run = await job_runs.claim_run(session, spec.name, due, stale_after=STALE_CLAIM)
            await session.commit()
        if run is None:
            continue
        try:
            outcome = await spec.action(context, due)
        except Exception as exc:
            log.exception("job %s due %s failed", spec.name, due.isoformat())
            outcome = f"failed: {exc.__class__.__name__}"
        async with context.database.sessions() as session:
            await job_runs.finish_run(session, await session.merge(run), outcome)
            await session.commit()
        log.info("job %s due %s: %s", spec.name, due.isoformat(), outcome)
        outcomes[spec.name] = outcome
    return outcomes


def register_jobs(scheduler: Any, settings: Any, database: Database, notify: Notify | None = None) -> None:
    """Add the jobs to an APScheduler 3 ``AsyncIOScheduler``, and a one-off catch-up run at start."""
    context = JobContext(settings, database, notify)
    for spec in job_specs(settings):
        scheduler.add_job(
            run_due,
            trigger(spec, settings.timezone),
            args=[context, None, [spec.name]],
            id=f"tilfreds-{spec.name}",
            name=spec.description,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=int(CATCH_UP.total_seconds()),
        )
    # Once, as soon as the scheduler starts, however long after this call that is (no misfire limit).
    scheduler.add_job(
        _catch_up,
        args=[context],
        id="tilfreds-catch-up",
        name="Catch up missed runs",
        replace_existing=True,
        misfire_grace_time=None,
    )


async def _catch_up(context: JobContext) -> None:
    await run_due(context)


# The jobs ------------------------------------------------------------------------------------------------


async def committee_follow_up(context: JobContext, due: datetime) -> str:
    return await _follow_up(context, "committee", due)


async def annual_follow_up(context: JobContext, due: datetime) -> str:
    return await _follow_up(context, "annual", due)


async def _follow_up(context: JobContext, kind: str, due: datetime) -> str:
    from analytics.followup import follow_up

    # reuse=False: a snapshot that exists was made, its files written and sent, by another process.
    done = await follow_up(context.settings, context.database, kind, due, reuse=False, notify=context.notify)
    return "; ".join(p.outcome for p in done) or f"no survey lists the {kind} follow-up"


async def retention_purge(context: JobContext, due: datetime) -> str:
    settings = context.settings
    months = settings.retention_months
    days = settings.withdrawal_days
    async with context.database.sessions() as session:
        deleted = await retention.purge_responses_before(session, months_before(due, months))
        cut = await responses.cut_links(session, due - timedelta(days=days))
        calls = await callbacks.purge(
            session,
            now=due,
            today=local_date(due, settings.timezone),
            handled_days=settings.callback_handled_days,
            max_days=settings.callback_max_days,
        )
        await staff.purge_attempts(session, due - staff.LOGIN_ATTEMPTS_KEPT)  # not on the way of a login
        await session.commit()
    return (
        f"deleted {deleted} responses older than {months} months; cut {cut} respondent links; "
        f"deleted {calls} call-back requests"
    )


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day if shorter)."""
    import calendar

    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
