"""The youth survey's answers reach every output: `tilfreds report` and `tilfreds export`, the staff overview,
drill-down, invitations page and downloads, and the scheduled follow-ups; SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from aiohttp.test_utils import TestClient
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from analytics.jobs import JobContext, run_due
from db.database import Database
from db.models import ReportSnapshot, utcnow
from surveys.loader import use_definitions
from tests.analytics.factories import add_many, add_version, at
from tests.third_survey.conftest import KEY, NAME, REPORT_TITLE
from tilfreds.cli import cli
from tilfreds.settings import SETTINGS_DOCS, Settings

CPH = ZoneInfo("Europe/Copenhagen")


async def seed(database: Database, when: datetime) -> None:
    """16 answers at ``when``, 12 satisfied: 8 of 10 from FGU, 4 of 6 from vocational school."""
    async with database.sessions() as session:
        version = await add_version(session, KEY)
        fgu, vocational = {"school": "fgu"}, {"school": "erhvervsskole"}
        await add_many(session, version, 8, headline=5, when=when, survey_key=KEY, segments=fgu)
        await add_many(session, version, 2, headline=2, when=when, survey_key=KEY, segments=fgu)
        await add_many(session, version, 4, headline=4, when=when, survey_key=KEY, segments=vocational)
        await add_many(session, version, 2, headline=3, when=when, survey_key=KEY, segments=vocational)
        await session.commit()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str, third_survey: Path) -> str:
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TILFREDS_DATABASE_URL", database_url)
    monkeypatch.setenv("TILFREDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TILFREDS_SURVEYS_DIR", str(third_survey))
    use_definitions(None)  # the shipped ones: the command itself must take up TILFREDS_SURVEYS_DIR
    return database_url


def run(*args: str):
    return CliRunner().invoke(cli, list(args), terminal_width=200)


def test_report_and_exports_carry_its_title(cli_env: str, tmp_path: Path) -> None:
    async def go() -> None:
        database = Database(cli_env)
        try:
            await seed(database, at(2026, 5, 4))
        finally:
            await database.dispose()

    asyncio.run(go())
    table = run("report", "--survey", KEY, "--period", "2026", "--by", "school")
    assert table.exit_code == 0, table.output
    assert REPORT_TITLE in table.output and "75,0 %" in table.output and "FGU" in table.output
    body = json.loads(run("report", "--survey", KEY, "--period", "2026", "--by", "school", "--format", "json").output)
    overall, *groups = body["rows"]
    assert (overall["survey"], overall["n"], overall["satisfied"]) == (KEY, 16, 12)
    by_school = {g["segment"]["school"]: g for g in groups}
    assert (by_school["fgu"]["n"], by_school["fgu"]["share"]) == (10, 0.8) and by_school["erhvervsskole"]["n"] == 6

    for fmt in ("xlsx", "csv", "html"):
        out = tmp_path / f"unge.{fmt}"
        result = run("export", "--survey", KEY, "--period", "2026", "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
    summary = load_workbook(tmp_path / "unge.xlsx")["Oversigt"]
    assert summary["A1"].value.startswith(REPORT_TITLE)
    assert "Uddannelse" in load_workbook(tmp_path / "unge.xlsx").sheetnames
    frame = pd.read_csv(tmp_path / "unge.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert frame.loc[0, "Andel tilfredse"] == 0.75
    html = (tmp_path / "unge.html").read_text(encoding="utf-8")
    assert REPORT_TITLE in html and "75 %" in html and "Tid hos kontaktperson" in html

    followup = run("followup", "annual", "--as-of", "2027-01-02", "--out", str(tmp_path / "opfoelgning"))
    assert followup.exit_code == 0, followup.output
    assert f"{KEY}: counted now" in followup.output and f"{KEY}-annual-2026-2027-01-02.pdf" in followup.output


async def test_staff_pages_list_it(staff_client: TestClient, database: Database) -> None:
    await seed(database, utcnow().replace(microsecond=0) - pd.Timedelta(hours=1).to_pytimedelta())
    overview = await (await staff_client.get("/staff/overview")).text()
    headings = [overview.index(f'id="survey-{key}"') for key in ("citizen", "employer", KEY)]
    assert headings == sorted(headings), "in the definitions' order"
    youth = overview[headings[2] :]
    assert f">{NAME}</h2>" in youth and "<strong>75 %</strong> tilfredse" in youth
    drill = await (await staff_client.get(f"/staff/surveys/{KEY}?by=school")).text()
    assert f'<h1 id="survey-title">{NAME}</h1>' in drill and "Uddannelse" in drill and "FGU" in drill
    assert "Min kontaktperson havde tid til mig." in drill or "Tid hos kontaktperson" in drill
    download = await staff_client.get(f"/staff/surveys/{KEY}/report.html")
    assert download.status == 200 and REPORT_TITLE in await download.text()
    xlsx = await staff_client.get(f"/staff/surveys/{KEY}/report.xlsx")
    assert load_workbook(io.BytesIO(await xlsx.read()))["Oversigt"]["A1"].value.startswith(REPORT_TITLE)
    invitations = await (await staff_client.get(f"/staff/invitations?survey={KEY}")).text()
    assert f'aria-current="page">{NAME}</a>' in invitations and "Uddannelse" in invitations
    assert "Erhvervsskole" in invitations


def local(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=CPH).astimezone(UTC)


async def test_scheduled_follow_ups_include_it(database: Database, tmp_path: Path) -> None:
    await seed(database, at(2026, 5, 4))
    sent: list[str] = []

    async def notify(message: str, files) -> None:
        sent.append(message)

    settings = Settings(reports_dir=tmp_path / "reports", database_url="sqlite+aiosqlite:///unused")
    context = JobContext(settings, database, notify)
    annual = await run_due(context, local(2027, 1, 2, 6), ["annual"])
    assert f"{KEY} 2026 annual" in annual["annual"]
    committee = await run_due(context, local(2027, 3, 1, 6), ["committee"])
    assert f"{KEY} 2027-01-01:2027-02-28 committee" in committee["committee"]
    assert any(m.startswith(f"{REPORT_TITLE}, 2026: 75 % tilfredse (12 af 16") for m in sent)
    async with database.sessions() as session:
        kinds = set(await session.scalars(select(ReportSnapshot.kind).where(ReportSnapshot.survey_key == KEY)))
    assert kinds == {"annual", "committee"}
    files = sorted(p.name for p in (tmp_path / "reports").glob(f"{KEY}-*"))
    assert f"{KEY}-annual-2026-2027-01-02.xlsx" in files and f"{KEY}-committee-2027-YTD-2027-03-01.html" in files
    html = next((tmp_path / "reports").glob(f"{KEY}-annual-*.html")).read_text(encoding="utf-8")
    assert REPORT_TITLE in html
    paper = PdfReader(next((tmp_path / "reports").glob(f"{KEY}-committee-*.pdf")))
    text = " ".join((page.extract_text() or "") for page in paper.pages)
    assert REPORT_TITLE in " ".join(text.split()) and "Tid hos kontaktperson" in text
