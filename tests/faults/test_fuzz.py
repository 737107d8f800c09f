"""Fuzzing (hypothesis) through the real channel in webhook mode: button data, message text (unicode,
right-to-left, zero-width, 10,000 characters), /start payloads and raw webhook bodies.

Never a 500 for a well-formed update (never one at all), never a raw CPR number, e-mail address or
phone number stored or logged, never an answer outside the question's options. Examples are
derandomized (the same every run) and few, so the tests stay fast and stable.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.webhook import SECRET_HEADER, WEBHOOK_PATH
from db.keys import pseudonym
from db.models import Answer, InboxUpdate, Response
from db.repo import responses, survey_versions
from surveys import InvalidAnswer, get_survey, validate_choice
from tests.bot.conftest import SECRET, Harness
from tests.botapi import Phone
from tests.faults.support import ANSWER_DATA
from tilfreds.app import QUIET_LOGGERS

EXAMPLES = 30


def draw(strategy: Any, count: int = EXAMPLES) -> list[Any]:
    """``count`` examples of ``strategy``, the same every run.

    Hypothesis generates them up front and the test plays them all against one running channel:
    its background tasks (the inbox worker, the server's webhook delivery) live in the test's event
    loop, which hypothesis's own per-example runs would not keep going.
    """
    found: list[Any] = []

    @settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example: Any) -> None:
        found.append(example)

    collect()
    return found


SURVEY = get_survey("citizen")

# -- strategies -------------------------------------------------------------------------------------

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
RTL = "مرحبا بكم שלום سلام"
words = st.text(st.one_of(st.characters(blacklist_categories=["Cs"]), st.sampled_from(INVISIBLE + RTL)), max_size=40)


@st.composite
def cpr_numbers(draw: Any) -> str:
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(1, 12)), draw(st.integers(0, 99))
    return f"{day:02d}{month:02d}{year:02d}{draw(st.sampled_from(['', '-']))}{draw(st.integers(0, 9999)):04d}"


@st.composite
def phone_numbers(draw: Any) -> str:
    digits = f"{draw(st.integers(2, 9))}{draw(st.integers(0, 9_999_999)):07d}"
    spaced = " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    return draw(st.sampled_from([digits, spaced, f"+45 {digits}", f"+45{digits}", f"{digits[:4]} {digits[4:]}"]))


emails = st.from_regex(r"[a-z][a-z0-9]{0,7}(\.[a-z]{1,5})?@[a-z]{2,8}\.(dk|com|org)", fullmatch=True)


@st.composite
def hidden(draw: Any, strategy: Any) -> str:
    """A personal datum, sometimes with invisible characters between its characters."""
    value = draw(strategy)
    if draw(st.booleans()):
        value = draw(st.sampled_from(INVISIBLE[:2] + INVISIBLE[3:])).join(value)
    return value


@st.composite
def texts_with_personal_data(draw: Any) -> tuple[str, str]:
    """(message, the personal datum planted in it)."""
    planted = draw(st.one_of(hidden(cpr_numbers()), hidden(phone_numbers()), hidden(emails)))
    left, right = draw(words), draw(words)
    message = f"{left} {planted} {right}"
    if draw(st.integers(0, 9)) == 0:
        message += " " + "x" * 10_000  # a huge message: refused as too long, nothing stored
    return message, planted


def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Log as `tilfreds run` does with TILFREDS_LOG_LEVEL=DEBUG: everything, the quiet libraries aside."""
    caplog.set_level(logging.DEBUG)
    for name in QUIET_LOGGERS:
        caplog.set_level(logging.WARNING, logger=name)


def bare(text: str) -> str:
    return "".join(ch for ch in text if ch not in INVISIBLE)


# -- the bot under fuzz -----------------------------------------------------------------------------


async def started(harness: Harness) -> Harness:
    """Start the channel once for all examples of a test (hypothesis reuses the fixture)."""
    if harness.channel is None:
        await harness.start(webhook=True)
    return harness


async def at_question(harness: Harness, phone: Phone, question_id: str) -> int:
    """A new open response for ``phone``'s person, standing at ``question_id``; returns its id."""
    async with harness.database.sessions() as session, session.begin():
        respondent = await responses.get_or_create_respondent(session, pseudonym(SECRET.encode(), phone.user_id), "da")
        for old in await session.scalars(
            select(Response).where(Response.respondent_id == respondent.id, Response.status == responses.OPEN)
        ):
            old.status = "abandoned"
        version = await survey_versions.ensure_version(session, SURVEY)
        response = await responses.create_response(
            session,
            survey_key="citizen",
            survey_version_id=version.id,
            invitation_id=None,
            respondent_id=respondent.id,
            language="da",
            segments={},
            chat_ref=phone.chat_id,
        )
        responses.move_to(response, question_id)
        return response.id


async def invalid_answers(harness: Harness) -> list[tuple[str, str | None]]:
    """Stored answers a question does not allow."""
    bad = []
    async with harness.database.sessions() as session:
        for question_id, option in (await session.execute(select(Answer.question_id, Answer.option))).all():
            question = SURVEY.question(question_id)
            if question is None:
                bad.append((question_id, option))
            elif question.kind != "text":
                try:
                    validate_choice(question, option or "")
                except InvalidAnswer:
                    bad.append((question_id, option))
    return bad


def refused(harness: Harness) -> list[tuple[int, int]]:
    return [(uid, status) for uid, status in harness.server.webhook_attempts if status != 200]


option_ids = st.sampled_from(["1", "2", "3", "4", "5", "dk", "na", "skip", "0", "6", "10", "x", "DK", "11"])
question_ids = st.sampled_from([q.id for q in SURVEY.questions] + ["nope", "OVERALL", "better"])


BUTTON_DATA = st.one_of(
    st.text(max_size=70),
    st.binary(max_size=64).map(lambda b: b.decode("latin-1")),
    st.from_regex(r"[abcdlsx][0-9]:[0-9a-z:_]{0,40}", fullmatch=True),
    st.tuples(question_ids, option_ids).map(lambda qo: f"a1:{{rid}}:{qo[0]}:{qo[1]}"),
    st.tuples(st.integers(0, 10**12), question_ids, option_ids).map(lambda t: f"a1:{t[0]}:{t[1]}:{t[2]}"),
    st.sampled_from(["b1:{rid}:heard", "s1:{rid}", "c1:{rid}", "l1:{rid}:en", "l1:0:xx", "d1:n", "d1:y", "d1:q"]),
)


async def test_fuzzed_button_data_is_refused_or_counted_but_never_breaks_the_rules(harness: Harness) -> None:
    await started(harness)
    for data in draw(BUTTON_DATA):
        phone = harness.phone("da")
        response_id = await at_question(harness, phone, "heard")
        phone.press_data(data.replace("{rid}", str(response_id))[:200])
        await harness.settled()
        assert refused(harness) == [], data
        assert await invalid_answers(harness) == [], data


async def test_a_valid_press_still_counts_among_the_fuzz(harness: Harness) -> None:
    """The fuzz test above must be able to store answers: a real press on the same path does."""
    await started(harness)
    phone = harness.phone("da")
    response_id = await at_question(harness, phone, "heard")
    phone.press_data(f"a1:{response_id}:heard:4")
    await harness.settled()
    async with harness.database.sessions() as session:
        assert (
            await session.execute(select(Answer.question_id, Answer.option).where(Answer.response_id == response_id))
        ).all() == [("heard", "4")]
    assert ANSWER_DATA.fullmatch(f"a1:{response_id}:heard:4")


async def test_free_text_never_stores_or_logs_a_cpr_number_email_or_phone_number(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    debug_logs(caplog)
    await started(harness)
    for message, planted in draw(texts_with_personal_data()):
        phone = harness.phone("da")
        response_id = await at_question(harness, phone, "better")
        phone.send(message[:4096])  # Telegram's own limit
        await harness.settled()
        assert refused(harness) == []
        async with harness.database.sessions() as session:
            stored = await session.scalar(select(Answer.text).where(Answer.response_id == response_id))
            payloads = [
                (r.update_id, r.processed_at, r.attempts, r.error, r.payload.get("kind"))
                for r in await session.scalars(select(InboxUpdate))
                if r.payload is not None
            ]
        assert payloads == []  # the raw update is gone once handled
        if len(message) > 1000:
            assert stored is None  # refused as too long: the person is asked to shorten it
        else:
            assert stored is not None, message
            assert bare(planted) not in bare(stored), (message, stored)
            assert re.search(r"\[(CPR|EMAIL|TELEFON)\]", stored), (message, stored)
        assert bare(planted) not in bare(caplog.text), message


START_PAYLOADS = st.one_of(
    st.text(max_size=80), st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True), cpr_numbers(), phone_numbers()
)


async def test_fuzzed_start_payloads_open_nothing(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    debug_logs(caplog)
    await started(harness)
    for payload in draw(START_PAYLOADS):
        phone = harness.phone("da")
        phone.send(f"/start {payload}")
        await phone.expect_message()  # a kind refusal (or a hint), never silence
        await harness.settled()
        assert refused(harness) == [], payload
        async with harness.database.sessions() as session:
            opened = list(await session.scalars(select(Response.id).where(Response.chat_ref == phone.chat_id)))
        assert opened == [], payload
        if len(payload.strip()) >= 8:
            assert payload.strip() not in caplog.text, payload


def update_bodies() -> Any:
    """Webhook bodies: well-formed updates with odd content, and JSON that is no update at all."""
    user = st.fixed_dictionaries(
        {"id": st.integers(1, 2**40), "is_bot": st.booleans(), "first_name": st.text(max_size=20)},
        optional={"language_code": st.text(max_size=5), "username": st.text(max_size=10)},
    )
    chat = st.fixed_dictionaries(
        {
            "id": st.integers(-(2**40), 2**40),
            "type": st.sampled_from(["private", "group", "supergroup", "channel", "odd"]),
        }
    )
    message = st.fixed_dictionaries(
        {"message_id": st.integers(1, 2**31), "date": st.integers(0, 2**31), "chat": chat},
        optional={
            "from": user,
            "text": st.text(max_size=300),
            "sticker": st.just(
                {
                    "file_id": "s",
                    "file_unique_id": "u",
                    "type": "regular",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                }
            ),
        },
    )
    query = st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=10), "from": user, "chat_instance": st.text(max_size=5)},
        optional={"data": st.text(max_size=80), "message": message},
    )
    well_formed = st.builds(
        lambda kind, body: {kind: body}, st.sampled_from(["message", "edited_message", "channel_post"]), message
    ) | st.builds(lambda q: {"callback_query": q}, query)
    junk = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=8,
    )
    return st.one_of(
        well_formed.map(lambda u: ("update", u)),
        junk.map(lambda j: ("junk", j)),
        st.binary(max_size=50).map(lambda b: ("bytes", b)),
    )


async def test_fuzzed_webhook_bodies_never_get_a_500(harness: Harness) -> None:
    await started(harness)
    url = f"http://127.0.0.1:{harness.port}{WEBHOOK_PATH}"
    headers = {SECRET_HEADER: "hook-secret", "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as client:
        for n, (kind, content) in enumerate(draw(update_bodies(), 60)):
            if kind == "update":
                content = {**content, "update_id": 10_000 + n}
            raw = content if kind == "bytes" else json.dumps(content).encode()
            async with client.post(url, data=raw, headers=headers) as reply:
                assert reply.status < 500, content
                if kind == "update":
                    assert reply.status == 200, content
    await harness.settled()
    assert await invalid_answers(harness) == []
    async with harness.database.sessions() as session:
        failed = list(await session.scalars(select(InboxUpdate.error).where(InboxUpdate.error.is_not(None))))
    assert failed == []  # every stored update was handled without an error
