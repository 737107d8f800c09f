"""Answering in the browser over real HTTP, on SQLite and PostgreSQL: the whole survey, resume, languages,
links that do not work, and the posts a browser makes by mistake or someone makes on purpose."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select, update

from db.database import Database
from db.models import Answer, Invitation, Respondent, Response, utcnow
from tests.web.respondent import Browser, invite
from tilfreds.app import build_app
from tilfreds.settings import Settings
from tilfreds.web.respond.ratelimit import RateLimit
from tilfreds.web.respond.visits import STATE

CITIZEN = ["overall", "heard", "respect", "understood", "own_plan", "information", "next_step", "better"]


@pytest.fixture
async def app_client(database: Database, settings: Settings) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(build_app(settings, database))) as client:
        yield client


def browser(client: TestClient) -> Browser:
    return Browser(client)


async def new_browser(client: TestClient) -> Browser:
    """A second browser (its own cookies) against the same server."""
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    return Browser(session, str(client.make_url("")).rstrip("/"))


async def counts(database: Database) -> tuple[int, int, int]:
    """(respondents, responses, answers)"""
    async with database.sessions() as session:
        return (
            await session.scalar(select(func.count()).select_from(Respondent)),
            await session.scalar(select(func.count()).select_from(Response)),
            await session.scalar(select(func.count()).select_from(Answer)),
        )


async def answers(database: Database) -> dict[str, tuple[str | None, str | None]]:
    async with database.sessions() as session:
        rows = await session.execute(select(Answer.question_id, Answer.option, Answer.text))
    return {qid: (option, text) for qid, option, text in rows}


async def only_response(database: Database) -> Response:
    async with database.sessions() as session:
        [response] = list(await session.scalars(select(Response)))
    return response


async def test_a_whole_survey_in_the_browser_is_stored_like_a_telegram_one(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret(), segments={"benefit": "kontanthjaelp"})
    me = browser(app_client)
    landing = await me.get(f"/s/{token}")
    assert landing.status == 200 and "Svar her i browseren" in landing.text
    assert "8 spørgsmål" in landing.text and 'href="/privatliv"' in landing.text
    assert "Svar i Telegram" not in landing.text  # Telegram is off in this app
    assert await counts(database) == (0, 0, 0), "opening the link creates nothing"
    page = await me.post(f"/s/{token}", {"form_token": landing.fields["form_token"]})
    assert page.question == "overall" and page.title.startswith("Spørgsmål 1 af 8: Samlet tilfredshed")
    assert "<legend><h1>Alt i alt" in page.text and "Ved ikke" in page.text
    seen = []
    while page.question is not None:
        seen.append(page.question)
        if page.question == "better":
            assert 'maxlength="1000"' in page.text and "Højst 1000 tegn." in page.text
            page = await me.send(text="Ring til mig på 12 34 56 78, min mail er a@b.dk")
        else:
            page = await me.send(option="5" if page.question == "overall" else "4")
    assert seen == CITIZEN
    assert page.url.endswith(f"/s/{token}/tak") and "Tak for dine svar" in page.text
    response = await only_response(database)
    assert (response.channel, response.status, response.segments) == ("web", "completed", {"benefit": "kontanthjaelp"})
    stored = await answers(database)
    assert stored["overall"] == ("5", None) and len(stored) == 8
    assert "12 34 56 78" not in stored["better"][1] and "a@b.dk" not in stored["better"][1]
    again = await me.get(f"/s/{token}")
    assert again.url.endswith("/tak"), "completed means completed: the link shows the thanks"


async def test_the_welcome_offers_telegram_when_the_bot_is_on(database: Database, settings: Settings) -> None:
    [token] = await invite(database, settings.secret())
    async with TestClient(TestServer(build_app(settings, database, telegram="polling"))) as client:
        landing = await browser(client).get(f"/s/{token}")
    assert "Svar i Telegram" in landing.text
    assert f'href="https://t.me/JobcenterTestBot?start={token}"' in landing.text


async def test_back_skip_and_progress(app_client: TestClient, database: Database, settings: Settings) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    first = await me.start(token)
    assert 'value="back"' not in first.text, "no way back from the first question"
    second = await me.send(option="2")
    assert "Spørgsmål 2 af 8" in second.text and 'value="back"' in second.text
    back = await me.send(action="back")
    assert back.question == "overall" and 'value="2" checked' in back.text, "going back shows the earlier answer"
    await me.send(option="4")
    for _ in range(6):
        await me.send(option="3")
    last = me.page
    assert last.question == "better" and 'value="skip"' in last.text
    done = await me.send(action="skip")
    assert done.url.endswith("/tak")
    stored = await answers(database)
    assert stored["overall"] == ("4", None) and stored["better"] == ("skip", None) and len(stored) == 8


async def test_a_double_post_a_reload_and_a_stale_tab_never_make_two_answers(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    tab_one = await me.start(token)
    tab_two = await me.get(f"/s/{token}/q")  # the same question in a second tab
    after = await me.send(tab_one, option="5")
    assert after.question == "heard"
    again = await me.send(tab_one, option="5")  # the same form posted again (double-click, re-post on reload)
    assert again.status == 200 and again.question == "heard" and "allerede besvaret" not in again.text
    stale = await me.send(tab_two, option="1")  # the other tab says something else
    assert stale.status == 409 and "Det spørgsmål er allerede besvaret" in stale.text and stale.question == "heard"
    assert await answers(database) == {"overall": ("5", None)}
    # five posts of one form at once: one answer, moved on once
    current = await me.get(f"/s/{token}/q")
    results = await asyncio.gather(*(me.send(current, option="3") for _ in range(5)))
    assert {r.question for r in results} == {"respect"}
    assert await answers(database) == {"overall": ("5", None), "heard": ("3", None)}
    assert (await only_response(database)).current_question == "respect"


async def test_coming_back_resumes_where_it_was(app_client: TestClient, database: Database, settings: Settings) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    await me.start(token)
    await me.send(option="4")
    await me.send(option="4")
    back_later = await me.get(f"/s/{token}")
    assert back_later.question == "respect" and "Spørgsmål 3 af 8" in back_later.text


async def test_a_poster_link_gives_each_browser_its_own_response(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret(), "employer", max_uses=None)
    first = browser(app_client)
    second = await new_browser(app_client)
    try:
        await first.start(token)
        await first.send(option="5")
        page = await second.start(token)
        assert page.question == "overall", "the second browser starts its own response"
        await second.answer_all({"better": {"action": "skip"}})
        assert (await first.get(f"/s/{token}")).question == "contact", "the first resumes its own"
        assert (await second.get(f"/s/{token}")).url.endswith("/tak")
    finally:
        await second.http.close()
    async with database.sessions() as session:
        rows = (await session.execute(select(Response.status, Response.channel).order_by(Response.id))).all()
        uses = await session.scalar(select(Invitation.uses))
    assert [tuple(r) for r in rows] == [("in_progress", "web"), ("completed", "web")] and uses == 2


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ("unknown", 404, "Det link kender vi ikke"),
        ("expired", 410, "Linket er udløbet"),
        ("revoked", 410, "ikke længere i brug"),
        ("used_up", 410, "allerede brugt"),
    ],
)
async def test_links_that_do_not_work_get_a_kind_page_and_create_nothing(
    app_client: TestClient, database: Database, settings: Settings, change: str, status: int, words: str
) -> None:
    [token] = await invite(database, settings.secret())
    values = {
        "expired": {"expires_at": utcnow() - timedelta(days=1)},
        "revoked": {"revoked_at": utcnow()},
        "used_up": {"uses": 1},
    }.get(change)
    if values:
        async with database.sessions.begin() as session:
            await session.execute(update(Invitation).values(**values))
    path = f"/s/{'x' * 24 if change == 'unknown' else token}"
    me = browser(app_client)
    page = await me.get(path)
    assert page.status == status and words in page.text and "<h1>Linket virker ikke</h1>" in page.text
    posted = await me.post(path, {"form_token": "0" * 32})
    assert posted.status in (status, 400)
    assert await counts(database) == (0, 0, 0)


async def _tampered(me: Browser, database: Database, **change: str) -> None:
    before = await answers(database)
    form = me.page
    page = await me.post(form.action, {**form.fields, **change})
    assert page.status == 400, page.text
    assert "intet er gemt" in page.text
    assert await answers(database) == before
    assert (await only_response(database)).current_question == form.question


async def test_tampered_forms_are_refused_and_store_nothing(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token, other] = await invite(database, settings.secret(), count=2)
    me = browser(app_client)
    headline = await me.start(token)
    await _tampered(me, database, option="skip")  # the headline question cannot be skipped
    me.page = headline
    await _tampered(me, database, action="skip")
    await me.send(headline, option="4")
    page = me.page
    await _tampered(me, database, option="9")  # no such option
    me.page = page
    await _tampered(me, database, question="own_plan", option="4")  # not reached yet
    me.page = page
    await _tampered(me, database, question="nonsense", option="4")
    me.page = page
    await _tampered(me, database, response=str(int(page.fields["response"]) + 1), option="4")  # another response
    me.page = page
    await _tampered(me, database, form_token="f" * 32, option="4")  # a post from another site
    me.page = page
    await _tampered(me, database, action="jump", option="4")
    # a body that is not UTF-8 text at all
    raw = await me.post(
        page.action, b"option=\xff\xfe&question=heard", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert raw.status == 400 and len(await answers(database)) == 1
    # the other invitation's page knows nothing of this browser's response
    stranger = await me.post(f"/s/{other}/q", page.fields | {"option": "4"})
    assert stranger.status == 400 and len(await answers(database)) == 1


async def test_text_answers_over_the_limit_empty_huge_or_binary(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    await me.start(token)
    for _ in range(7):
        await me.send(option="4")
    form = me.page
    assert form.question == "better"
    long = await me.send(form, text="å" * 1001)
    assert long.status == 400 and "Dit svar er 1001 tegn" in long.text
    assert 'aria-describedby="progress text-limit text-private answer-error"' in long.text
    assert 'aria-invalid="true"' in long.text and long.title.startswith("Fejl: ")
    empty = await me.send(form, text="   ")
    assert empty.status == 400 and 'id="answer-error"' in empty.text
    me.page = form
    await _tampered(me, database, text="x" * 30_000)
    me.page = form
    await _tampered(me, database, text="binær\x00data")
    assert "better" not in await answers(database)
    done = await me.send(form, text="Kortere ventetid")
    assert done.url.endswith("/tak") and (await answers(database))["better"] == (None, "Kortere ventetid")


async def test_choosing_nothing_says_so_next_to_the_question(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    await me.start(token)
    page = await me.send()
    assert page.status == 400 and '<fieldset aria-describedby="progress answer-error">' in page.text
    assert "Vælg et af svarene." in page.text and await answers(database) == {}


async def test_without_cookies_nothing_starts(app_client: TestClient, database: Database, settings: Settings) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    landing = await me.get(f"/s/{token}")
    app_client.session.cookie_jar.clear()
    page = await me.post(f"/s/{token}", {"form_token": landing.fields["form_token"]})
    assert page.status == 400 and "cookies" in page.text
    assert await counts(database) == (0, 0, 0)


async def test_english_one_click_away_and_kept(app_client: TestClient, database: Database, settings: Settings) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    landing = await me.get(f"/s/{token}")
    assert '<html lang="da" dir="ltr">' in landing.text and f'href="/s/{token}?lang=en"' in landing.text
    english = await me.get(f"/s/{token}?lang=en")
    assert '<html lang="en" dir="ltr">' in english.text and "Answer here in the browser" in english.text
    first = await me.post(f"/s/{token}", {"form_token": english.fields["form_token"]})
    assert first.title.startswith("Question 1 of 8") and "Don&#39;t know" in first.text, "the choice is kept"
    assert (await only_response(database)).language == "en"
    danish = await me.get(f"/s/{token}/q?lang=da")
    await me.send(danish, option="4")
    assert (await only_response(database)).language == "da", "the language the answers were given in"
    fresh = await new_browser(app_client)
    try:
        asked = await fresh.get(f"/s/{token}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    finally:
        await fresh.http.close()
    assert '<html lang="en"' in asked.text


async def test_the_language_switch_offers_all_eight_languages_in_their_own_names(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    welcome = await me.get(f"/s/{token}?lang=uk")
    assert '<html lang="uk" dir="ltr">' in welcome.text and "Відповісти тут, у браузері" in welcome.text
    nav = welcome.text.split("<nav", 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)" lang="([a-z]+)" hreflang="\2"( aria-current="true")?>([^<]+)</a>', nav)
    assert {lang: name for _href, lang, _current, name in links} == {
        "da": "Dansk",
        "en": "English",
        "uk": "Українська",
        "ar": "العربية",
        "fa": "فارسی",
        "so": "Soomaali",
        "ti": "ትግርኛ",
        "pl": "Polski",
    }
    assert [lang for _href, lang, current, _name in links if current] == ["uk"]
    assert all(href == f"/s/{token}?lang={lang}" for href, lang, _current, _name in links)
    question = await me.post(f"/s/{token}", {"form_token": welcome.fields["form_token"]})
    assert question.title.startswith("Питання 1 з 8: Загалом, наскільки ви задоволені"), "no Danish in the title"
    tigrinya = await me.get(f"/s/{token}/q?lang=ti")
    assert '<html lang="ti" dir="ltr">' in tigrinya.text and tigrinya.title.startswith("ሕቶ 1 ካብ 8")
    await me.send(tigrinya, option="4")
    assert (await only_response(database)).language == "ti", "switching mid-survey keeps going in the new language"


async def test_security_headers_and_no_caching(app_client: TestClient, database: Database, settings: Settings) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    for page in (await me.get(f"/s/{token}"), await me.get("/s/" + "y" * 24), await me.get("/privatliv")):
        assert "script-src" not in page.headers["Content-Security-Policy"]
        assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert page.headers["X-Frame-Options"] == "DENY" and page.headers["Cache-Control"] == "no-store"
    cookie = next(c for c in app_client.session.cookie_jar if c.key == "tilfreds_respondent")
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


async def test_too_many_requests_from_one_address_get_a_clear_429(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret())
    app_client.server.app[STATE].rate = RateLimit(limit=3, window=600)
    me = browser(app_client)
    for _ in range(3):
        assert (await me.get(f"/s/{token}")).status == 200
    page = await me.get(f"/s/{token}")
    assert page.status == 429 and "Vent et minut" in page.text and page.headers["Retry-After"] == "60"


async def test_delete_my_answers_asks_first_and_then_deletes_them(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    await me.start(token)
    done = await me.answer_all({"better": {"action": "skip"}})
    assert f'href="/s/{token}/slet"' in done.text and "Slet mine svar" in done.text
    confirm = await me.get(f"/s/{token}/slet")
    assert "Det kan ikke fortrydes" in confirm.text and await counts(database) != (0, 0, 0)
    forged = await me.post(f"/s/{token}/slet", {"form_token": "0" * 32})
    assert forged.status == 400 and (await counts(database))[1] == 1
    deleted = await me.post(f"/s/{token}/slet", {"form_token": confirm.fields["form_token"]})
    assert "Dine svar er slettet (1)" in deleted.text
    assert await counts(database) == (0, 0, 0)


async def test_the_privacy_and_accessibility_statements_name_the_contact(
    database: Database, settings: Settings
) -> None:
    configured = settings.model_copy(
        update={
            "contact_email": "tilfreds@example.dk",
            "contact_phone": "72 10 00 00",
            "organisation_name": "Jobcenter X",
        }
    )
    async with TestClient(TestServer(build_app(configured, database))) as client:
        me = browser(client)
        privacy = await me.get("/privatliv")
        statement = await me.get("/tilgaengelighed?lang=en")
    assert (
        "24 måneder" in privacy.text
        and "30 dage" in privacy.text
        and 'href="mailto:tilfreds@example.dk"' in privacy.text
    )
    assert statement.status == 200 and "WCAG 2.1" in statement.text and "Jobcenter X" in statement.text
    assert 'href="tel:72100000"' in statement.text and '<html lang="en"' in statement.text


async def test_the_response_rate_counts_answers_from_both_channels(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    from analytics.layout import layout_of
    from analytics.periods import local_date, year_period
    from analytics.service import make_report
    from surveys import get_survey

    tokens = await invite(database, settings.secret(), count=4)
    me = browser(app_client)
    await me.start(tokens[0])
    await me.answer_all({"better": {"action": "skip"}})
    async with database.sessions.begin() as session:  # a second invitation completed in Telegram
        await session.execute(update(Response).values(channel="telegram"))  # the browser's one becomes Telegram's ...
    other = await new_browser(app_client)
    try:
        await other.start(tokens[1])
        await other.answer_all({"better": {"action": "skip"}})  # ... and this one stays in the browser
    finally:
        await other.http.close()
    period = year_period(local_date(utcnow()).year)
    report = await make_report(
        database, layout_of(get_survey("citizen")), period, tz=settings.timezone, min_cell_size=1, segment_keys=[]
    )
    assert report.overall.issued == 4 and report.overall.response_rate == 0.5


async def test_a_body_over_the_servers_limit_gets_a_kind_page_and_stores_nothing(
    app_client: TestClient, database: Database, settings: Settings
) -> None:
    [token] = await invite(database, settings.secret())
    me = browser(app_client)
    form = await me.start(token)
    page = await me.send(form, option="4", padding="x" * (2 * 1024 * 1024))
    assert page.status == 413 and "for stort" in page.text and "intet er gemt" in page.text
    assert await answers(database) == {}
