"""One NPS everywhere: the staff page, the xlsx, the csv, the html report and the JSON of ``tilfreds report``
show the same whole number for the same answers.

The answers give 100 × (3 promoters − 2 detractors) / 11 = 9.09…: a page that multiplies by 100 again shows
909, a file that keeps a decimal shows 9,1; every output must say 9.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient
from click.testing import CliRunner
from openpyxl import load_workbook

from db.database import Database
from db.models import utcnow
from db.repo import bulk
from db.repo.survey_versions import ensure_version
from surveys import get_survey
from tilfreds.cli import cli
from tilfreds.settings import SETTINGS_DOCS

RECOMMEND = [10, 10, 9, 8, 8, 7, 7, 7, 7, 3, 0]  # 3 promoters, 6 passives, 2 detractors


async def add_employer_answers(database: Database) -> str:
    survey = get_survey("employer")
    nps_question = next(q for q in survey.questions if q.kind == "nps")
    when = utcnow() - timedelta(hours=1)
    async with database.sessions.begin() as session:
        version = await ensure_version(session, survey)
        rows = [
            {
                "survey_key": survey.key,
                "survey_version_id": version.id,
                "invitation_id": None,
                "respondent_id": None,
                "channel": "telegram",
                "status": "completed",
                "language": "da",
                "segments": {"size": "1-9"},
                "current_question": None,
                "started_at": when,
                "updated_at": when,
                "completed_at": when,
            }
            for _ in RECOMMEND
        ]
        answers = [
            [
                {"question_id": survey.headline.id, "option": "4", "value": 4, "text": None, "answered_at": when},
                {"question_id": nps_question.id, "option": str(v), "value": v, "text": None, "answered_at": when},
            ]
            for v in RECOMMEND
        ]
        await bulk.insert_responses(session, rows, answers)
    return nps_question.id


def nps_cell_of(rows: list[list[str]]) -> str:
    header = next(row for row in rows if "NPS" in row)
    column = header.index("NPS")
    values = [row[column] for row in rows[rows.index(header) + 1 :] if len(row) > column and row[column]]
    assert len(values) == 1, values
    return values[0]


async def test_the_page_and_every_file_show_the_same_nps(
    staff_client: TestClient, database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    await add_employer_answers(database)

    page = await (await staff_client.get("/staff/surveys/employer")).text()
    questions = page[page.index('id="questions-title"') :]
    recommend_row = next(row for row in questions.split("<tr>") if "anbefale" in row.lower())
    cells = [cell.split(">", 1)[1].split("<", 1)[0] for cell in recommend_row.split('<td class="num"')[1:]]
    assert cells[-1] == "9", recommend_row

    xlsx = await (await staff_client.get("/staff/surveys/employer/report.xlsx")).read()
    workbook = load_workbook(io.BytesIO(xlsx))
    found = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for header in row
        if header.value == "NPS"
        for cell in sheet[chr(ord("A") + header.column - 1)][header.row :]
        if cell.value is not None
    ]
    assert found == [9]

    text = (await (await staff_client.get("/staff/surveys/employer/report.csv")).read()).decode("utf-8-sig")
    assert nps_cell_of(list(csv.reader(io.StringIO(text), delimiter=";"))) == "9"

    html = await (await staff_client.get("/staff/surveys/employer/report.html")).text()
    table = html[html.index(">NPS<") :]
    row = next(r for r in table.split("<tr>") if "anbefale" in r.lower())
    assert row.rstrip().split('<td class="num">')[-1].startswith("9<"), row
    assert "9,1" not in table and "909" not in page

    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TILFREDS_DATABASE_URL", database_url)
    monkeypatch.setenv("TILFREDS_DATA_DIR", str(tmp_path / "data"))
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["report", "--survey", "employer", "--format", "json"])
    assert result.exit_code == 0, result.output
    [nps] = [item["nps"] for item in json.loads(result.output)["items"] if item["nps"] is not None]
    assert nps == 9
