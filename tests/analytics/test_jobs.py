"""Scheduled jobs, with the clock advanced by hand: they fire when due, catch up after downtime, run once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from openpyxl import load_workbook
from sqlalchemy import func, select

from analytics.jobs import JobContext, job_specs, last_due, register_jobs, run_due
from db.database import Database
from db.models import Answer, AuditEntry, JobRun, ReportSnapshot, Respondent, Response
from tests.analytics.factories import add_many, add_response, add_version, at
from tilfreds.settings import Settings

CPH = ZoneInfo("Europe/Copenhagen")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CPH).astimezone(UTC)


def settings_for(tmp_path: Path) -> Settings:
    return Settings(reports_dir=tmp_path / "reports", database_url="sqlite+aiosqlite:///unused")


async def seed(database: Database) -> None:
    async with database.sessions() as session:
        citizen = await add_version(session, "citizen")
        employer = await add_version(session, "employer")
        await add_many(session, citizen, 18, headline=5, when=at(2026, 6, 1), segments={"benefit": "kontanthjaelp"})
        await add_many(session, citizen, 2, headline=1, when=at(2026, 6, 1), segments={"benefit": "sygedagpenge"})
        await add_many(session, citizen, 8, headline=4, when=at(2027, 2, 1))
        await add_many(session, employer, 9, headline=5, when=at(2027, 1, 15), survey_key="employer")
        await session.commit()


async def count(database: Database, model: type) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_committee_job_fires_at_its_time_and_writes_snapshot_and_files(
    database: Database, tmp_path: Path
) -> None:
    await seed(database)
    sent: list[tuple[str, list[Path]]] = []

    async def notify(message: str, files) -> None:
        sent.append((message, list(files)))

    context = JobContext(settings_for(tmp_path), database, notify)
    # A minute before 06:00 on 1 March 2027 nothing is due; the retention job is not asked here.
    assert await run_due(context, local(2027, 3, 1, 5, 59), ["committee"]) == {}
    outcomes = await run_due(context, local(2027, 3, 1, 6, 0), ["committee"])
    assert "citizen 2027-01-01:2027-02-28 committee" in outcomes["committee"]
    async with database.sessions() as session:
        snapshots = (await session.scalars(select(ReportSnapshot).order_by(ReportSnapshot.survey_key))).all()
    assert [(s.survey_key, s.period, s.kind) for s in snapshots] == [
        ("citizen", "2027-01-01:2027-02-28", "committee"),
        ("employer", "2027-01-01:2027-02-28", "committee"),
    ]
    ytd, last_year = snapshots[0].data["reports"]
    assert (ytd["period"], ytd["overall"]["n"]) == ("2027-YTD", 8)
    assert (last_year["period"], last_year["overall"]["n"], last_year["overall"]["satisfied"]) == ("2026", 20, 18)
    files = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert files == [
        "citizen-committee-2027-YTD-2027-03-01.html",
        "citizen-committee-2027-YTD-2027-03-01.pdf",
        "citizen-committee-2027-YTD-2027-03-01.xlsx",
        "employer-committee-2027-YTD-2027-03-01.html",
        "employer-committee-2027-YTD-2027-03-01.pdf",
        "employer-committee-2027-YTD-2027-03-01.xlsx",
    ]
    assert snapshots[0].files["html"].endswith("citizen-committee-2027-YTD-2027-03-01.html")
    assert snapshots[0].files["pdf"].endswith("citizen-committee-2027-YTD-2027-03-01.pdf")
    book = load_workbook(tmp_path / "reports" / files[2])
    assert any(row[0] == "2026" and row[1] == 20 for row in book["Oversigt"].iter_rows(values_only=True))
    html = (tmp_path / "reports" / files[0]).read_text(encoding="utf-8")
    assert "2027-YTD" in html and "2026" in html and "90 %" in html  # 18 of 20 in 2026
    assert [m for m, _ in sent][0].startswith("Borgernes tilfredshed med forløbet, 2027-YTD: 100 % tilfredse (8 af 8")
    assert len(sent) == 2 and all(len(f) == 3 for _, f in sent)
    # The same time again, or later the same day: already done.
    assert await run_due(context, local(2027, 3, 1, 9, 0), ["committee"]) == {}
    assert await count(database, ReportSnapshot) == 2


async def test_a_run_missed_while_down_is_caught_up_at_start(database: Database, tmp_path: Path) -> None:
    await seed(database)
    context = JobContext(settings_for(tmp_path), database)
    # The process was down on 1 October 2026 and starts again on the 4th.
    outcomes = await run_due(context, local(2026, 10, 4, 12, 0))
    assert set(outcomes) == {"committee", "retention"}
    async with database.sessions() as session:
        runs = {(r.job, r.due_at) for r in (await session.scalars(select(JobRun))).all()}
        periods = set((await session.scalars(select(ReportSnapshot.period))).all())
    assert ("committee", local(2026, 10, 1, 6, 0)) in runs
    assert periods == {"2026-01-01:2026-09-30"}
    # Starting again changes nothing; a run missed by more than a month is not made up.
    assert await run_due(context, local(2026, 10, 4, 12, 5)) == {}
    assert "committee" not in await run_due(context, local(2026, 12, 20, 12, 0))


async def test_annual_citizen_follow_up_in_january(database: Database, tmp_path: Path) -> None:
    await seed(database)
    context = JobContext(settings_for(tmp_path), database)
    outcomes = await run_due(context, local(2027, 1, 2, 6, 0), ["annual"])
    assert outcomes["annual"].startswith("citizen 2026 annual")
    async with database.sessions() as session:
        snapshot = await session.scalar(select(ReportSnapshot).where(ReportSnapshot.kind == "annual"))
    assert snapshot is not None and snapshot.period == "2026" and snapshot.data["reports"][0]["overall"]["n"] == 20


async def test_two_processes_produce_each_report_once(database: Database, tmp_path: Path) -> None:
    await seed(database)
    other = Database(database.url.render_as_string(hide_password=False))
    try:
        first = JobContext(settings_for(tmp_path), database)
        second = JobContext(settings_for(tmp_path), other)
        now = local(
            2027,
            3,
            1,
            6,
            0,
        )
        results = await asyncio.gather(run_due(first, now, ["committee"]), run_due(second, now, ["committee"]))
    finally:
        await other.dispose()
    assert sum("committee" in r for r in results) == 1
    assert await count(database, ReportSnapshot) == 2
    assert await count(database, JobRun) == 1


async def test_snapshot_unique_key_decides_even_without_the_run_claim(database: Database, tmp_path: Path) -> None:
    from analytics.jobs import committee_follow_up

    await seed(database)
    context = JobContext(settings_for(tmp_path), database)
    due = local(2027, 3, 1, 6, 0)
    results = await asyncio.gather(committee_follow_up(context, due), committee_follow_up(context, due))
    assert sum(r.count("already produced") for r in results) == 2  # each survey once produced, once refused
    assert await count(database, ReportSnapshot) == 2


async def test_retention_deletes_old_answers_and_cuts_respondent_links(database: Database, tmp_path: Path) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        person = Respondent(pseudonym="p" * 64)
        session.add(person)
        await session.flush()
        await add_response(
            session, version, when=at(2024, 11, 1), headline=5, answers={"heard": 4}, respondent_id=person.id
        )  # older than 24 months at the run
        recent = await add_response(session, version, when=at(2026, 10, 1), headline=5, respondent_id=person.id)
        fresh = await add_response(session, version, when=at(2026, 11, 20), headline=5, respondent_id=person.id)
        session.add(ReportSnapshot(survey_key="citizen", period="2024", kind="annual", data={}))
        await session.commit()
    context = JobContext(settings_for(tmp_path), database)
    outcomes = await run_due(context, local(2026, 11, 26, 3, 30), ["retention"])
    assert outcomes == {
        "retention": "deleted 1 responses older than 24 months; cut 1 respondent links; deleted 0 call-back requests"
    }
    async with database.sessions() as session:
        left = {r.id: r.respondent_id for r in (await session.scalars(select(Response))).all()}
        answers = await session.scalar(select(func.count()).select_from(Answer))
    assert left == {recent: None, fresh: person.id}  # still inside the 30-day withdrawal window
    assert answers == 2
    assert await count(database, ReportSnapshot) == 1


async def test_register_jobs_on_the_scheduler(tmp_path: Path) -> None:
    scheduler = AsyncIOScheduler(timezone="Europe/Copenhagen")
    settings = settings_for(tmp_path)
    register_jobs(scheduler, settings, database=None)  # type: ignore[arg-type]
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"tilfreds-committee", "tilfreds-annual", "tilfreds-retention", "tilfreds-catch-up"}
    # The catch-up runs whenever the scheduler gets started, even long after the jobs were registered.
    assert jobs["tilfreds-catch-up"].misfire_grace_time is None
    after = local(2026, 11, 26, 12, 0)
    assert jobs["tilfreds-committee"].trigger.get_next_fire_time(None, after) == local(2027, 3, 1, 6, 0)
    assert jobs["tilfreds-annual"].trigger.get_next_fire_time(None, after) == local(2027, 1, 2, 6, 0)
    # 1 October is in summer time: 06:00 local is 04:00 UTC.
    spring = local(2027, 3, 2)
    assert jobs["tilfreds-committee"].trigger.get_next_fire_time(None, spring) == datetime(
        2027, 10, 1, 4, 0, tzinfo=UTC
    )
    committee = next(s for s in job_specs(settings) if s.name == "committee")
    assert last_due(committee, local(2027, 3, 1, 6, 0), settings.timezone) == local(2027, 3, 1, 6, 0)


async def test_scheduled_reports_are_audited_and_hide_small_cells(database: Database, tmp_path: Path) -> None:
    await seed(database)
    context = JobContext(settings_for(tmp_path), database)
    await run_due(context, local(2027, 3, 1, 6, 0), ["committee"])
    html = next((tmp_path / "reports").glob("citizen-*.html")).read_text(encoding="utf-8")
    # Sygedagpenge had 2 responses in 2026; hiding it and the one other group would hide every group, so the
    # benefit breakdown of 2026 is withheld altogether.
    assert "Opdelingen vises ikke" in html and "(n = 2)" not in html and "(n = 18)" not in html
    assert "Sygedagpenge" not in html and "Kontanthjælp" not in html
    async with database.sessions() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.actor, e.action, e.detail["survey"], e.detail["format"]) for e in entries] == [
        ("scheduler", "export", "citizen", "xlsx"),
        ("scheduler", "export", "citizen", "html"),
        ("scheduler", "export", "citizen", "pdf"),
        ("scheduler", "export", "employer", "xlsx"),
        ("scheduler", "export", "employer", "html"),
        ("scheduler", "export", "employer", "pdf"),
    ]


async def test_started_scheduler_catches_up_at_once(database: Database, tmp_path: Path) -> None:
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED

    scheduler = AsyncIOScheduler(timezone="Europe/Copenhagen")
    register_jobs(scheduler, settings_for(tmp_path), database)
    done = asyncio.Event()
    errors: list[BaseException] = []

    def listener(event) -> None:
        if event.job_id == "tilfreds-catch-up":
            if event.exception:
                errors.append(event.exception)
            done.set()

    scheduler.add_listener(listener, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:
        await asyncio.wait_for(done.wait(), timeout=20)
    finally:
        scheduler.shutdown(wait=False)
    assert errors == []
    async with database.sessions() as session:
        jobs = set((await session.scalars(select(JobRun.job))).all())
    assert "retention" in jobs  # the nightly purge was due within the last day


async def test_a_run_left_unfinished_by_a_dead_process_is_taken_over(database: Database, tmp_path: Path) -> None:
    from datetime import timedelta

    from db.models import utcnow

    due = local(2026, 11, 26, 3, 30)
    async with database.sessions() as session:
        session.add(JobRun(job="retention", due_at=due, started_at=utcnow() - timedelta(hours=2)))
        session.add(JobRun(job="annual", due_at=local(2027, 1, 2, 6, 0), started_at=utcnow()))  # still running
        await session.commit()
    context = JobContext(settings_for(tmp_path), database)
    assert "retention" in await run_due(context, local(2026, 11, 26, 9, 0), ["retention"])
    assert await run_due(context, local(2027, 1, 2, 6, 5), ["annual"]) == {}  # another process is on it
    async with database.sessions() as session:
        run = await session.scalar(select(JobRun).where(JobRun.job == "retention"))
    assert run is not None and run.finished_at is not None and run.outcome.startswith("deleted 0 responses")
