"""The staff call-back list ("Ring mig op"): waiting and handled requests, marked by whom and when (Copenhagen
time); deleted by the retention job; counted in reports but never shown in any report, export or log."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from db.database import Database
from db.models import CallbackRequest, utcnow
from db.repo import callbacks
from tests.web.conftest import csrf_of
from tests.web.test_results import add_responses

PHONE = "+45 12 34 56 78"
EMAIL = "ring.mig@example.dk"


async def ask(database: Database, text: str, survey: str = "citizen", segments=None, day: date | None = None) -> None:
    async with database.sessions.begin() as session:
        await callbacks.request_callback(
            session, survey_key=survey, segments=segments or {}, contact_text=text, today=day or date.today()
        )


async def test_staff_see_the_list_and_mark_a_request_handled(staff_client: TestClient, database: Database) -> None:
    await ask(database, "12345678", segments={"unit": "ungeenheden", "benefit": "kontanthjaelp"})
    await ask(database, EMAIL, survey="employer")
    html = await (await staff_client.get("/staff/callbacks")).text()
    assert "Venter (2)" in html and PHONE in html and f'href="mailto:{EMAIL}"' in html
    assert "Ungeenheden" in html and "Borgerevaluering" in html and "Virksomhedsundersøgelse" in html
    assert 'href="tel:+4512345678"' in html
    async with database.sessions() as session:
        [first] = [r.id for r in await session.scalars(select(CallbackRequest)) if r.contact == PHONE]
    reply = await staff_client.post(
        "/staff/callbacks/handled", data={"csrf_token": csrf_of(html), "request": str(first)}, allow_redirects=False
    )
    assert reply.status == 303
    html = await (await staff_client.get(reply.headers["Location"])).text()
    assert "Markeret som klaret." in html and "Venter (1)" in html and "Klaret (1)" in html
    handled = html[html.index('id="handled-title"') :]
    local = (utcnow().astimezone(__import__("zoneinfo").ZoneInfo("Europe/Copenhagen"))).strftime("%d.%m.%Y")
    assert "af web:anna, " + local in handled  # who, and when in Copenhagen time
    again = await staff_client.post("/staff/callbacks/handled", data={"csrf_token": csrf_of(html), "request": "x"})
    assert again.status == 400
    forged = await staff_client.post("/staff/callbacks/handled", data={"request": str(first)})
    assert forged.status == 403


async def test_the_retention_job_deletes_handled_and_old_requests(database: Database) -> None:
    today = date(2026, 12, 2)
    now = datetime(2026, 12, 2, 3, 30, tzinfo=UTC)
    await ask(database, "11111111", day=today - timedelta(days=10))  # open, recent: kept
    await ask(database, "22222222", day=today - timedelta(days=91))  # open, too old: deleted
    await ask(database, "33333333", day=today - timedelta(days=40))
    await ask(database, "44444444", day=today - timedelta(days=40))
    async with database.sessions.begin() as session:
        rows = {r.contact: r.id for r in await session.scalars(select(CallbackRequest))}
        await callbacks.mark_handled(session, rows["+45 33 33 33 33"], by="web:anna", now=now - timedelta(days=31))
        await callbacks.mark_handled(session, rows["+45 44 44 44 44"], by="web:anna", now=now - timedelta(days=29))
    async with database.sessions.begin() as session:
        deleted = await callbacks.purge(session, now=now, today=today, handled_days=30, max_days=90)
    async with database.sessions() as session:
        left = sorted(r.contact for r in await session.scalars(select(CallbackRequest)))
        assert await callbacks.asked(session, "citizen", today - timedelta(days=100), today) == 4  # the tally stays
    assert deleted == 2 and left == ["+45 11 11 11 11", "+45 44 44 44 44"]


async def test_reports_count_requests_but_no_report_export_or_log_shows_one(
    staff_client: TestClient, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    for ours in ("bot", "db", "tilfreds", "analytics", "aiohttp.access"):
        caplog.set_level(logging.DEBUG, logger=ours)
    await add_responses(database, "citizen", {"benefit": "a-dagpenge", "unit": "ungeenheden"}, [5] * 8)
    await ask(database, "12345678", segments={"unit": "ungeenheden"})
    await ask(database, EMAIL)
    page = await (await staff_client.get("/staff/surveys/citizen")).text()
    assert "Bad om at blive ringet op: 2." in page
    bodies = [page, await (await staff_client.get("/staff/overview")).text()]
    for path in (
        "/staff/surveys/citizen/report.csv",
        "/staff/surveys/citizen/report.html",
        "/staff/surveys/citizen/report.xlsx",
        "/staff/surveys/citizen/comments.csv",
        "/staff/surveys/citizen/comments.xlsx",
    ):
        reply = await staff_client.get(path)
        body = await reply.read()
        if body.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                body = b"".join(archive.read(name) for name in archive.namelist())
        bodies.append(body.decode("utf-8", "replace"))
    assert "<v>2</v>" in bodies[4] or ">2<" in bodies[4]  # the workbook has the count
    everything = "\n".join(bodies) + caplog.text
    for secret in (PHONE, "12345678", "12 34 56 78", EMAIL, "ring.mig"):
        assert secret not in everything
