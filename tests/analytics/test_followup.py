"""`tilfreds followup`: the scheduled follow-up, now, with the same files; a period's snapshot is reused."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import select

from analytics.followup import follow_up_surveys
from analytics.jobs import JobContext, run_due
from db.database import Database
from db.models import AuditEntry
from surveys import builtin_surveys
from tests.analytics.factories import add_many, add_version, at
from tests.analytics.test_jobs import seed
from tilfreds.cli import cli
from tilfreds.settings import SETTINGS_DOCS, Settings

CPH = ZoneInfo("Europe/Copenhagen")
STEMS = ("citizen-committee-2027-YTD-2027-03-01", "employer-committee-2027-YTD-2027-03-01")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TILFREDS_DATABASE_URL", database_url)
    monkeypatch.setenv("TILFREDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TILFREDS_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setenv("TILFREDS_ORGANISATION_NAME", "Jobcenter Prøvested")
    return database_url


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def on_database(url: str, work) -> object:
    async def go() -> object:
        database = Database(url)
        try:
            await database.upgrade()
            return await work(database)
        finally:
            await database.dispose()

    return asyncio.run(go())


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


async def late_answer(database: Database) -> None:
    """A citizen who answers 1 in February 2027, after the committee paper was made."""
    async with database.sessions() as session:
        version = await add_version(session, "citizen", version=2)
        await add_many(session, version, 1, headline=1, when=at(2027, 2, 20))
        await session.commit()


def test_followup_writes_the_scheduled_jobs_files_and_reuses_the_snapshot(env: str, tmp_path: Path) -> None:
    on_database(env, seed)

    async def scheduled(database: Database) -> object:
        settings = Settings(reports_dir=tmp_path / "job", database_url=env, organisation_name="Jobcenter Prøvested")
        due = datetime(2027, 3, 1, 6, 0, tzinfo=CPH).astimezone(UTC)
        return await run_due(JobContext(settings, database), due, ["committee"])

    # The scheduled job on 1 March, then staff ask for the same follow-up from the command line.
    assert "committee" in on_database(env, scheduled)
    result = run("followup", "committee", "--as-of", "2027-03-01", "--out", str(tmp_path / "cli"), "--actor", "mette")
    assert result.exit_code == 0, result.output
    assert "citizen: from the stored snapshot" in result.output
    job_files = sorted(p.name for p in (tmp_path / "job").iterdir())
    assert job_files == sorted(f"{stem}.{fmt}" for stem in STEMS for fmt in ("html", "pdf", "xlsx"))
    assert sorted(p.name for p in (tmp_path / "cli").iterdir()) == job_files
    for stem in STEMS:  # the same paper: numbers, organisation, and the time it was made
        job_html = (tmp_path / "job" / f"{stem}.html").read_text(encoding="utf-8")
        assert (tmp_path / "cli" / f"{stem}.html").read_text(encoding="utf-8") == job_html
        assert pdf_text(tmp_path / "cli" / f"{stem}.pdf") == pdf_text(tmp_path / "job" / f"{stem}.pdf")
    paper = pdf_text(tmp_path / "cli" / f"{STEMS[0]}.pdf")
    assert "Jobcenter Prøvested" in paper and "100 % af dem, der svarede, er tilfredse (8 af 8)" in paper

    # A late answer: the same period again gives the paper the committee got, until staff ask to refresh.
    on_database(env, late_answer)
    again = run("followup", "committee", "--as-of", "2027-03-01", "--out", str(tmp_path / "again"))
    assert again.exit_code == 0, again.output
    assert "(8 af 8)" in pdf_text(tmp_path / "again" / f"{STEMS[0]}.pdf")
    fresh = run("followup", "committee", "--as-of", "2027-03-01", "--out", str(tmp_path / "fresh"), "--refresh")
    assert fresh.exit_code == 0 and "citizen: counted now" in fresh.output
    assert "(8 af 9)" in pdf_text(tmp_path / "fresh" / f"{STEMS[0]}.pdf")
    # And the refreshed snapshot is what a later run without --refresh reuses.
    later = run("followup", "committee", "--as-of", "2027-03-01", "--out", str(tmp_path / "later"))
    assert "from the stored snapshot" in later.output
    assert "(8 af 9)" in pdf_text(tmp_path / "later" / f"{STEMS[0]}.pdf")

    async def audit(database: Database) -> list[AuditEntry]:
        async with database.sessions() as session:
            return list((await session.scalars(select(AuditEntry).where(AuditEntry.actor == "mette"))).all())

    rows = on_database(env, audit)
    assert sorted(r.detail["file"] for r in rows) == job_files  # every file written is an audited export
    assert {r.detail["kind"] for r in rows} == {"committee"}


def test_annual_followup_takes_the_surveys_whose_definition_lists_it(env: str, tmp_path: Path) -> None:
    on_database(env, seed)
    listed = [key for key, survey in builtin_surveys().items() if "annual" in survey.follow_ups]
    assert follow_up_surveys("annual") == listed and listed
    assert follow_up_surveys("committee") == list(builtin_surveys())
    result = run("followup", "annual", "--as-of", "2027-01-02", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(f"{key}-annual-2026-2027-01-02.{fmt}" for key in listed for fmt in ("html", "pdf", "xlsx"))
    assert "(18 af 20)" in pdf_text(tmp_path / "out" / "citizen-annual-2026-2027-01-02.pdf")


def test_followup_refuses_bad_input_kindly_and_writes_nothing(env: str, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for args, said in (
        (["followup", "weekly"], "Invalid value"),
        (["followup", "committee", "--as-of", "2027-13-01"], "Invalid value"),
        (["followup", "committee", "--out", str(a_file)], "is a file"),
    ):
        result = run(*args)
        assert result.exit_code == 2 and said in result.output, (args, result.output)
    assert not (tmp_path / "reports").exists()
