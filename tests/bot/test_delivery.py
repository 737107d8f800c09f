"""Nothing lost, nothing doubled: the inbox, webhook mode, restarts, many people at once, rate limits."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.channel import ChannelOptions
from bot.sending import SendLimits
from db.models import Answer, InboxUpdate, Response
from tests.bot.conftest import FAST, Harness
from tests.botapi import press


async def answers_of(harness: Harness) -> list[tuple[int, str, str | None]]:
    async with harness.database.sessions() as session:
        rows = await session.execute(
            select(Answer.response_id, Answer.question_id, Answer.option).order_by(
                Answer.response_id, Answer.question_id
            )
        )
        return [tuple(r) for r in rows]


async def test_the_same_update_delivered_twice_counts_once(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    question = max(phone.messages)
    button = next(b for b in phone.messages[question].buttons if b["text"] == "4 – Tilfreds")
    update_id = phone.press_data(button["callback_data"], question)
    await phone.expect_message("2/8")
    await bot.settled()
    # Telegram delivers the very same update again (e.g. after a lost acknowledgement).
    phone.press_data(button["callback_data"], question, update_id=update_id)
    phone.send("/help")
    await phone.expect_message("Kommandoer")  # and nothing before it: the duplicate did nothing
    assert [e.kind for e in phone.seen[-1:]] == ["message"]
    assert await answers_of(bot) == [(1, "overall", "4")]
    async with bot.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 4


async def test_webhook_mode_answers_and_refuses_a_wrong_or_missing_secret(harness: Harness) -> None:
    await harness.start(webhook=True, secret="s3cret-hook")
    assert harness.server.webhook_url == f"http://127.0.0.1:{harness.port}/telegram/webhook"
    assert harness.server.webhook_secret == "s3cret-hook"
    [token] = await harness.invite()
    phone = harness.phone("da")
    await phone.dialog(
        [(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8"), (press("5 – Meget tilfreds"), "2/8")]
    )
    url = f"http://127.0.0.1:{harness.port}/telegram/webhook"
    update = {
        "update_id": 999_001,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 1, "type": "private"},
            "from": {"id": 1, "is_bot": False, "first_name": "X"},
            "text": "hi",
        },
    }
    async with aiohttp.ClientSession() as client:
        for headers in (
            {},
            {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
            {"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook-but-longer"},
        ):
            async with client.post(url, json=update, headers=headers) as reply:
                assert reply.status == 403
    async with harness.database.sessions() as session:
        assert await session.get(InboxUpdate, 999_001) is None
    assert await answers_of(harness) == [(1, "overall", "5")]


async def test_webhook_answers_503_while_the_database_is_down_and_telegram_retries(harness: Harness) -> None:
    await harness.start(webhook=True)
    [token] = await harness.invite()
    phone = harness.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy")])
    real_sessions = harness.database.sessions

    def broken() -> None:
        raise ConnectionRefusedError("database down")

    harness.database.sessions = broken  # type: ignore[assignment]
    try:
        phone.press("Start ▶")
        refused = await harness.server.webhook_attempt(503)
    finally:
        harness.database.sessions = real_sessions  # type: ignore[method-assign]
    await phone.expect_message("1/8")  # delivered again by the server, stored, answered
    assert (refused, 200) in harness.server.webhook_attempts


async def test_restart_mid_survey_resumes_where_it_was(harness: Harness) -> None:
    await harness.start()
    [token] = await harness.invite()
    phone = harness.phone("da")
    await phone.dialog(
        [
            (f"/start {token}", "/privacy"),
            (press("Start ▶"), "1/8"),
            (press("4 – Tilfreds"), "2/8"),
            (press("5 – Helt enig"), "3/8"),
        ]
    )
    await harness.stop()
    # While the bot is down the person answers; the update waits at Telegram.
    phone.press("4 – Enig")
    await harness.start()
    await phone.expect_message("4/8")
    await phone.dialog([("/start", "4/8"), (press("Spring over"), "5/8")])
    async with harness.database.sessions() as session:
        responses = list(await session.scalars(select(Response)))
    assert len(responses) == 1 and responses[0].current_question == "own_plan"


async def test_updates_stored_before_a_crash_are_processed_first_at_start(harness: Harness) -> None:
    await harness.start()
    [token] = await harness.invite()
    phone = harness.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    await harness.stop()
    # Stored but not processed (the process died after the commit): the row is in the inbox.
    from telegram import Update

    from bot import intake
    from tests.bot.conftest import SECRET

    question = max(phone.messages)
    data = next(b["callback_data"] for b in phone.messages[question].buttons if b["text"] == "2 – Utilfreds")
    phone.press_data(data, question)
    raw = harness.server._pending.pop()
    await intake.store(harness.database, SECRET.encode(), [Update.de_json(raw, None)])
    phone.send("/help")  # newer, still at Telegram
    await harness.start()
    await phone.expect_message("2/8")
    await phone.expect_message("Kommandoer")
    assert await answers_of(harness) == [(1, "overall", "2")]


# With the periodic scan an hour away, only the wake-up after storing an update gets it handled.
NO_SCAN = replace(FAST, inbox_scan_interval=3600)


async def test_updates_arriving_together_for_one_chat_are_all_handled_in_order(harness: Harness) -> None:
    await harness.start(options=NO_SCAN)
    [token] = await harness.invite()
    phone = harness.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    phone.press("4 – Tilfreds")
    phone.send("/help")  # both reach the bot in one getUpdates
    await phone.expect_message("2/8", timeout=5)
    await phone.expect_message("Kommandoer", timeout=5)


async def test_an_update_arriving_while_its_chat_is_busy_is_handled_straight_after(harness: Harness) -> None:
    await harness.start(options=NO_SCAN)
    [token] = await harness.invite()
    phone = harness.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    harness.server.delay_next("answerCallbackQuery", 1.0)  # the first answer's replies take a while
    toast = asyncio.ensure_future(harness.server.next_call("answerCallbackQuery"))
    phone.press("4 – Tilfreds")
    await toast
    phone.send("/help")  # stored while the chat's first update is still being answered
    await phone.expect_message("2/8", timeout=5)
    await phone.expect_message("Kommandoer", timeout=5)


@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_twenty_people_answer_at_once(harness: Harness, webhook: bool) -> None:
    await harness.start(webhook=webhook)
    tokens = await harness.invite(count=20)
    phones = [harness.phone("da" if i % 2 else "en") for i in range(20)]
    labels = {
        "da": [
            "1 – Meget utilfreds",
            "2 – Utilfreds",
            "3 – Hverken tilfreds eller utilfreds",
            "4 – Tilfreds",
            "5 – Meget tilfreds",
        ],
        "en": [
            "1 – Very dissatisfied",
            "2 – Dissatisfied",
            "3 – Neither satisfied nor dissatisfied",
            "4 – Satisfied",
            "5 – Very satisfied",
        ],
    }

    async def answer(i: int) -> None:
        phone, lang = phones[i], phones[i].language_code or "da"
        await phone.dialog(
            [
                (f"/start {tokens[i]}", "/privacy"),
                (press("Start ▶"), "1/8"),
                (press(labels[lang][i % 5]), "2/8"),
                (press("Spring over" if lang == "da" else "Skip"), "3/8"),
                ("/cancel", "pause" if lang == "da" else "paused"),
            ],
            timeout=30,
        )

    await asyncio.gather(*(answer(i) for i in range(20)))
    async with harness.database.sessions() as session:
        rows = (
            await session.execute(
                select(Response.invitation_id, Response.current_question, Answer.question_id, Answer.value)
                .join(Answer, Answer.response_id == Response.id)
                .order_by(Response.invitation_id, Answer.question_id)
            )
        ).all()
    # Every person's own choice, in their own response: nothing crossed between chats.
    expected = []
    for i in range(20):
        expected += [(i + 1, "respect", "heard", None), (i + 1, "respect", "overall", i % 5 + 1)]
    assert [tuple(r) for r in rows] == expected


async def test_a_429_is_honoured_by_waiting_retry_after(harness: Harness) -> None:
    await harness.start()
    [token] = await harness.invite()
    phone = harness.phone("da")
    harness.server.fail_next("sendMessage", status=429, retry_after=1)
    await phone.dialog([(f"/start {token}", "/privacy")])
    sends = harness.server.calls_of("sendMessage")
    assert [c.status for c in sends] == [429, 200]
    assert sends[1].at - sends[0].at >= 1.0  # measured by the server, not by the test's clock


async def test_a_server_error_is_retried(harness: Harness) -> None:
    await harness.start()
    [token] = await harness.invite()
    phone = harness.phone("da")
    harness.server.fail_next("sendMessage", status=502)
    await phone.dialog([(f"/start {token}", "/privacy")])
    assert [c.status for c in harness.server.calls_of("sendMessage")] == [502, 200]


async def test_each_chat_is_limited_to_its_own_rate(harness: Harness) -> None:
    limits = SendLimits(overall_per_second=1000, per_chat_per_second=10, per_chat_burst=1)
    await harness.start(options=ChannelOptions(limits=limits, polling_timeout=1, inbox_scan_interval=0.2))
    phone = harness.phone("da")
    for _ in range(5):
        phone.send("/help")
    for _ in range(5):
        await phone.expect_message("Kommandoer")
    times = [c.at for c in harness.server.calls_of("sendMessage")]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == 5 and min(gaps) >= 0.08, gaps


async def test_logs_never_contain_answer_text_or_telegram_ids(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the level `tilfreds run` uses; our own modules at DEBUG
    for ours in ("bot", "db", "tilfreds"):
        caplog.set_level(logging.DEBUG, logger=ours)
    await harness.start(options=FAST)
    [token] = await harness.invite()
    phone = harness.phone("da")
    harness.server.fail_next("sendMessage", status=429, retry_after=0)
    await phone.dialog(
        [(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8"), (press("4 – Tilfreds"), "2/8")]
        + [(press("Spring over"), f"{i}/8") for i in range(3, 9)]
    )
    await phone.dialog([("Min hemmelige kommentar om sagsbehandleren", "Tak")])
    text = caplog.text
    assert "hemmelige kommentar" not in text
    assert str(phone.user_id) not in text
    assert token not in text


async def test_a_failing_update_is_retried_given_up_with_an_apology_and_logged_without_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy.exc import IntegrityError

    caplog.set_level(logging.INFO)
    await harness.start()
    [token] = await harness.invite()
    phone = harness.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy")])
    assert harness.channel is not None
    conversation = harness.channel.conversation

    async def broken(turn):  # noqa: ANN001, ANN202 - fails as a database error carrying the answer would
        raise IntegrityError("INSERT INTO answers (text) VALUES (?)", (turn.incoming.text,), Exception("boom"))

    conversation._text = broken  # type: ignore[method-assign]
    update_id = phone.send("min hemmelige tekst")
    await phone.expect_message("Noget gik galt")
    async with harness.database.sessions() as session:
        row = await session.get(InboxUpdate, update_id)
    assert row is not None and row.attempts == 5 and row.processed_at is not None and row.payload is None
    assert row.error == "IntegrityError"
    assert "IntegrityError" in caplog.text and "Traceback" in caplog.text
    assert "hemmelige" not in caplog.text


async def test_polling_keeps_the_offset_while_the_database_is_down(harness: Harness) -> None:
    await harness.start()
    phone = harness.phone("da")
    real_sessions = harness.database.sessions

    def broken() -> None:
        raise ConnectionRefusedError("database down")

    harness.database.sessions = broken  # type: ignore[assignment]
    try:
        before = len(harness.server.calls)
        update_id = phone.send("/help")
        # Telegram is asked again for the same update: the offset did not move past it.
        async with asyncio.timeout(10):
            while (
                len(
                    [
                        c
                        for c in harness.server.calls[before:]
                        if c.method == "getUpdates" and int(c.params.get("offset") or 0) <= update_id
                    ]
                )
                < 2
            ):
                await harness.server.next_call("getUpdates")
    finally:
        harness.database.sessions = real_sessions  # type: ignore[method-assign]
    await phone.expect_message("Kommandoer")


async def test_webhook_acknowledges_garbage_with_the_right_secret_and_stores_nothing(harness: Harness) -> None:
    await harness.start(webhook=True, secret="s3cret-hook")
    url = f"http://127.0.0.1:{harness.port}/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-hook"}
    async with aiohttp.ClientSession() as client:
        for body in (b"not json", b"[1, 2]", b'{"no_update_id": true}', b"\xff\xfe"):
            async with client.post(url, data=body, headers=headers) as reply:
                assert reply.status == 200, body
    async with harness.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 0


async def test_a_rejected_token_turns_the_channel_off_without_crashing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    channel = await harness.start(telegram_token="999:revoked-token")
    assert channel.running is False
    assert "rejected TILFREDS_TELEGRAM_TOKEN" in caplog.text


async def test_an_unreachable_bot_api_is_retried_in_the_background(harness: Harness) -> None:
    harness.server.fail_next("getMe", times=5, status=502)
    channel = await harness.start()
    assert channel.running is False  # the process goes on; the channel connects when it can
    phone = harness.phone("da")
    phone.send("/help")
    await phone.expect_message("Kommandoer")
    assert channel.running is True
    assert [c.status for c in harness.server.calls_of("getMe")][:6] == [502] * 5 + [200]
