"""The citizen survey in Ukrainian and Arabic over real HTTP; switching language keeps every answer."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Answer, Response
from tests.bot.conftest import Harness
from tests.botapi import press
from translations.bidi import LRI, PDI, RLM


async def stored(harness: Harness) -> tuple[list[Response], dict[str, Answer]]:
    async with harness.database.sessions() as session:
        responses = list(await session.scalars(select(Response).order_by(Response.id)))
        answers = {a.question_id: a for a in await session.scalars(select(Answer))}
    return responses, answers


async def test_a_citizen_answers_everything_in_ukrainian(bot: Harness) -> None:
    [token] = await bot.invite("citizen", segments={"unit": "integration"})
    phone = bot.phone("uk-UA")  # Telegram's language_code is the first guess
    await phone.dialog(
        [
            (f"/start {token}", "8 питань · анонімно"),
            (press("Почати ▶"), "1/8  Загалом, наскільки ви задоволені"),
            (press("4 – Задоволений(-а)"), "2/8  Я відчував(-ла), що центр зайнятості мене слухав."),
            (press("5 – Повністю згоден(-на)"), "3/8"),
            (press("Не знаю"), "4/8"),
            (press("Пропустити"), "5/8"),
            (press("◀ Назад"), "4/8"),
            (press("2 – Не згоден(-на)"), "5/8"),
            (press("3 – Ні згоден(-на), ні не згоден(-на)"), "6/8"),
            (press("1 – Зовсім не згоден(-на)"), "7/8"),
            (press("4 – Згоден(-на)"), "8/8  Що ми могли б робити краще?"),
            ("Довго чекати на дзвінок", "Дякуємо за ваші відповіді!"),
        ]
    )
    responses, answers = await stored(bot)
    assert [(r.status, r.language) for r in responses] == [("completed", "uk")]
    assert answers["overall"].value == 4 and answers["understood"].value == 2
    assert answers["respect"].option == "dk" and answers["better"].text == "Довго чекати на дзвінок"


async def test_a_citizen_answers_everything_in_arabic_with_numbers_kept_in_place(bot: Harness) -> None:
    [token] = await bot.invite("citizen")
    phone = bot.phone("ar")
    await phone.dialog([(f"/start {token}", "كيف كانت تجربتك مع مركز التوظيف؟")])
    welcome = phone.messages[max(phone.messages)]
    assert f"{LRI}/privacy{PDI}" in welcome.text and f"{LRI}Jobcenter Fredericia{PDI}" in welcome.text
    assert "8 أسئلة" in welcome.text.replace(LRI, "").replace(PDI, "")
    await phone.dialog([(press("ابدأ ◀"), "1/8  بشكل عام، ما مدى رضاك")])
    question = phone.messages[max(phone.messages)]
    assert question.text.startswith(f"{RLM}{LRI}1/8{PDI}")
    labels = [button["text"] for button in question.buttons]
    assert labels[0] == f"{RLM}{LRI}1{PDI} – غير راضٍ جدًا" and labels[4].startswith(f"{RLM}{LRI}5{PDI} – ")
    await phone.dialog(
        [
            (press("5 – راضٍ جدًا"), "2/8  شعرت أن مركز التوظيف استمع إليّ."),
            (press("4 – أوافق"), "3/8"),
            (press("تخطَّ"), "4/8"),
            (press("لا أعرف"), "5/8"),
            (press("1 – لا أوافق إطلاقًا"), "6/8"),
            (press("3 – لا أوافق ولا أعارض"), "7/8"),
            (press("5 – أوافق تمامًا"), "8/8"),
            (press("تخطَّ"), "شكرًا على إجاباتك!"),
        ]
    )
    responses, answers = await stored(bot)
    assert [(r.status, r.language) for r in responses] == [("completed", "ar")]
    assert answers["overall"].option == "5" and answers["overall"].value == 5
    assert answers["own_plan"].value == 1 and answers["respect"].option == "skip"


async def test_switching_language_mid_survey_keeps_every_answer(bot: Harness) -> None:
    [token] = await bot.invite("citizen")
    phone = bot.phone("uk")
    await phone.dialog(
        [
            (f"/start {token}", "/privacy"),
            (press("Почати ▶"), "1/8"),
            (press("2 – Незадоволений(-а)"), "2/8"),
            (press("4 – Згоден(-на)"), "3/8"),
            ("/language", "Виберіть мову."),
        ]
    )
    names = [b["text"] for b in phone.messages[max(phone.messages)].buttons]
    assert names == ["Dansk", "English", "العربية", "فارسی", "Polski", "Soomaali", "ትግርኛ", "Українська"]
    phone.press("العربية")
    await phone.expect_edit("اللغة الآن هي العربية.")
    await phone.expect_message("3/8  عوملت باحترام وثقة.")
    await phone.dialog([(press("▶ رجوع"), "2/8"), (press("5 – أوافق تمامًا"), "3/8")])
    responses, answers = await stored(bot)
    assert responses[0].language == "ar" and responses[0].current_question == "respect"
    assert answers["overall"].value == 2  # given in Ukrainian, still there after switching
    assert answers["heard"].value == 5  # revised in Arabic


async def test_a_language_we_do_not_have_gets_danish_and_farsi_gets_farsi(bot: Harness) -> None:
    first, second = await bot.invite("citizen", count=2)
    await bot.phone("de-DE").dialog([(f"/start {first}", "Hvordan har du oplevet jobcentret?")])
    await bot.phone("fa").dialog([(f"/start {second}", "تجربهٔ شما با مرکز کاریابی چطور بود؟")])


async def test_the_kpi_does_not_depend_on_the_language(bot: Harness) -> None:
    """Five people answer in Danish and five answer the same way in Arabic: the report rows are the same."""
    from datetime import date

    from analytics.layout import layout_of
    from analytics.periods import year_period
    from analytics.service import make_report
    from surveys import get_survey

    answers = ["5", "4", "4", "3", "2"]
    danish = {"5": "5 – Meget tilfreds", "4": "4 – Tilfreds", "3": "3 – Hverken tilfreds eller utilfreds"}
    danish["2"] = "2 – Utilfreds"
    arabic = {"5": "5 – راضٍ جدًا", "4": "4 – راضٍ", "3": "3 – لا راضٍ ولا غير راضٍ", "2": "2 – غير راضٍ"}
    tokens = await bot.invite("citizen", count=2 * len(answers))
    for (code, start, labels), chunk in zip(
        [("da", "Start ▶", danish), ("ar", "ابدأ ◀", arabic)], (tokens[:5], tokens[5:]), strict=True
    ):
        for token, option in zip(chunk, answers, strict=True):
            await bot.phone(code).dialog(
                [(f"/start {token}", "/privacy"), (press(start), "1/8"), (press(labels[option]), "2/8")]
            )
    async with bot.database.sessions() as session:
        rows = (await session.execute(select(Response.language, Answer.option).join(Answer))).all()
    assert sorted(o for lang, o in rows if lang == "da") == sorted(o for lang, o in rows if lang == "ar")

    report = await make_report(
        bot.database,
        layout_of(get_survey("citizen")),
        year_period(date.today().year),
        tz="Europe/Copenhagen",
        min_cell_size=5,
        segment_keys=["language"],
    )
    by_language = {row["segment"]["language"]: row for row in report.rows(by="language")[1:]}
    assert set(by_language) == {"da", "ar"}
    same = ("n", "satisfied", "share", "ci_low", "ci_high", "status", "suppressed")
    assert {k: by_language["da"][k] for k in same} == {k: by_language["ar"][k] for k in same}
    assert by_language["ar"]["n"] == 5 and by_language["ar"]["satisfied"] == 3
    assert report.overall.n == 10 and report.overall.satisfied == 6


async def test_the_command_menu_is_registered_in_every_language(bot: Harness) -> None:
    phone = bot.phone("uk")
    await phone.dialog([("/help", "/language – змінити мову")])  # the channel is up
    menus = {call.params.get("language_code"): call.params["commands"] for call in bot.server.calls_of("setMyCommands")}
    assert set(menus) == {None, "en", "uk", "ar", "fa", "so", "ti", "pl"}  # None: Danish, for every other phone
    assert {c["command"]: c["description"] for c in menus["uk"]}["language"] == "Змінити мову"
    assert {c["command"]: c["description"] for c in menus[None]}["delete"] == "Slet mine svar"
