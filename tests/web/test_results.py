"""Results on the staff pages: the overview against the 80% goal, the drill-down and the audited downloads.

The numbers must be the analytics report's, small groups must be hidden exactly as in the exports, and
an empty database must show no invented numbers.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from db.database import Database
from db.keys import pseudonym
from db.models import AuditEntry, Invitation, Respondent, utcnow
from db.repo import bulk
from db.repo.survey_versions import ensure_version
from surveys import get_survey
from tilfreds.settings import Settings

pytest.importorskip("analytics.report", reason="the analytics reports are not on this branch yet")


async def add_responses(
    database: Database,
    survey_key: str,
    segments: dict[str, str],
    answers: list[int],
    respondent: int | None = None,
    channel: str = "telegram",
    when: datetime | None = None,
) -> None:
    """Completed responses with these headline answers (1-5), answered an hour ago (or ``when``)."""
    survey = get_survey(survey_key)
    when = when or utcnow() - timedelta(hours=1)
    async with database.sessions.begin() as session:
        version = await ensure_version(session, survey)
        rows = [
            {
                "survey_key": survey_key,
                "survey_version_id": version.id,
                "invitation_id": None,
                "respondent_id": respondent,
                "channel": channel,
                "status": "completed",
                "language": "da",
                "segments": segments,
                "current_question": None,
                "started_at": when,
                "updated_at": when,
                "completed_at": when,
            }
            for _ in answers
        ]
        per_response = [
            [{"question_id": survey.headline.id, "option": str(v), "value": v, "text": None, "answered_at": when}]
            for v in answers
        ]
        await bulk.insert_responses(session, rows, per_response)


def this_year() -> int:
    from analytics.periods import local_date

    return local_date(utcnow()).year


async def audit_rows(database: Database) -> list[AuditEntry]:
    async with database.sessions() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


async def test_results_need_a_login(client: TestClient) -> None:
    page = await client.get("/staff/overview", allow_redirects=False)
    assert page.status == 303 and page.headers["Location"].startswith("/staff/login")
    assert (await client.get("/staff/surveys/citizen", allow_redirects=False)).status == 303
    for fmt in ("xlsx", "csv", "html"):
        assert (await client.get(f"/staff/surveys/citizen/report.{fmt}")).status == 401


async def test_login_lands_on_the_overview(client: TestClient) -> None:
    from tests.web.conftest import login

    response = await login(client)
    assert response.headers["Location"] == "/staff/overview"


async def test_an_empty_database_shows_no_numbers(staff_client: TestClient) -> None:
    html = await (await staff_client.get("/staff/overview")).text()
    assert "Borgerevaluering" in html and "Virksomhedsundersøgelse" in html
    assert html.count("<strong>–</strong> ingen svar") == 2
    assert 'class="status' not in html  # no goal status without answers
    assert "Ingen nævner" in html


async def test_the_overview_shows_the_share_interval_and_status(staff_client: TestClient, database: Database) -> None:
    # 25 of 30 satisfied: 0.833, Wilson interval 0.664-0.927 (docs/measurement.md's example): not yet shown.
    await add_responses(database, "citizen", {"benefit": "a-dagpenge"}, [5] * 25 + [2] * 5)
    # 40 of 40 among employers: the whole interval is above 80%.
    await add_responses(database, "employer", {"industry": "transport"}, [4] * 40)
    html = await (await staff_client.get("/staff/overview")).text()
    citizen = html[html.index('id="survey-citizen"') : html.index('id="survey-employer"')]
    employer = html[html.index('id="survey-employer"') :]
    assert "<strong>83 %</strong> tilfredse" in citizen
    assert "66 %–93 %" in citizen
    assert "endnu ikke påvist" in citizen
    assert "<strong>100 %</strong> tilfredse" in employer and ">opfyldt<" in employer
    assert "<svg" in citizen and "Udvikling pr. måned" in citizen  # the chart by period
    english = await (await staff_client.get("/staff/lang?set=en&next=/staff/overview")).text()
    assert "<strong>83%</strong> satisfied" in english and "not yet shown" in english


async def test_small_groups_are_hidden_on_the_page_and_in_the_download(
    staff_client: TestClient, database: Database
) -> None:
    await add_responses(database, "citizen", {"benefit": "a-dagpenge"}, [5] * 20 + [1] * 5)
    await add_responses(database, "citizen", {"benefit": "kontanthjaelp"}, [5] * 12 + [2] * 8)
    await add_responses(database, "citizen", {"benefit": "fleksjob"}, [1, 2, 5])  # 3 < 5: hidden
    html = await (await staff_client.get("/staff/surveys/citizen?by=benefit")).text()
    table = html[html.index("<caption") : html.index("</table>")]
    fleksjob = table[table.index("Fleksjob") :]
    fleksjob = fleksjob[: fleksjob.index("</tr>")]
    assert "&lt;5" in fleksjob and "skjult" in fleksjob and "%" not in fleksjob
    # Secondary suppression: the next-smallest group is hidden too, so the total gives nothing away.
    assert table.count("skjult") >= 2
    download = await staff_client.get(f"/staff/surveys/citizen/report.csv?period={this_year()}-YTD")
    body = (await download.read()).decode("utf-8-sig")
    assert download.status == 200
    fleksjob_rows = [line for line in body.splitlines() if "Fleksjob" in line]
    assert fleksjob_rows and all("<5" in line for line in fleksjob_rows)
    assert ";3;" not in "".join(fleksjob_rows)


async def test_drill_down_by_segment_and_question(staff_client: TestClient, database: Database) -> None:
    await add_responses(database, "employer", {"size": "1-9"}, [5] * 10)
    await add_responses(database, "employer", {"size": "250+"}, [3] * 10)
    html = await (await staff_client.get("/staff/surveys/employer?by=size")).text()
    assert "Opdel efter: Antal ansatte" in html
    assert "1–9 ansatte" in html and "250 eller flere ansatte" in html
    assert "Samlet tilfredshed" in html and "Spørgsmålene" in html  # per-question results
    assert '<option value="size" selected>' in html
    fallback = await staff_client.get("/staff/surveys/employer?by=nonsense")
    assert fallback.status == 200 and '<option value="industry" selected>' in await fallback.text()
    assert (await staff_client.get("/staff/surveys/nosuchsurvey")).status == 404


async def test_an_unreadable_period_is_explained(staff_client: TestClient) -> None:
    response = await staff_client.get("/staff/overview?custom=last+tuesday")
    html = await response.text()
    assert response.status == 400
    assert "Perioden kunne ikke læses" in html and "-YTD" in html
    chosen = await staff_client.get("/staff/overview?period=2025-H1")
    assert chosen.status == 200 and "2025-H1 (2025-01-01 til 2025-06-30)" in await chosen.text()
    assert (await staff_client.get("/staff/surveys/citizen/report.csv?period=someday")).status == 400


@pytest.mark.parametrize(
    "fmt, kind, magic",
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("csv", "text/csv", "\ufeff".encode()),
        ("html", "text/html", b"<!doctype html"),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
async def test_downloads_are_the_report_on_screen_and_audited(
    staff_client: TestClient, database: Database, fmt: str, kind: str, magic: bytes
) -> None:
    await add_responses(database, "citizen", {"benefit": "sygedagpenge"}, [4] * 30 + [1] * 10)
    ytd = f"{this_year()}-YTD"
    response = await staff_client.get(f"/staff/surveys/citizen/report.{fmt}?period={ytd}")
    body = await response.read()
    assert response.status == 200
    assert response.headers["Content-Type"].startswith(kind)
    assert response.headers["Content-Disposition"] == f'attachment; filename="tilfreds-citizen-{ytd}.{fmt}"'
    assert body[:20].lower().startswith(magic.lower())
    [entry] = await audit_rows(database)
    assert (entry.actor, entry.action) == ("web:anna", "export")
    assert entry.detail["format"] == fmt and entry.detail["survey"] == "citizen"
    assert entry.detail["period"] == ytd
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
        assert any("Sygedagpenge" in cell for row in rows for cell in row)


async def test_no_result_page_or_download_shows_a_pseudonym_or_a_token_hash(
    staff_client: TestClient, database: Database, settings: Settings
) -> None:
    async with database.sessions.begin() as session:
        person = Respondent(pseudonym=pseudonym(settings.secret(), 777))
        session.add(person)
        await session.flush()
        person_id = person.id
    await add_responses(database, "citizen", {"benefit": "a-dagpenge"}, [5] * 12, respondent=person_id)
    from tests.web.test_invitations import create

    await create(staff_client, count="2")
    async with database.sessions() as session:
        secrets_ = list(await session.scalars(select(Invitation.token_hash)))
        secrets_ += list(await session.scalars(select(Respondent.pseudonym)))
    bodies = []
    for path in (
        "/staff/overview",
        "/staff/surveys/citizen?by=benefit",
        "/staff/surveys/citizen/report.csv",
        "/staff/surveys/citizen/report.html",
        "/staff/surveys/citizen/report.xlsx",
    ):
        reply = await staff_client.get(path)
        assert reply.status == 200, path
        body = await reply.read()
        if body.startswith(b"PK"):  # xlsx: look inside the zip, not at the compressed bytes
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(name) for name in archive.namelist())
        bodies.append(body)
    for body in bodies:
        for value in secrets_:
            assert value.encode() not in body and value[:16].encode() not in body


async def test_the_drill_down_shows_satisfaction_per_channel(staff_client: TestClient, database: Database) -> None:
    await add_responses(database, "citizen", {"benefit": "a-dagpenge"}, [5] * 20 + [2] * 5)
    await add_responses(database, "citizen", {"benefit": "a-dagpenge"}, [4] * 6 + [1] * 4, channel="web")
    html = await (await staff_client.get("/staff/surveys/citizen?by=channel")).text()
    assert '<option value="channel" selected>Kanal</option>' in html
    table = html[html.index('id="by-title"') :]
    assert "Kanal" in table and "Telegram" in table and "Browser" in table
    assert "80 %" in table and "60 %" in table  # 20 of 25 in Telegram, 6 of 10 in the browser


async def test_the_follow_up_button_offers_the_scheduled_files_and_audits_them(
    staff_client: TestClient, database: Database
) -> None:
    from zoneinfo import ZoneInfo

    from pypdf import PdfReader

    from analytics.followup import committee_periods, follow_up_surveys
    from tests.web.conftest import csrf_of

    # Noon on the first day of the year to date the committee paper made now covers.
    first_day = committee_periods(utcnow(), "Europe/Copenhagen")[0].start
    noon = datetime(first_day.year, first_day.month, first_day.day, 12, tzinfo=ZoneInfo("Europe/Copenhagen"))
    await add_responses(database, "citizen", {"benefit": "sygedagpenge"}, [4] * 30 + [1] * 10, when=noon)
    page = await staff_client.get("/staff/overview")
    html = await page.text()
    assert 'action="/staff/followup/committee"' in html and 'action="/staff/followup/annual"' in html
    # Without the form's token nothing is made and nothing is logged.
    refused = await staff_client.post("/staff/followup/committee", data={})
    assert refused.status == 403 and await audit_rows(database) == []
    reply = await staff_client.post("/staff/followup/committee", data={"csrf_token": csrf_of(html)})
    assert reply.status == 200 and reply.headers["Content-Type"] == "application/zip"
    assert reply.headers["Content-Disposition"].startswith('attachment; filename="tilfreds-committee-')
    with zipfile.ZipFile(io.BytesIO(await reply.read())) as archive:
        names = sorted(archive.namelist())
        paper = archive.read(next(n for n in names if n.startswith("citizen-") and n.endswith(".pdf")))
    surveys = follow_up_surveys("committee")
    assert sorted({name.split("-committee-")[0] for name in names}) == sorted(surveys)
    assert {name.rsplit(".", 1)[1] for name in names} == {"xlsx", "html", "pdf"} and len(names) == 3 * len(surveys)
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(paper)).pages)
    assert "(30 af 40)" in " ".join(text.split())  # 30 of 40 satisfied this year
    entries = await audit_rows(database)
    assert sorted(e.detail["file"] for e in entries) == names
    assert {(e.actor, e.action, e.detail["kind"]) for e in entries} == {("web:anna", "export", "committee")}
    assert (await staff_client.post("/staff/followup/weekly", data={"csrf_token": csrf_of(html)})).status == 404
