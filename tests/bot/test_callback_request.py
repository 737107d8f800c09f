""" "Ring mig op" at the end of the survey, over real HTTP: consent, a typed number or e-mail, validated, and stored
apart from every answer — no link to the response, the respondent or the invitation, and never in a log."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from db.models import CallbackPrompt, CallbackRequest, CallbackTally, InboxUpdate
from tests.bot.conftest import Harness
from tests.botapi import press

FINISH = [
    (press("Start ▶"), "1/8"),
    (press("4 – Tilfreds"), "2/8"),
    (press("Spring over"), "3/8"),
    (press("Spring over"), "4/8"),
    (press("Spring over"), "5/8"),
    (press("Spring over"), "6/8"),
    (press("Spring over"), "7/8"),
    (press("Spring over"), "8/8"),
    ("Fint nok", "Tak for dine svar"),
]


async def stored(bot: Harness) -> list[CallbackRequest]:
    async with bot.database.sessions() as session:
        return list(await session.scalars(select(CallbackRequest)))


async def test_a_citizen_asks_to_be_called_and_the_request_is_kept_apart(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the level `tilfreds run` uses; our own modules at DEBUG
    for ours in ("bot", "db", "tilfreds", "analytics", "surveys"):
        caplog.set_level(logging.DEBUG, logger=ours)
    [token] = await bot.invite("citizen", segments={"benefit": "kontanthjaelp", "unit": "ungeenheden"})
    phone = bot.phone("da")
    await phone.dialog(
        [
            (f"/start {token}", "8 spørgsmål"),
            *FINISH,
            (press("📞 Ring mig op"), "Samtykke: Jeg giver jobcentret lov til at gemme"),
            (press("Ja, kontakt mig"), "Skriv dit telefonnummer eller din e-mail"),
            ("ring til mig", "Jeg kan ikke læse det som et telefonnummer"),
            ("  ", "Skriv dit telefonnummer eller din e-mail"),
            ("12 34 56 7", "Jeg kan ikke læse det"),
            ("+45 12 34 56 78", "Tak. Jobcentret kontakter dig"),
            ("hej igen", "Du har ikke et spørgeskema i gang"),  # the step is over: text is no contact any more
        ]
    )
    await bot.settled()
    [request] = await stored(bot)
    assert (request.survey_key, request.team, request.contact_kind, request.contact) == (
        "citizen",
        "ungeenheden",
        "phone",
        "+45 12 34 56 78",
    )
    assert request.handled_at is None
    # The table has nothing that could lead back to the answers.
    columns = {c.key for c in sa_inspect(CallbackRequest).columns}
    assert columns == {
        "id",
        "survey_key",
        "requested_on",
        "team",
        "contact_kind",
        "contact",
        "handled_at",
        "handled_by",
    }
    async with bot.database.sessions() as session:
        assert list(await session.scalars(select(CallbackPrompt))) == []  # the short-lived prompt is gone
        [tally] = list(await session.scalars(select(CallbackTally)))
        assert (tally.survey_key, tally.count) == ("citizen", 1)
        payloads = list(await session.scalars(select(InboxUpdate.payload)))
    assert all(p is None for p in payloads)  # processed updates keep no text
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    for fragment in ("12 34 56 78", "12345678", "ring til mig"):
        assert fragment not in logged


async def test_no_thanks_stores_nothing_and_an_e_mail_is_accepted(bot: Harness) -> None:
    first, second = await bot.invite("citizen", count=2)
    phone = bot.phone("da")
    await phone.dialog(
        [
            (f"/start {first}", "8 spørgsmål"),
            *FINISH,
            (press("📞 Ring mig op"), "Samtykke"),
        ]
    )
    phone.press("Nej tak")
    await phone.expect_edit("du bliver ikke kontaktet")
    await bot.settled()
    assert await stored(bot) == []

    other = bot.phone("en")
    await other.dialog(
        [
            (f"/start {second}", "8 questions"),
            (press("Start ▶"), "1/8"),
            (press("5 – Very satisfied"), "2/8"),
            *[(press("Skip"), f"{i}/8") for i in range(3, 9)],
            ("Good", "Thank you"),
            (press("📞 Call me back"), "Consent: I allow the job centre"),
            (press("Yes, contact me"), "Type your phone number or e-mail"),
            ("no", "nobody will contact you"),
        ]
    )
    await bot.settled()
    assert await stored(bot) == []
    await other.dialog(
        [
            (press("📞 Call me back"), "Consent"),  # changed their mind again: the button under the thanks still works
            (press("Yes, contact me"), "Type your phone number"),
            ("anna@example.dk", "The job centre will contact you"),
        ]
    )
    [request] = await stored(bot)
    assert (request.contact_kind, request.contact, request.team) == ("email", "anna@example.dk", None)


async def test_a_forged_or_late_press_asks_nothing(bot: Harness) -> None:
    phone = bot.phone("da")
    phone.press_data("r1:yes")  # no survey answered at all
    await phone.expect_message("kun vælges lige efter, at du har svaret")
    phone.press_data("r1:maybe")
    toast = await phone.expect_toast()
    assert toast.text
    await phone.dialog([("+45 12 34 56 78", "Du har ikke et spørgeskema i gang")])
    await bot.settled()
    assert await stored(bot) == []
