"""Commands (/help, /privacy, /language, /cancel, /delete), staff invitations, and reminders."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from sqlalchemy import func, select, update

from db.models import Answer, AuditEntry, Invitation, Respondent, Response, utcnow
from tests.bot.conftest import Harness
from tests.botapi import press

SKIP_ALL = [(press("Spring over"), f"{i}/8") for i in range(3, 9)]


async def complete_a_survey(harness: Harness, phone, token: str) -> None:  # noqa: ANN001
    await phone.dialog(
        [
            (f"/start {token}", "/privacy"),
            (press("Start ▶"), "1/8"),
            (press("4 – Tilfreds"), "2/8"),
            *SKIP_ALL,
            (press("Spring over"), "Tak for dine svar"),
        ]
    )


async def test_help_privacy_and_language(bot: Harness) -> None:
    phone = bot.phone("da")
    await phone.dialog(
        [
            ("/help", "/delete – slet dine svar"),
            ("/privacy", "slettes efter 24 måneder"),
            ("/language", "Vælg sprog"),
        ]
    )
    privacy = phone.seen[-2].text or ""
    assert "30 dage" in privacy and "pseudonym" in privacy
    phone.press("English")
    await phone.expect_edit("The language is now English")
    await phone.dialog([("/help", "/delete – delete your answers"), ("/nonsense", "I don't know that command")])


async def test_the_same_invitation_after_finishing_says_thank_you_again(bot: Harness) -> None:
    [token] = await bot.invite(max_uses=None)
    phone = bot.phone("da")
    await complete_a_survey(bot, phone, token)
    await phone.dialog([(f"/start {token}", "allerede svaret"), ("/start", "ikke et spørgeskema i gang")])
    async with bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Response)) == 1


async def test_cancel_pauses_and_start_resumes(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog(
        [
            ("/cancel", "ikke et spørgeskema i gang"),
            (f"/start {token}", "/privacy"),
            (press("Start ▶"), "1/8"),
            (press("4 – Tilfreds"), "2/8"),
            ("/cancel", "sat på pause"),
            ("/start", "2/8"),
        ]
    )
    async with bot.database.sessions() as session:
        response = await session.scalar(select(Response))
    assert response is not None and response.status == "in_progress" and response.reminded_at is not None


async def test_delete_asks_first_then_removes_everything_linked_to_the_person(bot: Harness) -> None:
    first, second = await bot.invite(count=2)
    phone, bystander = bot.phone("da"), bot.phone("da")
    await complete_a_survey(bot, phone, first)
    await bystander.dialog(
        [(f"/start {second}", "/privacy"), (press("Start ▶"), "1/8"), (press("2 – Utilfreds"), "2/8")]
    )
    await phone.dialog([("/delete", "Vil du slette alle dine svar")])
    phone.press("Nej, behold dem")
    await phone.expect_edit("ikke slettet")
    await phone.dialog([("/delete", "Vil du slette")])
    phone.press("Ja, slet mine svar")
    await phone.expect_edit("Dine svar fra 1 undersøgelse er slettet")
    await phone.dialog([("/delete", "ingen svar, der kan kobles til dig")])
    async with bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Response)) == 1  # the bystander's
        assert list(await session.scalars(select(Answer.question_id))) == ["overall"]
        assert await session.scalar(select(func.count()).select_from(Respondent)) == 1


async def test_delete_after_the_withdrawal_window_keeps_the_answers_but_unlinks_them(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await complete_a_survey(bot, phone, token)
    async with bot.database.sessions() as session, session.begin():
        await session.execute(update(Response).values(completed_at=utcnow() - timedelta(days=31)))
    await phone.dialog([("/delete", "Vil du slette")])
    phone.press("Ja, slet mine svar")
    await phone.expect_edit("Dine svar fra 0 undersøgelser er slettet")
    async with bot.database.sessions() as session:
        response = await session.scalar(select(Response))
        assert response is not None and response.respondent_id is None and response.status == "completed"
        assert await session.scalar(select(func.count()).select_from(Answer)) == 8


async def test_staff_create_invitations_that_work(bot: Harness) -> None:
    staff = bot.phone("da")
    staff.user_id = staff.chat_id = 777  # listed in TILFREDS_STAFF_TELEGRAM_IDS by the harness
    staff.events = bot.server.register_chat(777)
    await staff.dialog(
        [
            ("/invite", "Brug: /invite"),
            ("/invite nosuchsurvey", "Kan ikke lave invitationer"),
            ("/invite citizen benefit=nonsense", "allowed values"),
            ("/invite employer industry=transport size=10-49 2", "2 invitationer til employer"),
        ]
    )
    links = re.findall(r"https://t\.me/tilfreds_test_bot\?start=([A-Za-z0-9_-]+)", staff.seen[-1].text or "")
    assert len(links) == 2
    citizen = bot.phone("da")
    await citizen.dialog([(f"/start {links[0]}", "/privacy")])
    async with bot.database.sessions() as session:
        segments = await session.scalar(select(Response.segments))
        assert segments == {"industry": "transport", "size": "10-49"}
        assert await session.scalar(select(func.sum(Invitation.uses))) == 1
        [entry] = list(await session.scalars(select(AuditEntry)))
    assert entry.action == "invite" and entry.detail["via"] == "telegram" and entry.detail["max_uses"] == 1


async def test_one_reminder_after_a_day_never_a_second_and_abandoned_after_two_weeks(bot: Harness) -> None:
    tokens = await bot.invite(count=2)
    phone, finished = bot.phone("da"), bot.phone("da")
    await phone.dialog([(f"/start {tokens[0]}", "/privacy"), (press("Start ▶"), "1/8"), (press("4 – Tilfreds"), "2/8")])
    await complete_a_survey(bot, finished, tokens[1])
    channel = bot.channel
    assert channel is not None
    assert (await channel.run_reminders()).reminded == 0  # touched just now
    async with bot.database.sessions() as session, session.begin():
        await session.execute(update(Response).values(updated_at=utcnow() - timedelta(hours=25)))
    outcome = await channel.run_reminders()
    assert outcome.reminded == 1
    await phone.expect_message("ikke helt færdig")
    assert (await channel.run_reminders()).reminded == 0  # never a second
    phone.press("Fortsæt ▶")
    await phone.expect_message("2/8")
    async with bot.database.sessions() as session, session.begin():
        await session.execute(update(Response).values(updated_at=utcnow() - timedelta(days=15)))
    assert (await channel.run_reminders()).abandoned == 1
    async with bot.database.sessions() as session:
        statuses = sorted(await session.scalars(select(Response.status)))
        chat_refs = list(await session.scalars(select(Response.chat_ref)))
    assert statuses == ["abandoned", "completed"] and chat_refs == [None, None]
    await phone.dialog([("/start", "ikke et spørgeskema i gang")])


async def test_reminders_run_in_the_shared_scheduler(harness: Harness) -> None:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    scheduler = AsyncIOScheduler(timezone="Europe/Copenhagen")
    await harness.start(scheduler=scheduler)
    job = scheduler.get_job("telegram-reminders")
    assert job is not None and job.trigger.interval == timedelta(minutes=10)
    await harness.stop()
    assert scheduler.get_job("telegram-reminders") is None


async def test_scheduled_reports_reach_staff_with_their_files(bot: Harness, tmp_path) -> None:
    staff_chat = bot.server.register_chat(777)
    report = tmp_path / "tilfredshed-2026.html"
    report.write_text("<html>rapport</html>", encoding="utf-8")
    assert bot.channel is not None
    await bot.channel.notify_staff("Borgere 2026: 83 % tilfredse (n = 120)", [report])
    message = await asyncio.wait_for(staff_chat.get(), 5)
    assert "83 % tilfredse" in (message.text or "")
    document = await asyncio.wait_for(staff_chat.get(), 5)
    assert document.kind == "document" and document.text == "tilfredshed-2026.html"
    assert {int(c.params["chat_id"]) for c in bot.server.calls_of("sendMessage")} == {777}
