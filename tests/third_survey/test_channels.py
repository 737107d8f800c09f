"""The youth survey is invited to and answered like the shipped ones: `tilfreds invite` and the browser over
real HTTP, the bot's /invite and Telegram over the local Bot API server; SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from click.testing import CliRunner
from sqlalchemy import select

from db.database import Database
from db.models import Answer, AuditEntry, Response
from surveys.loader import use_definitions
from tests.bot.conftest import Harness
from tests.botapi import press
from tests.third_survey.conftest import KEY, QUESTIONS
from tests.web.respondent import Browser
from tilfreds.app import build_app
from tilfreds.cli import cli
from tilfreds.settings import SETTINGS_DOCS, Settings

PUBLIC_URL = "https://tilfreds.example.dk"


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str, settings: Settings, third_survey: Path):
    """The CLI's environment: the test database, the web app's secret and the organisation's definitions."""
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TILFREDS_DATABASE_URL", database_url)
    monkeypatch.setenv("TILFREDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TILFREDS_SECRET_KEY", settings.secret().decode())
    monkeypatch.setenv("TILFREDS_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("TILFREDS_SURVEYS_DIR", str(third_survey))
    use_definitions(None)  # the shipped ones: the command itself must take up TILFREDS_SURVEYS_DIR


@pytest.fixture
async def web(database: Database, settings: Settings) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(build_app(settings, database))) as client:
        yield client


async def stored(database: Database) -> tuple[list[Response], dict[str, Answer]]:
    async with database.sessions() as session:
        responses = list(await session.scalars(select(Response).order_by(Response.id)))
        answers = {a.question_id: a for a in await session.scalars(select(Answer))}
    return responses, answers


async def test_cli_invitations_answered_in_the_browser(cli_env: None, web: TestClient, database: Database) -> None:
    args = ["invite", "--survey", KEY, "--count", "2", "--segment", "school=fgu", "--format", "json"]
    result = await asyncio.to_thread(CliRunner().invoke, cli, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["survey"], r["segments"]) for r in rows] == [(KEY, {"school": "fgu"})] * 2
    assert all(r["link"] == f"{PUBLIC_URL}/s/{r['token']}" for r in rows)

    me = Browser(web)
    landing = await me.get(rows[0]["link"].removeprefix(PUBLIC_URL))
    assert landing.status == 200 and "Hvordan har Ungeindsatsen været for dig?" in landing.text
    page = await me.start(rows[0]["token"])
    assert page.title.startswith("Spørgsmål 1 af 4: Samlet tilfredshed")
    seen = []
    while page.question is not None:
        seen.append(page.question)
        if page.question == "wish":
            page = await me.send(text="Flere møder om eftermiddagen")
        else:
            page = await me.send(option={"overall": "5", "mentor": "na"}.get(page.question, "4"))
    assert seen == QUESTIONS
    assert page.url.endswith("/tak") and "<title>Tak for dine svar – Hvordan har Ungeindsatsen" in page.text
    responses, answers = await stored(database)
    assert [(r.survey_key, r.channel, r.status, r.segments) for r in responses] == [
        (KEY, "web", "completed", {"school": "fgu"})
    ]
    assert {q: (a.option, a.value) for q, a in answers.items() if q != "wish"} == {
        "overall": ("5", 5),
        "mentor": ("na", None),
        "plan": ("4", 4),
    }
    assert answers["wish"].text == "Flere møder om eftermiddagen"
    async with database.sessions() as session:
        [entry] = list(await session.scalars(select(AuditEntry)))
    assert entry.action == "invite" and entry.detail["survey"] == KEY and entry.detail["via"] == "cli"


async def test_bot_invitation_answered_in_telegram(bot: Harness) -> None:
    staff = bot.phone("da")
    staff.user_id = staff.chat_id = 777  # listed in TILFREDS_STAFF_TELEGRAM_IDS by the harness
    staff.events = bot.server.register_chat(777)
    await staff.dialog(
        [
            ("/invite", f"Spørgeskemaer: citizen, employer, {KEY}"),
            (f"/invite {KEY} school=universitet", "allowed values: ingen, fgu, erhvervsskole"),
            (f"/invite {KEY} school=erhvervsskole", f"1 invitation til {KEY}"),
        ]
    )
    [token] = re.findall(r"https://t\.me/tilfreds_test_bot\?start=([A-Za-z0-9_-]+)", staff.seen[-1].text or "")
    young = bot.phone("en-GB")
    await young.dialog(
        [
            (f"/start {token}", "Four short questions"),
            (press("Start ▶"), "1/4  Overall, how satisfied are you with the youth service?"),
            (press("2 – Dissatisfied"), "2/4  My contact person had time for me."),
            (press("Skip"), "3/4  I know what happens next."),
            (press("5 – Strongly agree"), "4/4"),
            ("More meetings in the afternoon", "Thank you for answering!"),
        ]
    )
    responses, answers = await stored(bot.database)
    assert [(r.survey_key, r.channel, r.status, r.language, r.segments) for r in responses] == [
        (KEY, "telegram", "completed", "en", {"school": "erhvervsskole"})
    ]
    assert (answers["overall"].value, answers["mentor"].option, answers["plan"].value) == (2, "skip", 5)
    assert answers["wish"].text == "More meetings in the afternoon"
