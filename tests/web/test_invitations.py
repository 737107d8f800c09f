"""Invitations in the browser: the form, the batch it makes, its CSV and QR sheet, the list, and closing links."""

from __future__ import annotations

import csv
import io
import re

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from db.database import Database
from db.keys import pseudonym
from db.models import AuditEntry, Invitation, InvitationBatch, Respondent
from db.repo import invitations as invitation_repo
from tests.web.conftest import BOT, csrf_of, login
from tilfreds.app import build_app
from tilfreds.settings import Settings
from tilfreds.web.qr import qr_svg


async def create(client: TestClient, **fields: str):
    page = await client.get(f"/staff/invitations?survey={fields.get('survey', 'citizen')}")
    form = {"survey": "citizen", "count": "3", "expires_days": "30", "uses": "single", **fields}
    return await client.post(
        "/staff/invitations", data={"csrf_token": csrf_of(await page.text()), **form}, allow_redirects=False
    )


async def audit_rows(database: Database) -> list[AuditEntry]:
    async with database.sessions() as session:
        return list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def csv_links(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to show æøå"
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


async def test_the_form_offers_each_surveys_segments_by_name(staff_client: TestClient) -> None:
    html = await (await staff_client.get("/staff/invitations")).text()
    assert '<a href="/staff/invitations?survey=citizen" aria-current="page">Borgerevaluering</a>' in html
    assert '<label for="segment_benefit">Ydelse</label>' in html
    assert '<option value="kontanthjaelp">Kontanthjælp</option>' in html
    assert '<label for="count">Antal</label>' in html and 'value="20"' in html
    employer = await (await staff_client.get("/staff/invitations?survey=employer")).text()
    assert 'name="segment_industry"' in employer and 'name="segment_benefit"' not in employer
    assert "Der er ikke oprettet invitationer endnu." in html


async def test_a_batch_is_created_audited_and_its_links_open_the_survey(
    staff_client: TestClient, database: Database, settings: Settings
) -> None:
    response = await create(staff_client, count="4", segment_benefit="kontanthjaelp", segment_unit="")
    assert response.status == 303
    batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    async with database.sessions() as session:
        batch = await session.get(InvitationBatch, batch_id)
    assert (batch.survey_key, batch.segments, batch.count, batch.max_uses) == (
        "citizen",
        {"benefit": "kontanthjaelp"},
        4,
        1,
    )
    assert batch.created_by == "web:anna"
    [entry] = await audit_rows(database)
    assert (entry.actor, entry.action, entry.rows) == ("web:anna", "invite", 4)
    assert entry.detail["batch"] == batch_id and entry.detail["segments"] == {"benefit": "kontanthjaelp"}
    assert entry.detail["via"] == "web" and entry.detail["expires_days"] == 30

    page = await (await staff_client.get(f"/staff/invitations/{batch_id}")).text()
    assert "4 invitationer er oprettet" in page
    assert f'href="/staff/invitations/{batch_id}/links.csv"' in page
    assert "Ydelse: Kontanthjælp" in page

    download = await staff_client.get(f"/staff/invitations/{batch_id}/links.csv")
    assert download.status == 200
    assert download.headers["Content-Disposition"] == f'attachment; filename="invitationer-{batch_id}.csv"'
    rows = csv_links(await download.read())
    assert len(rows) == 4 and len({r["link"] for r in rows}) == 4
    async with database.sessions() as session:
        for row in rows:
            assert row["link"].startswith(f"https://t.me/{BOT}?start=")
            assert row["segments"] == "benefit=kontanthjaelp" and row["max_uses"] == "1"
            found = await invitation_repo.find_invitation(session, settings.secret(), row["link"].split("=", 1)[1])
            assert found is not None and found.batch_id == batch_id
    last = (await audit_rows(database))[-1]
    assert (last.action, last.rows, last.detail) == (
        "download",
        4,
        {"what": "invitation-links", "batch": batch_id, "format": "csv"},
    )


async def test_the_qr_sheet_has_one_code_per_invitation_and_prints_on_a4(
    staff_client: TestClient, database: Database
) -> None:
    response = await create(staff_client, count="5")
    batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    links = [
        r["link"] for r in csv_links(await (await staff_client.get(f"/staff/invitations/{batch_id}/links.csv")).read())
    ]
    sheet = await staff_client.get(f"/staff/invitations/{batch_id}/sheet")
    html = await sheet.text()
    assert sheet.status == 200 and '<html lang="da">' in html
    assert html.count('class="qr-card"') == 5
    assert len(re.findall(r"<svg\b", html)) == 5
    for link in links:  # each code encodes its own link
        assert str(qr_svg(link, "QR-kode: åbner spørgeskemaet i Telegram")) in html
    assert html.count("Scan koden med mobilen — så åbner Telegram.") == 5
    assert html.count("Det tager omkring 2 minutter, og du er anonym.") == 5
    css = await (await staff_client.get("/staff/static/staff.css")).text()
    assert "@media print" in css and "size: A4" in css
    last = (await audit_rows(database))[-1]
    assert (last.action, last.rows, last.detail["what"]) == ("download", 5, "invitation-sheet")


async def test_multi_use_links_for_posters(staff_client: TestClient, database: Database) -> None:
    response = await create(staff_client, survey="employer", count="1", uses="multi", segment_industry="transport")
    assert response.status == 303
    async with database.sessions() as session:
        batch = await session.scalar(select(InvitationBatch))
    assert batch.max_uses is None and batch.segments == {"industry": "transport"}
    listing = await (await staff_client.get("/staff/invitations")).text()
    assert "Virksomhedsundersøgelse" in listing and "(plakat)" in listing and "Branche" in listing


async def test_bad_input_is_explained_and_creates_nothing(staff_client: TestClient, database: Database) -> None:
    cases = [
        ({"count": "0"}, "Skriv et helt tal fra 1 til 500."),
        ({"count": "10000"}, "Skriv et helt tal fra 1 til 500."),
        ({"count": "tre"}, "Skriv et helt tal fra 1 til 500."),
        ({"expires_days": "0"}, "Skriv et helt tal fra 1 til 365."),
        ({"uses": "always"}, "Vælg en af mulighederne."),
        ({"segment_benefit": "millionaer"}, "Vælg en værdi fra listen."),
        ({"survey": "nosuchsurvey"}, "Ukendt spørgeskema."),
    ]
    for fields, message in cases:
        response = await create(staff_client, **fields)
        html = await response.text()
        assert response.status == 400, fields
        assert "Ret felterne markeret nedenfor." in html and message in html, fields
        assert 'aria-invalid="true"' in html or "survey" in fields
    async with database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InvitationBatch)) == 0
    assert await audit_rows(database) == []


async def test_links_need_the_bot_username(database: Database, settings: Settings) -> None:
    from tests.web.conftest import add_user

    await add_user(database)
    app = build_app(settings.model_copy(update={"telegram_bot_username": None}), database)
    async with TestClient(TestServer(app)) as client:
        await login(client)
        page = await (await client.get("/staff/invitations")).text()
        assert "Bed driften sætte TILFREDS_TELEGRAM_BOT_USERNAME" in page  # said before anyone fills the form in
        response = await create(client)
        assert response.status == 503
        assert "TILFREDS_TELEGRAM_BOT_USERNAME" in await response.text()
    async with database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InvitationBatch)) == 0


async def test_only_the_session_that_made_the_links_can_fetch_them(
    staff_client: TestClient, database: Database, settings: Settings
) -> None:
    response = await create(staff_client)
    batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    anonymous = TestClient(TestServer(staff_client.app))
    async with anonymous:
        assert (await anonymous.get(f"/staff/invitations/{batch_id}/links.csv")).status == 401
        sheet = await anonymous.get(f"/staff/invitations/{batch_id}/sheet", allow_redirects=False)
        assert sheet.status == 303 and sheet.headers["Location"].startswith("/staff/login")
        await login(anonymous)  # the same person in another browser: the links were shown once, elsewhere
        gone = await anonymous.get(f"/staff/invitations/{batch_id}/links.csv")
        assert gone.status == 410
        page = await (await anonymous.get(f"/staff/invitations/{batch_id}")).text()
        assert "kan ikke længere hentes" in page and "links.csv" not in page


async def test_closing_a_batch_stops_its_links_and_is_audited(staff_client: TestClient, database: Database) -> None:
    response = await create(staff_client, count="2")
    batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    listing = await (await staff_client.get("/staff/invitations")).text()
    assert f'href="/staff/invitations/{batch_id}#close"' in listing and ">åben<" in listing
    confirm = await (await staff_client.get(f"/staff/invitations/{batch_id}")).text()
    assert "holder op med at virke med det samme" in confirm
    assert f'action="/staff/invitations/{batch_id}/revoke"' in confirm
    closed = await staff_client.post(
        f"/staff/invitations/{batch_id}/revoke", data={"csrf_token": csrf_of(confirm)}, allow_redirects=False
    )
    assert closed.status == 303
    after = await (await staff_client.get(closed.headers["Location"])).text()
    assert f"Linkene i batch {batch_id} er lukket." in after and ">lukket<" in after
    assert f'href="/staff/invitations/{batch_id}#close"' not in after
    batch_page = await (await staff_client.get(f"/staff/invitations/{batch_id}")).text()
    assert "Status: lukket" in batch_page and "/revoke" not in batch_page
    async with database.sessions() as session:
        revoked = await session.scalars(select(Invitation.revoked_at).where(Invitation.batch_id == batch_id))
        assert all(r is not None for r in revoked)
    last = (await audit_rows(database))[-1]
    assert (last.action, last.rows) == ("revoke", 2)


async def test_the_list_counts_used_links(staff_client: TestClient, database: Database) -> None:
    response = await create(staff_client, count="3")
    batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    async with database.sessions.begin() as session:
        first = await session.scalar(select(Invitation.id).where(Invitation.batch_id == batch_id).limit(1))
        assert await invitation_repo.claim_use(session, first)
    html = await (await staff_client.get("/staff/invitations")).text()
    row = html[html.index(f'<a href="/staff/invitations/{batch_id}">') :]
    row = row[: row.index("</tr>")]
    assert re.findall(r'<td class="num">(\d+)', row) == ["3", "1", "0"]  # links, used, responses


async def test_no_page_or_download_shows_a_token_hash_or_a_pseudonym(
    staff_client: TestClient, database: Database, settings: Settings
) -> None:
    async with database.sessions.begin() as session:
        session.add(Respondent(pseudonym=pseudonym(settings.secret(), 424242)))
    response = await create(staff_client, count="3")
    batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    bodies = []
    for path in (
        "/staff/invitations",
        f"/staff/invitations/{batch_id}",
        f"/staff/invitations/{batch_id}/links.csv",
        f"/staff/invitations/{batch_id}/sheet",
        "/staff/invitations?survey=employer",
    ):
        reply = await staff_client.get(path)
        assert reply.status == 200, path
        bodies.append((await reply.read()).decode("utf-8"))
    async with database.sessions() as session:
        secrets_ = list(await session.scalars(select(Invitation.token_hash)))
        secrets_ += list(await session.scalars(select(Respondent.pseudonym)))
    assert len(secrets_) == 4
    for body in bodies:
        for value in secrets_:
            assert value not in body and value[:16] not in body


async def test_with_a_public_url_the_links_and_the_qr_sheet_are_the_web_page(
    database: Database, settings: Settings
) -> None:
    from tests.web.conftest import add_user

    await add_user(database)
    public = settings.model_copy(update={"public_url": "https://tilfreds.example.dk", "telegram_bot_username": None})
    async with TestClient(TestServer(build_app(public, database))) as client:
        await login(client)
        response = await create(client, count="2")
        assert response.status == 303, "a public URL is enough: no bot needed"
        batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
        links = [
            r["link"] for r in csv_links(await (await client.get(f"/staff/invitations/{batch_id}/links.csv")).read())
        ]
        html = await (await client.get(f"/staff/invitations/{batch_id}/sheet")).text()
    assert len(links) == 2 and all(re.fullmatch(r"https://tilfreds\.example\.dk/s/[A-Za-z0-9_-]{24}", x) for x in links)
    for link in links:
        assert str(qr_svg(link, "QR-kode: åbner spørgeskemaet")) in html
    assert html.count("Scan koden med mobilen, og svar i browseren eller i Telegram.") == 2
