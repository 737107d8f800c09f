"""One response per invitation, whichever channel: a single-use link started in the browser cannot start a
second response in Telegram, nor the reverse. The bot and the web pages run on the same database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from db.models import Invitation, Response
from tests.bot.conftest import SECRET, Harness
from tests.botapi import press
from tests.web.respondent import Browser
from tilfreds.app import build_app


@pytest.fixture
async def web(bot: Harness, tmp_path) -> AsyncIterator[Browser]:  # noqa: ANN001
    settings = bot.settings(secret_key=SECRET, data_dir=tmp_path / "web")
    async with TestClient(TestServer(build_app(settings, bot.database))) as client:
        yield Browser(client)


async def responses_by_channel(bot: Harness) -> list[tuple[str, str]]:
    async with bot.database.sessions() as session:
        rows = await session.execute(select(Response.channel, Response.status).order_by(Response.id))
        assert await session.scalar(select(func.sum(Invitation.uses))) == 1
    return [tuple(row) for row in rows]


async def test_started_in_the_browser_telegram_refuses_kindly(bot: Harness, web: Browser) -> None:
    [token] = await bot.invite()
    first = await web.start(token)
    assert first.question == "overall"
    phone = bot.phone("da")
    await phone.dialog([(f"/start {token}", "allerede taget i brug i en browser")])
    assert await responses_by_channel(bot) == [("web", "in_progress")]


async def test_started_in_telegram_the_browser_refuses_kindly(bot: Harness, web: Browser) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    landing = await web.get(f"/s/{token}")
    assert landing.status == 410 and "allerede taget i brug i Telegram" in landing.text
    assert "Svar her i browseren" not in landing.text
    assert await responses_by_channel(bot) == [("telegram", "in_progress")]


async def test_with_a_public_url_invite_answers_with_the_web_links(bot: Harness, web: Browser) -> None:
    from functools import partial

    from tilfreds.web.respond.links import web_link

    assert bot.channel is not None
    bot.channel.conversation.web_link = partial(web_link, "http://tilfreds.test")  # as `tilfreds run` wires it
    staff = bot.phone("da")
    staff.user_id = staff.chat_id = 777  # listed in TILFREDS_STAFF_TELEGRAM_IDS by the harness
    staff.events = bot.server.register_chat(777)
    await staff.dialog([("/invite citizen 2", "2 invitationer til citizen")])
    tokens = re.findall(r"http://tilfreds\.test/s/([A-Za-z0-9_-]+)", staff.seen[-1].text or "")
    assert len(tokens) == 2 and "t.me" not in (staff.seen[-1].text or "")
    first = await web.start(tokens[0])
    assert first.question == "overall", "the printed link opens the survey in the browser"
