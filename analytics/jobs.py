"""The scheduled jobs (docs/scheduling.md): committee follow-ups, the annual follow-up, the retention purge.

Every job is a cron expression in the configured time zone (Europe/Copenhagen). A run is identified by its
job and due time; a ``JobRun`` row claims it, so two processes run it once, and at start every job whose
latest due time (within ``CATCH_UP``) has no row is run: a run missed while the process was down is caught
up. Report jobs also store a ``ReportSnapshot`` per (survey, period, kind) — a unique key, so the same
report is never produced twice — and write the xlsx and html files into ``settings.reports_dir``.

``run_due(context, now)`` holds all of it and takes the time as an argument, so tests advance the clock
instead of sleeping; the APScheduler jobs only call it with the current time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from analytics.periods import Period, local_date, range_period, year_period, ytd_period
from db.database import Database
from db.models import utcnow
from db.repo import audit, job_runs, responses, retention, staff

log = logging.getLogger(__name__)

# The cron expressions, retention and withdrawal window are settings (tilfreds.settings: TILFREDS_SCHEDULE_*,
# TILFREDS_RETENTION_MONTHS, TILFREDS_WITHDRAWAL_DAYS); their defaults follow the employment plan and live there.
CATCH_UP = timedelta(days=31)  # a run missed by more than this is not made up at start
STALE_CLAIM = timedelta(hours=1)

Notify = Callable[[str, Sequence[Path]], Awaitable[None]]
"""``await notify(message, files)``: send staff the headline numbers and the report files (Telegram)."""


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
            "withdrawal window",
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


def _day_before(due: datetime, tz: str) -> date:
    """Reports cover whole days: up to and including the day before the run."""
    return local_date(due, tz) - timedelta(days=1)


def committee_periods(due: datetime, tz: str) -> tuple[Period, Period]:
    """(year to date up to the day before ``due``, the previous full year)."""
    last = _day_before(due, tz)
    return ytd_period(last.year, last.month, last.day), year_period(last.year - 1)


def surveys_in(kind: str) -> list[str]:
    """The surveys whose definition lists the follow-up ``kind`` (``follow_ups:``), in their staff order."""
    from surveys import builtin_surveys

    return [key for key, survey in builtin_surveys().items() if kind in survey.follow_ups]


async def committee_follow_up(context: JobContext, due: datetime) -> str:
    tz = context.settings.timezone
    ytd, previous_year = committee_periods(due, tz)
    key = range_period(ytd.start, ytd.end).label  # "2026-01-01:2026-02-28": unique per run
    done = [
        await _report_job(context, survey, [ytd, previous_year], key, "committee", due)
        for survey in surveys_in("committee")
    ]
    return "; ".join(done) or "no survey lists the committee follow-up"


async def annual_follow_up(context: JobContext, due: datetime) -> str:
    year = year_period(local_date(due, context.settings.timezone).year - 1)  # the last full year
    done = [await _report_job(context, survey, [year], year.label, "annual", due) for survey in surveys_in("annual")]
    return "; ".join(done) or "no survey lists the annual follow-up"


async def _report_job(
    context: JobContext, survey_key: str, periods: Sequence[Period], period_key: str, kind: str, due: datetime
) -> str:
    from analytics.layout import layout_of
    from analytics.service import make_report
    from surveys import get_survey

    settings = context.settings
    layout = layout_of(get_survey(survey_key))
    reports = [
        await make_report(context.database, layout, period, tz=settings.timezone, min_cell_size=settings.min_cell_size)
        for period in periods
    ]
    data = {"due": due.isoformat(), "reports": [r.to_dict() for r in reports]}
    async with context.database.sessions() as session:
        snapshot = await job_runs.claim_snapshot(session, survey_key, period_key, kind, data)
        await session.commit()
    if snapshot is None:
        return f"{survey_key} {period_key} {kind}: already produced"
    stem = f"{survey_key}-{kind}-{reports[0].period}-{local_date(due, settings.timezone).isoformat()}"
    # openpyxl and the file system block: keep them off the event loop the bot shares.
    files, rows = await asyncio.to_thread(_write_files, reports, Path(settings.reports_dir), stem)
    async with context.database.sessions() as session:
        stored = await session.merge(snapshot)
        stored.files = {p.suffix.lstrip("."): str(p) for p in files}
        for path in files:  # a scheduled report is an export too: it leaves an audit row per file
            await audit.record(
                session,
                actor="scheduler",
                action="export",
                rows=rows,
                detail={
                    "survey": survey_key,
                    "period": reports[0].period,
                    "format": path.suffix[1:],
                    "file": path.name,
                    "kind": kind,
                    "snapshot": period_key,
                },
            )
        await session.commit()
    if context.notify is not None:
        try:
            await context.notify(headline_message(reports[0]), files)
        except Exception:
            log.exception("could not send the %s report to staff", survey_key)
    return f"{survey_key} {period_key} {kind}: {', '.join(p.name for p in files)}"


def _write_files(reports: Sequence[Any], folder: Path, stem: str) -> tuple[list[Path], int]:
    from analytics.exports import write_report

    folder.mkdir(parents=True, exist_ok=True)
    files, rows = [], 0
    for fmt in ("xlsx", "html"):
        path = folder / f"{stem}.{fmt}"
        rows = write_report(reports, fmt, path)
        files.append(path)
    return files, rows


def headline_message(report: Any) -> str:
    """The numbers staff read first, in Danish, with no hidden cell."""
    from analytics.exports.html import pct, points

    overall = report.overall
    if overall.share is None:
        shown = "for få svar til at vise en andel" if overall.suppressed else "ingen svar"
        return f"{report.title}, {report.period}: {shown}."
    status = overall.status.label("da") if overall.status else ""
    text = (
        f"{report.title}, {report.period}: {pct(overall.share.share)} tilfredse "
        f"({overall.satisfied} af {overall.n}; 95 %-interval {pct(overall.share.ci_low)}–"
        f"{pct(overall.share.ci_high)}). Målet på {pct(report.target)}: {status}."
    )
    if report.change is not None:
        text += f" Ændring mod {report.previous_period}: {points(report.change.diff)}."
    return text


async def retention_purge(context: JobContext, due: datetime) -> str:
    settings = context.settings
    months = settings.retention_months
    days = settings.withdrawal_days
    async with context.database.sessions() as session:
        deleted = await retention.purge_responses_before(session, months_before(due, months))
        cut = await responses.cut_links(session, due - timedelta(days=days))
        await staff.purge_attempts(session, due - staff.LOGIN_ATTEMPTS_KEPT)  # not on the way of a login
        await session.commit()
    return f"deleted {deleted} responses older than {months} months; cut {cut} respondent links"


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day if shorter)."""
    import calendar

    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)
