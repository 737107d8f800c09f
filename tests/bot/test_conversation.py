"""Whole conversations, as tables of (what the phone does, what the bot answers), over real HTTP."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Answer, Invitation, Respondent, Response
from tests.bot.conftest import Harness
from tests.botapi import press


async def stored(harness: Harness) -> tuple[list[Response], dict[str, Answer]]:
    async with harness.database.sessions() as session:
        responses = list(await session.scalars(select(Response).order_by(Response.id)))
        answers = {a.question_id: a for a in await session.scalars(select(Answer))}
    return responses, answers


async def test_a_citizen_answers_everything_in_danish(bot: Harness) -> None:
    [token] = await bot.invite("citizen", segments={"benefit": "kontanthjaelp"})
    phone = bot.phone("da")
    await phone.dialog(
        [
            (f"/start {token}", "8 spørgsmål"),
            (press("Start ▶"), "1/8  Alt i alt, hvor tilfreds"),
            (press("4 – Tilfreds"), "2/8"),
            (press("5 – Helt enig"), "3/8"),
            (press("Ved ikke"), "4/8"),
            (press("Spring over"), "5/8"),
            (press("2 – Uenig"), "6/8"),
            (press("3 – Hverken enig eller uenig"), "7/8"),
            (press("1 – Helt uenig"), "8/8"),
            ("Bedre ventetid i telefonen", "Tak for dine svar"),
        ]
    )
    responses, answers = await stored(bot)
    assert [(r.status, r.survey_key, r.language, r.segments) for r in responses] == [
        ("completed", "citizen", "da", {"benefit": "kontanthjaelp"})
    ]
    assert responses[0].chat_ref is None and responses[0].completed_at is not None
    assert answers["overall"].value == 4
    assert answers["respect"].option == "dk" and answers["respect"].value is None
    assert answers["understood"].option == "skip"
    assert answers["better"].text == "Bedre ventetid i telefonen"
    assert len(answers) == 8


async def test_the_question_message_is_edited_to_show_the_choice(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    phone.press("5 – Meget tilfreds")
    toast = await phone.expect_toast()
    edit = await phone.expect_edit("✓ 5 – Meget tilfreds")
    assert edit.buttons == [] and toast.text == ""
    await phone.expect_message("2/8")


async def test_an_employer_answers_in_english_with_nps(bot: Harness) -> None:
    [token] = await bot.invite("employer", segments={"industry": "transport", "size": "10-49"})
    phone = bot.phone("en-GB")
    await phone.dialog(
        [
            (f"/start {token}", "8 questions"),
            (press("Start ▶"), "1/8"),
            (press("5 – Very satisfied"), "2/8"),
            (press("4 – Agree"), "3/8"),
            (press("4 – Agree"), "4/8"),
            (press("Not relevant – we have not had any candidates"), "5/8"),
            (press("3 – Neither agree nor disagree"), "6/8"),
            (press("Skip"), "7/8"),
            (press("9"), "8/8"),
            (press("Skip"), "Thank you"),
        ]
    )
    responses, answers = await stored(bot)
    assert responses[0].status == "completed" and responses[0].language == "en"
    assert answers["recommend"].value == 9 and answers["candidates"].option == "na"
    assert answers["better"].option == "skip"


async def test_back_revises_an_answer_and_skip_moves_on(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog(
        [
            (f"/start {token}", "/privacy"),
            (press("Start ▶"), "1/8"),
            (press("2 – Utilfreds"), "2/8"),
            (press("◀ Tilbage"), "1/8"),
            (press("4 – Tilfreds"), "2/8"),
            (press("Spring over"), "3/8"),
        ]
    )
    _, answers = await stored(bot)
    assert answers["overall"].value == 4
    assert answers["heard"].option == "skip"


async def test_language_switch_on_the_welcome(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog([(f"/start {token}", "Hvordan har du oplevet jobcentret")])
    phone.press("English")
    await phone.expect_edit("How has the job centre been for you")
    phone.press("Start ▶")
    await phone.expect_message("1/8  All in all")
    async with bot.database.sessions() as session:
        assert (await session.scalar(select(Respondent.language))) == "en"


async def test_start_again_resumes_and_never_opens_a_second_response(bot: Harness) -> None:
    [token] = await bot.invite(max_uses=None)
    phone = bot.phone("da")
    await phone.dialog(
        [
            (f"/start {token}", "/privacy"),
            (press("Start ▶"), "1/8"),
            (press("4 – Tilfreds"), "2/8"),
            ("/start", "2/8"),
            (f"/start {token}", "2/8"),
        ]
    )
    responses, _ = await stored(bot)
    assert len(responses) == 1
    async with bot.database.sessions() as session:
        assert (await session.scalar(select(Invitation.uses))) == 1


async def test_language_switch_mid_survey_asks_the_same_question_again(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog(
        [
            (f"/start {token}", "/privacy"),
            (press("Start ▶"), "1/8"),
            (press("4 – Tilfreds"), "2/8"),
            ("/language", "Vælg sprog"),
        ]
    )
    phone.press("English")
    await phone.expect_edit("The language is now English")
    await phone.expect_message("2/8  I felt")
    await phone.dialog([(press("5 – Strongly agree"), "3/8")])
    async with bot.database.sessions() as session:
        response = await session.scalar(select(Response))
    assert response is not None and response.language == "en" and response.current_question == "respect"
