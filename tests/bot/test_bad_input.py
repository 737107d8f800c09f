"""Bad input: unknown and spent links, forged and stale buttons, media, groups, long and personal text."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from db.models import Answer, InboxUpdate, Invitation, Respondent, Response
from tests.bot.conftest import Harness
from tests.botapi import press


async def count(harness: Harness, model: type) -> int:
    async with harness.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_unknown_expired_revoked_and_used_up_links_create_nothing(bot: Harness) -> None:
    [expired] = await bot.invite(expires_in=timedelta(seconds=-1))
    [revoked] = await bot.invite()
    [used] = await bot.invite(max_uses=1)
    async with bot.database.sessions() as session, session.begin():
        await session.execute(update(Invitation).where(Invitation.id == 2).values(revoked_at=func.now()))
    first = bot.phone("da")
    await first.dialog([(f"/start {used}", "/privacy")])
    phone = bot.phone("da")
    await phone.dialog(
        [
            ("/start no-such-token", "Det link kender jeg ikke"),
            ("/start " + "x" * 80, "Det link kender jeg ikke"),
            (f"/start {expired}", "Linket er udløbet"),
            (f"/start {revoked}", "ikke længere i brug"),
            (f"/start {used}", "Linket er allerede brugt"),
        ]
    )
    english = bot.phone("en")
    await english.dialog([(f"/start {expired}", "This link has expired")])
    assert await count(bot, Response) == 1  # the first phone's only
    assert await count(bot, Respondent) == 1


async def test_a_forged_or_stale_press_changes_nothing(bot: Harness) -> None:
    [mine, theirs] = await bot.invite(count=2)
    me, other = bot.phone("da"), bot.phone("da")
    await me.dialog([(f"/start {mine}", "/privacy"), (press("Start ▶"), "1/8"), (press("4 – Tilfreds"), "2/8")])
    await other.dialog([(f"/start {theirs}", "/privacy"), (press("Start ▶"), "1/8")])
    async with bot.database.sessions() as session:
        ids = list(await session.scalars(select(Response.id).order_by(Response.id)))
    my_id, their_id = ids
    cases = [
        (f"a1:{my_id}:overall:1", "ikke aktiv"),  # an old question, already answered
        (f"a1:{my_id}:heard:9", "kan jeg ikke bruge"),  # not an option
        (f"a1:{my_id}:heard:skipx", "kan jeg ikke bruge"),
        (f"a1:{my_id}:overall:skip", "ikke aktiv"),
        (f"a1:{their_id}:overall:5", "ikke aktiv"),  # somebody else's response
        (f"b1:{their_id}:overall", "ikke aktiv"),
        (f"s1:{their_id}", "ikke aktiv"),
        ("a1:999999:heard:1", "ikke aktiv"),
        ("a2:1:heard:1", "kan jeg ikke bruge"),  # an unknown version
        ("a1:1:heard:1:extra", "kan jeg ikke bruge"),
        ("💥" * 16, "kan jeg ikke bruge"),
    ]
    for data, toast in cases:
        me.press_data(data)
        event = await me.expect_toast()
        assert toast in (event.text or ""), (data, event.text)
    async with bot.database.sessions() as session:
        answers = {(a.response_id, a.question_id): (a.option, a.value) for a in await session.scalars(select(Answer))}
        current = dict((await session.execute(select(Response.id, Response.current_question))).all())
    assert answers == {(my_id, "overall"): ("4", 4)}
    assert current == {my_id: "heard", their_id: "overall"}
    # The real button still works after all that.
    await me.dialog([(press("5 – Helt enig"), "3/8")])


async def test_text_where_a_button_is_expected_gets_a_hint(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog(
        [
            ("hej", "Du har ikke et spørgeskema i gang"),
            (f"/start {token}", "/privacy"),
            ("hej", "Tryk på en af knapperne"),
            (press("Start ▶"), "1/8"),
            ("5", "Tryk på en af knapperne"),
            ("/whatever", "Den kommando kender jeg ikke"),
            ("/invite citizen", "Den kommando kender jeg ikke"),  # staff only
        ]
    )
    assert await count(bot, Answer) == 0


async def test_stickers_photos_voice_and_edits_are_not_stored(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da", first_name="Jens", username="jens_hansen")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    phone.send_sticker()
    await phone.expect_message("Jeg kan kun læse tekst")
    phone.send_photo(caption="5")
    await phone.expect_message("Jeg kan kun læse tekst")
    phone.send_voice()
    await phone.expect_message("Jeg kan kun læse tekst")
    phone.send_contact("+4512345678")
    await phone.expect_message("Jeg kan kun læse tekst")
    phone.edit("5 – Meget tilfreds")  # no reply; the next answer shows nothing came in between
    await phone.dialog([("/help", "Kommandoer")])
    assert await count(bot, Answer) == 0
    async with bot.database.sessions() as session:
        payloads = list(await session.scalars(select(InboxUpdate.payload)))
    assert payloads and all(p is None for p in payloads)  # processed: nothing of the updates is kept


async def test_group_chats_get_no_answers(bot: Harness) -> None:
    [token] = await bot.invite()
    group = bot.phone("da", chat_id=-100123, chat_type="group")
    group.send(f"/start {token}")
    group.send("/help")
    private = bot.phone("da")
    group.press_data("s1:1")  # a press in a group is acknowledged, nothing more
    await group.expect_toast()
    await private.dialog([("/help", "Kommandoer")])
    await bot.settled()
    assert group.events.empty()
    assert await count(bot, Response) == 0
    async with bot.database.sessions() as session:  # the group's messages were never stored
        assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 2


async def test_free_text_is_capped_and_scrubbed_before_storage(bot: Harness) -> None:
    [token] = await bot.invite()
    phone = bot.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    await phone.dialog(
        [(press("3 – Hverken tilfreds eller utilfreds"), "2/8")]
        + [(press("Spring over"), f"{i}/8") for i in range(3, 9)]
    )
    await phone.dialog(
        [
            ("x" * 1001, "Dit svar er 1.001 tegn langt"),
            ("   \x00\x07  ", "Skriv gerne dit svar"),
            ("Ring 12 34 56 78 eller skriv til a.b@example.dk; CPR 010203-1234 og 0102031234.\x1b", "Tak"),
        ]
    )
    async with bot.database.sessions() as session:
        text = await session.scalar(select(Answer.text).where(Answer.question_id == "better"))
    assert text is not None
    for secret in ("12 34 56 78", "a.b@example.dk", "010203-1234", "0102031234", "\x1b"):
        assert secret not in text
    assert text.startswith("Ring ")


async def test_the_inbox_never_receives_names_usernames_or_phone_numbers(harness: Harness) -> None:
    from telegram import Update

    from bot import intake
    from tests.bot.conftest import SECRET

    phone = harness.phone("da", first_name="Mette", username="mette_f")
    phone.send("Hej")
    phone.send_contact("+4522334455")
    phone.send("Mit cpr er 010190-1234, skriv til mette@example.dk eller ring 22 33 44 55")
    raw = list(harness.server._pending)
    assert (await intake.store(harness.database, SECRET.encode(), [Update.de_json(u, None) for u in raw])).new == 3
    assert (await intake.store(harness.database, SECRET.encode(), [Update.de_json(raw[0], None)])).new == 0
    async with harness.database.sessions() as session:
        rows = list(await session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id)))
    stored = repr([(r.chat_key, r.payload) for r in rows])
    # the ids stay until processed (replies need them); free text is scrubbed before it is stored at all
    for personal in ("Mette", "mette_f", "4522334455", "010190", "mette@example.dk", "22 33 44 55"):
        assert personal not in stored
    assert rows[0].payload == {
        "kind": "text",
        "chat_id": phone.chat_id,
        "chat_type": "private",
        "user_id": phone.user_id,
        "language_code": "da",
        "text": "Hej",
        "text_length": 3,
    }
    assert rows[2].payload is not None and "[CPR]" in rows[2].payload["text"]
    assert rows[1].payload is not None and rows[1].payload["kind"] == "media"
    assert rows[0].chat_key is not None and str(phone.chat_id) not in rows[0].chat_key


async def test_a_handled_update_keeps_no_payload_at_all(bot: Harness) -> None:
    phone = bot.phone("da")
    await phone.dialog([("/help", "/privacy")])
    await bot.settled()
    async with bot.database.sessions() as session:
        waiting = await session.scalar(select(func.count()).where(InboxUpdate.payload.is_not(None)))
        handled = await session.scalar(select(func.count()).where(InboxUpdate.processed_at.is_not(None)))
    assert handled >= 1
    assert waiting == 0  # SQL NULL, not a JSON 'null' that a "payload IS NULL" query would miss
