""" "Ring mig op" at the end of the browser survey, over real HTTP on SQLite and PostgreSQL: the consent text and a
field on the thank-you page, a validated number or e-mail stored apart from the answers, kind errors, and forged
posts refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from db.database import Database
from db.models import CallbackRequest
from tests.web.respondent import Browser, invite
from tilfreds.app import build_app
from tilfreds.settings import Settings


@pytest.fixture
async def app_client(database: Database, settings: Settings) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(build_app(settings, database))) as client:
        yield client


async def stored(database: Database) -> list[CallbackRequest]:
    async with database.sessions() as session:
        return list(await session.scalars(select(CallbackRequest)))


async def finish(client: TestClient, database: Database, settings: Settings) -> Browser:
    [token] = await invite(database, settings.secret(), segments={"unit": "integration", "benefit": "fleksjob"})
    me = Browser(client)
    await me.start(token)
    thanks = await me.answer_all({"better": {"text": "Fint"}})
    assert "Tak for dine svar" in thanks.text
    return me


async def test_the_thank_you_page_offers_a_call_back_stored_apart(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    me = await finish(app_client, database, settings)
    thanks = me.page
    assert thanks is not None and thanks.action and thanks.action.endswith("/tak/ring")
    assert "Samtykke: Når jeg trykker på knappen" in thanks.text and 'for="contact"' in thanks.text
    wrong = await me.send(thanks, contact="ring mig i morgen")
    assert wrong.status == 400 and "kan ikke læses som et telefonnummer" in wrong.text
    assert 'aria-invalid="true"' in wrong.text and "ring mig i morgen" not in wrong.text  # never echoed back
    assert await stored(database) == []
    done = await me.send(wrong, contact="12 34 56 78")
    assert done.status == 200 and "Jobcentret kontakter dig" in done.text
    [request] = await stored(database)
    assert (request.survey_key, request.team, request.contact) == ("citizen", "integration", "+45 12 34 56 78")
    assert "Ring mig op" in (await me.get("/privatliv")).text


async def test_a_forged_or_cookieless_post_stores_nothing(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    me = await finish(app_client, database, settings)
    thanks = me.page
    assert thanks is not None and thanks.action
    forged = await me.post(thanks.action, {"form_token": "x" * 32, "contact": "12345678"})
    assert forged.status >= 400
    app_client.session.cookie_jar.clear()
    cookieless = await me.post(thanks.action, {**thanks.fields, "contact": "12345678"})
    assert cookieless.status == 400
    assert await stored(database) == []
