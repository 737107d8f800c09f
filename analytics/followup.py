"""The follow-ups: the committee paper (every survey whose definition lists ``committee``: the year to date
with its change, and the previous full year) and the annual one (surveys listing ``annual``: the previous
full year). The scheduled jobs, ``tilfreds followup`` and the staff page's button all run :func:`follow_up`,
so they write the same files.

Each report is kept as a ``ReportSnapshot`` per (survey, period, kind). A follow-up for a period that has a
snapshot already is not counted again: its files are written from the snapshot — the numbers the committee
got — unless ``refresh`` asks to count anew and replace it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analytics.periods import Period, local_date, range_period, year_period, ytd_period
from db.database import Database
from db.repo import audit, job_runs

if TYPE_CHECKING:
    from db.models import ReportSnapshot

log = logging.getLogger(__name__)

KINDS = ("committee", "annual")
FILE_FORMATS = ("xlsx", "html", "pdf")

Notify = Callable[[str, Sequence[Path]], Awaitable[None]]
"""``await notify(message, files)``: send staff the headline numbers and the report files (Telegram)."""


@dataclass(frozen=True)
class Produced:
    """One survey's part of a follow-up."""

    survey: str
    outcome: str  # for the job log: what was written, or why not
    files: tuple[Path, ...] = ()
    reused: bool = False  # written from an existing snapshot, not counted anew


def follow_up_surveys(kind: str) -> list[str]:
    """The surveys whose definition lists the follow-up ``kind``, in the order of the definitions."""
    from surveys import builtin_surveys

    return [key for key, survey in builtin_surveys().items() if kind in survey.follow_ups]


def _day_before(due: datetime, tz: str) -> date:
    """Reports cover whole days: up to and including the day before the run."""
    return local_date(due, tz) - timedelta(days=1)


def committee_periods(due: datetime, tz: str) -> tuple[Period, Period]:
    """(year to date up to the day before ``due``, the previous full year)."""
    last = _day_before(due, tz)
    return ytd_period(last.year, last.month, last.day), year_period(last.year - 1)


def follow_up_periods(kind: str, due: datetime, tz: str) -> tuple[list[Period], str]:
    """The periods of one survey's report (the first is the main one) and the snapshot's period key."""
    if kind == "committee":
        ytd, previous_year = committee_periods(due, tz)
        return [ytd, previous_year], range_period(ytd.start, ytd.end).label  # "2026-01-01:2026-02-28"
    if kind == "annual":
        year = year_period(local_date(due, tz).year - 1)  # the last full year
        return [year], year.label
    raise ValueError(f"unknown follow-up {kind!r}; choose one of {', '.join(KINDS)}")


async def follow_up(
    settings: Any,
    database: Database,
    kind: str,
    due: datetime,
    *,
    folder: Path | None = None,
    actor: str = "scheduler",
    reuse: bool = True,
    refresh: bool = False,
    notify: Notify | None = None,
) -> list[Produced]:
    """Produce the follow-up ``kind`` as due at ``due`` for each of its surveys, into ``folder`` (default
    ``settings.reports_dir``). ``reuse``: write the files of a period that has a snapshot from that
    snapshot (the scheduler says False: another process wrote them). ``refresh``: count anew and replace it."""
    periods, key = follow_up_periods(kind, due, settings.timezone)
    folder = Path(settings.reports_dir) if folder is None else folder
    return [
        await _survey_follow_up(
            settings, database, survey, kind, periods, key, due, folder, actor, reuse, refresh, notify
        )
        for survey in follow_up_surveys(kind)
    ]


async def _survey_follow_up(
    settings: Any,
    database: Database,
    survey_key: str,
    kind: str,
    periods: Sequence[Period],
    period_key: str,
    due: datetime,
    folder: Path,
    actor: str,
    reuse: bool,
    refresh: bool,
    notify: Notify | None,
) -> Produced:
    from analytics.snapshot import report_from_dict

    label = f"{survey_key} {period_key} {kind}"
    async with database.sessions() as session:
        existing = None if refresh else await job_runs.find_snapshot(session, survey_key, period_key, kind)
    if existing is None:
        reports = await _count(settings, database, survey_key, periods)
        data = {"due": due.isoformat(), "reports": [r.to_dict() for r in reports]}
        stored: ReportSnapshot | None  # None: another process claimed this snapshot first
        async with database.sessions() as session:
            if refresh:
                stored = await job_runs.replace_snapshot(session, survey_key, period_key, kind, data)
            else:
                stored = await job_runs.claim_snapshot(session, survey_key, period_key, kind, data)
            await session.commit()
        if stored is None:  # another process stored it between our look and our claim
            async with database.sessions() as session:
                existing = await job_runs.find_snapshot(session, survey_key, period_key, kind)
    if existing is not None:
        if not reuse:
            return Produced(survey_key, f"{label}: already produced")
        stored = existing
        reports = [report_from_dict(r) for r in existing.data["reports"]]
    if stored is None:  # lost the claim, and the winner's snapshot is gone again (a refresh in between)
        raise LookupError(f"{label}: the snapshot another process stored has disappeared; run it again")
    imprint = _imprint(settings, stored.created_at)
    stem = f"{survey_key}-{kind}-{reports[0].period}-{local_date(due, settings.timezone).isoformat()}"
    # WeasyPrint, openpyxl and the file system block: keep them off the event loop the bot shares.
    files, rows = await asyncio.to_thread(_write_files, reports, folder, stem.replace(":", "_"), imprint)
    async with database.sessions() as session:
        if existing is None:
            (await session.merge(stored)).files = {p.suffix.lstrip("."): str(p) for p in files}
        for path in files:  # a follow-up file is an export too: it leaves an audit row per file
            await audit.record(
                session,
                actor=actor,
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
    if notify is not None and existing is None:
        try:
            await notify(headline_message(reports[0]), files)
        except Exception:
            log.exception("could not send the %s report to staff", survey_key)
    how = "from the stored snapshot" if existing is not None else "counted"
    return Produced(
        survey_key, f"{label}: {', '.join(p.name for p in files)} ({how})", tuple(files), existing is not None
    )


async def _count(settings: Any, database: Database, survey_key: str, periods: Sequence[Period]) -> list[Any]:
    from analytics.layout import layout_of
    from analytics.service import configured_report
    from surveys import get_survey

    layout = layout_of(get_survey(survey_key))
    return [await configured_report(database, layout, period, settings) for period in periods]


def _imprint(settings: Any, created: datetime) -> Any:
    from analytics.exports import Imprint

    return Imprint(organisation=settings.organisation_name, generated=created, tz=settings.timezone)


def _write_files(reports: Sequence[Any], folder: Path, stem: str, imprint: Any) -> tuple[list[Path], int]:
    from analytics.exports import write_report

    folder.mkdir(parents=True, exist_ok=True)
    files, rows = [], 0
    for fmt in FILE_FORMATS:
        path = folder / f"{stem}.{fmt}"
        rows = write_report(reports, fmt, path, imprint=imprint)
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
