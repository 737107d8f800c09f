"""Where people stop: reached / answered / skipped / stopped there per question, on the drill-down and in the
xlsx, over the responses started in the period (so those who stopped before the headline count too)."""

from __future__ import annotations

import io
from datetime import timedelta

from aiohttp.test_utils import TestClient
from openpyxl import load_workbook
from sqlalchemy import update

from db.database import Database
from db.models import Response, utcnow
from db.repo.survey_versions import ensure_version
from surveys import get_survey
from tests.analytics.factories import add_response


async def seed(database: Database, unfinished_at: dict[str, int], completed: int = 6) -> None:
    """``completed`` full responses that skipped "respect", and unfinished ones standing at each question."""
    survey = get_survey("citizen")
    when = utcnow() - timedelta(hours=2)
    async with database.sessions.begin() as session:
        version = (await ensure_version(session, survey)).id
        for _ in range(completed):
            await add_response(
                session,
                version,
                when=when,
                headline=5,
                answers={"heard": 4, "respect": "skip", "understood": 3},
                comment="Fint",
            )
        order = [q.id for q in survey.questions]
        for stop, count in unfinished_at.items():
            before = order[: order.index(stop)]
            for _ in range(count):
                given = {q: 4 for q in before if q != "overall"}
                response_id = await add_response(
                    session,
                    version,
                    when=when,
                    headline=4 if "overall" in before else None,
                    answers=given,
                    status="abandoned",
                )
                await session.execute(update(Response).where(Response.id == response_id).values(current_question=stop))


def cells(html: str, question_id: str) -> list[str]:
    row = html[html.index(f'id="dropoff-{question_id}"') :]
    row = row[: row.index("</tr>")]
    return [part.split("<", 1)[0] for part in row.split('<td class="num">')[1:]]


async def test_the_drill_down_and_the_workbook_show_where_people_stop(
    staff_client: TestClient, database: Database
) -> None:
    await seed(database, {"overall": 2, "heard": 3})
    html = await (await staff_client.get("/staff/surveys/citizen")).text()
    assert "Hvor stopper folk" in html and "Af 11 påbegyndte besvarelser" in html
    # reached, answered, skipped, stopped here
    assert cells(html, "overall") == ["11", "9", "0", "2"]  # two left at the very first question
    assert cells(html, "heard") == ["9", "6", "0", "3"]
    assert cells(html, "respect") == ["6", "0", "6", "0"]
    assert cells(html, "better") == ["6", "6", "0", "0"]

    body = await (await staff_client.get("/staff/surveys/citizen/report.xlsx")).read()
    sheet = load_workbook(io.BytesIO(body))["Frafald"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1] == ["Spørgsmål", "Nået", "Besvaret", "Sprunget over", "Stoppede her"]
    assert [11, 9, 0, 2] in [row[1:] for row in rows[2:]]
    assert [6, 0, 6, 0] in [row[1:] for row in rows[2:]]


async def test_a_selection_of_few_started_responses_shows_no_drop_off(
    staff_client: TestClient, database: Database
) -> None:
    await seed(database, {"heard": 1}, completed=3)  # 4 started: below the minimum of 5
    html = await (await staff_client.get("/staff/surveys/citizen")).text()
    assert "Vises ikke: færre end 5 påbegyndte besvarelser." in html and 'id="dropoff-overall"' not in html
    body = await (await staff_client.get("/staff/surveys/citizen/report.xlsx")).read()
    sheet = load_workbook(io.BytesIO(body))["Frafald"]
    assert "<5 påbegyndte" in sheet["A1"].value and sheet.max_row == 2
