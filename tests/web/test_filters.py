"""Filter by one segment value and break down by another on the overview and the drill-down, with small
cells hidden exactly as in the exports (the csv of the same selection)."""

from __future__ import annotations

import csv
import io

from aiohttp.test_utils import TestClient

from db.database import Database
from tests.web.test_results import add_responses

KONTANT = {"benefit": "kontanthjaelp"}


async def seed(database: Database) -> None:
    await add_responses(database, "citizen", {**KONTANT, "unit": "ungeenheden"}, [5] * 9)
    await add_responses(database, "citizen", {**KONTANT, "unit": "integration"}, [2] * 3)  # small: hidden
    await add_responses(database, "citizen", {**KONTANT, "unit": "jobcenter-voksen"}, [2] * 8)
    await add_responses(database, "citizen", {"benefit": "a-dagpenge", "unit": "integration"}, [1] * 40)


def row_of(table: str, label: str) -> str:
    part = table[table.index(label) :]
    return part[: part.index("</tr>")]


async def test_the_drill_down_filters_and_breaks_down_like_the_csv(
    staff_client: TestClient, database: Database
) -> None:
    await seed(database)
    page = await staff_client.get("/staff/surveys/citizen?by=unit&filter=benefit%3Dkontanthjaelp")
    html = await page.text()
    assert page.status == 200
    assert "Kun svar med</dt><dd>Ydelse: Kontanthjælp" in html.replace("\n", "")
    assert '<option value="benefit=kontanthjaelp" selected>' in html
    table = html[html.index('id="by-title"') :]
    table = table[table.index("<table") : table.index("</table>")]
    assert ">20<" in row_of(table, ">Alle svar<")  # the 40 a-dagpenge answers are not counted
    assert ">9<" in row_of(table, ">Ungeenheden<")
    assert "&lt;5" in row_of(table, ">Integration<") and "%" not in row_of(table, ">Integration<")
    voksen = row_of(table, ">Jobcenter Voksen<")
    assert ">–<" in voksen and ">8<" not in voksen  # secondary: 20 − 9 − 8 would give Integration away
    assert "filter=benefit%3Dkontanthjaelp" in html  # the downloads are the selection on screen

    download = await staff_client.get("/staff/surveys/citizen/report.csv?filter=benefit%3Dkontanthjaelp")
    assert download.status == 200
    assert "kontanthjaelp" in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO((await download.read()).decode("utf-8-sig")), delimiter=";"))
    units = {row["Gruppe"]: row["Antal svar"] for row in rows if row["Opdeling"] == "Enhed"}
    assert units["Integration"] == "<5" and units["Jobcenter Voksen"] == "–" and units["Ungeenheden"] == "9"
    assert all(row["Udvalgte svar"] == "Ydelse: Kontanthjælp" for row in rows)


async def test_the_overview_filters_only_the_surveys_with_that_segment(
    staff_client: TestClient, database: Database
) -> None:
    await seed(database)
    await add_responses(database, "employer", {"size": "1-9"}, [5] * 6)
    html = await (await staff_client.get("/staff/overview?filter=benefit%3Dkontanthjaelp")).text()
    citizen = html[html.index('id="survey-citizen"') : html.index('id="survey-employer"')]
    employer = html[html.index('id="survey-employer"') :]
    assert "Ydelse: Kontanthjælp" in citizen and "45 %" in citizen  # 9 of 20
    assert "Filteret gælder ikke denne undersøgelse" in employer and "100 %" in employer


async def test_an_unknown_filter_is_explained_and_changes_nothing(staff_client: TestClient, database: Database) -> None:
    await seed(database)
    for url in ("/staff/overview?filter=benefit%3Dnope", "/staff/surveys/citizen?filter=nokey"):
        page = await staff_client.get(url)
        html = await page.text()
        assert page.status == 400 and "Filteret kunne ikke bruges" in html
        assert ">60<" in html.replace(" ", "")  # all responses, unfiltered
    assert (await staff_client.get("/staff/surveys/citizen/report.csv?filter=benefit%3Dnope")).status == 400
