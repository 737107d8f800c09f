"""Answering in a real browser: headless Chromium against a real ``tilfreds run`` with a public URL.

The links come from ``tilfreds invite --format json`` (their ``web_link``), as a caseworker would print them.
Both surveys are answered with the keyboard alone on a 390 px phone, in Danish and in English; every
respondent page is checked with axe-core (WCAG 2.0/2.1 A and AA and best practice) with no violation of any
impact, at 200 % zoom nothing is cut, and focus is always visible. Screenshots land in ``tests/artifacts/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.web import chromium
from tests.web.running import free_port, running, tilfreds, tilfreds_env

pytestmark = pytest.mark.slow

Links = Callable[..., list[str]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Links]]:
    """``tilfreds run`` with ``TILFREDS_PUBLIC_URL`` set; yields its base URL and a way to make invitation links."""
    home: Path = tmp_path_factory.mktemp("tilfreds-web")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = tilfreds_env(
        port,
        TILFREDS_PUBLIC_URL=base,
        TILFREDS_CONTACT_EMAIL="tilfreds@example.dk",
        TILFREDS_CONTACT_PHONE="72 10 00 00",
    )

    def links(survey: str, count: int = 1, *extra: str) -> list[str]:
        out = tilfreds(home, env, "invite", "--survey", survey, "--count", str(count), "--format", "json", *extra)
        rows = json.loads(out)
        assert all(row["link"] == row["web_link"] for row in rows) and rows[0]["telegram_link"] is None
        return [row["web_link"] for row in rows]

    with running(home, env):
        yield base, links


async def tab_to(tab: chromium.Tab, target: str, limit: int = 40) -> str:
    """Press Tab until the focus is on ``target`` (``tag:name or text`` prefix); focus must be visible there."""
    for _ in range(limit):
        focused = await tab.press("Tab")
        if focused.startswith(target):
            outline = await tab.eval("getComputedStyle(document.activeElement).outlineStyle")
            assert outline not in ("none", ""), f"focus on {focused} is not visible"
            return focused
    raise AssertionError(f"Tab never reached {target}")


async def enter(tab: chromium.Tab) -> None:
    await tab.press("Enter", navigates=True)


async def fits(tab: chromium.Tab, width: int, what: str) -> None:
    """Nothing scrolls sideways and no control or text reaches past the right edge."""
    scroll = await tab.eval("document.documentElement.scrollWidth")
    assert scroll <= width, f"{what}: the page is {scroll}px wide in a {width}px window"
    cut = await tab.eval(
        "[...document.querySelectorAll('h1, p, label, button, a, textarea, legend')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.outerHTML.slice(0, 80))"
    )
    assert cut == [], f"{what}: cut off at the right: {cut}"


async def answer_by_keyboard(tab: chromium.Tab, survey_answers: dict[str, int | str], next_word: str) -> list[str]:
    """Answer every question with Tab, Space, arrows and Enter; the titles seen, in order."""
    titles = []
    for _ in range(12):
        question = await tab.eval("(document.querySelector('input[name=question]') || {}).value || null")
        if question is None:
            return titles
        titles.append(await tab.eval("document.title"))
        await fits(tab, 390, question)
        choice = survey_answers.get(question, 3)
        if isinstance(choice, str):
            await tab_to(tab, "textarea:")
            await tab.send("Input.insertText", text=choice)
        else:
            await tab_to(tab, "input:option")
            await tab.press(" ")  # the first option
            for _ in range(choice):
                await tab.press("ArrowDown")
        await tab_to(tab, f"button:{next_word}")
        await enter(tab)
    raise AssertionError("the survey did not end")


async def test_the_citizen_survey_by_keyboard_alone_on_a_phone_in_danish(
    site: tuple[str, Links], devtools: str
) -> None:
    base, links = site
    [link] = links("citizen", 1, "--segment", "benefit=kontanthjaelp")
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(390, 844, mobile=True)
        await tab.goto(link + "?lang=da")  # headless Chromium asks for English; a Danish phone gets Danish anyway
        assert "Svar her i browseren" in await tab.text()
        await fits(tab, 390, "welcome")
        await tab.screenshot("respond-welcome-phone")
        await tab_to(tab, "button:Svar her i browseren")
        await enter(tab)
        await tab.screenshot("respond-question-phone")
        titles = await answer_by_keyboard(tab, {"overall": 4, "better": "Kortere ventetid, tak"}, "Næste")
        assert [t.split(":")[0] for t in titles] == [f"Spørgsmål {i} af 8" for i in range(1, 9)]
        assert titles[0] == "Spørgsmål 1 af 8: Samlet tilfredshed – Hvordan har du oplevet jobcentret?"
        assert await tab.url() == link + "/tak" and "Tak for dine svar" in await tab.text()
        await tab.screenshot("respond-thanks-phone")


async def test_the_employer_survey_by_keyboard_alone_in_english(site: tuple[str, Links], devtools: str) -> None:
    _base, links = site
    [link] = links("employer")
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(390, 844, mobile=True)
        await tab.goto(link + "?lang=en")
        assert "Answer here in the browser" in await tab.text()
        await tab_to(tab, "button:Answer here in the browser")
        await enter(tab)
        titles = await answer_by_keyboard(tab, {"recommend": 9, "better": "Faster replies"}, "Next")
        assert [t.split(":")[0] for t in titles] == [f"Question {i} of 8" for i in range(1, 9)]
        assert "Thank you for your answers" in await tab.text()


async def answer_until(tab: chromium.Tab, question: str) -> None:
    """Click through (the first option of each question) until ``question`` is shown."""
    for _ in range(10):
        if await tab.eval("document.querySelector('input[name=question]').value") == question:
            return
        await tab.click("label.option", navigates=False)
        await tab.click("button[value=answer]")
    raise AssertionError(f"never reached {question}")


async def test_every_respondent_page_has_no_accessibility_violations_in_danish_and_english(
    site: tuple[str, Links], devtools: str, axe: str
) -> None:
    base, links = site
    found: dict[str, list[dict]] = {}
    async with chromium.connect(devtools) as browser:
        for lang in ("da", "en"):
            [citizen, employer] = [links("citizen")[0], links("employer")[0]]
            tab = await browser.new_tab()
            await tab.viewport(390, 844, mobile=True)

            async def check(name: str, tab: chromium.Tab = tab, lang: str = lang) -> None:
                assert await tab.eval("document.documentElement.lang") == lang, name
                found[f"{lang}: {name}"] = await tab.axe(axe)

            await tab.goto(f"{citizen}?lang={lang}")
            await check("welcome")
            await tab.click("form.ways button")
            await check("question")
            await tab.click("button[value=answer]")
            assert await tab.eval("document.querySelector('#answer-error') !== null")
            await check("question with an error")
            await tab.click("label.option:nth-of-type(4)", navigates=False)
            await tab.click("button[value=answer]")
            await answer_until(tab, "better")
            await check("text question")
            await tab.fill("#answer-text", "x" * 3)
            await tab.click("button[value=answer]")
            await check("thanks")
            await tab.click("a[href$='/slet']")
            await check("delete, asked first")
            await tab.click("button.danger")
            assert "(1)" in await tab.text()
            await check("deleted")
            await tab.goto(f"{employer}?lang={lang}")
            await tab.click("form.ways button")
            await answer_until(tab, "recommend")
            await check("0–10 question")
            for path, name in (("/privatliv", "privacy"), ("/tilgaengelighed", "accessibility statement")):
                await tab.goto(base + path)
                await check(name)
            assert "tilfreds@example.dk" in await tab.text()
            await tab.goto(f"{base}/s/{'x' * 24}")
            await check("unknown link")
    violations = {page: v for page, v in found.items() if v}
    assert violations == {}, json.dumps(violations, indent=1, ensure_ascii=False)


async def test_at_200_percent_zoom_nothing_is_cut(site: tuple[str, Links], devtools: str) -> None:
    _base, links = site
    [link] = links("citizen")
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(640, 450)  # a 1280 x 900 window at 200 %: half as many CSS pixels
        await tab.goto(link + "?lang=da")
        await fits(tab, 640, "welcome at 200 %")
        await tab.click("form.ways button")
        await fits(tab, 640, "question at 200 %")
        await tab.screenshot("respond-question-200")
        await tab.click("button[value=answer]")
        await fits(tab, 640, "question with an error at 200 %")
        await tab.send("Emulation.setDeviceMetricsOverride", width=320, height=640, deviceScaleFactor=1, mobile=True)
        await fits(tab, 320, "question at 320 px (WCAG reflow)")


@pytest.mark.parametrize(
    "lang, start, next_word, thanks",
    [
        ("ar", "أجب هنا في المتصفح", "التالي", "شكرًا على إجاباتك"),
        ("fa", "همین‌جا در مرورگر پاسخ دهید", "بعدی", "از پاسخ‌های شما سپاسگزاریم"),
    ],
)
async def test_the_citizen_survey_right_to_left_by_keyboard_alone(
    site: tuple[str, Links], devtools: str, axe: str, lang: str, start: str, next_word: str, thanks: str
) -> None:
    """Arabic and Farsi: the page runs right to left, Back and Next swap sides, the scale stays 1 (worst) first,
    axe finds nothing of any impact, and the whole survey is answered with the keyboard."""
    _base, links = site
    [link] = links("citizen")
    found: dict[str, list] = {}
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(390, 844, mobile=True)
        await tab.goto(f"{link}?lang={lang}")
        assert await tab.eval("document.documentElement.lang") == lang
        assert await tab.eval("getComputedStyle(document.body).direction") == "rtl"
        found["welcome"] = await tab.axe(axe)
        await tab_to(tab, f"button:{start}")
        await enter(tab)
        labels = await tab.eval("[...document.querySelectorAll('label.option')].map(l => l.innerText.trim())")
        assert [label.split(" – ")[0] for label in labels[:5]] == ["1", "2", "3", "4", "5"]  # worst first, in order
        found["question"] = await tab.axe(axe)
        await tab_to(tab, "input:option")
        await tab.press(" ")
        await tab_to(tab, f"button:{next_word}")
        await enter(tab)
        assert await tab.eval("document.querySelector('input[name=question]').value") == "heard"
        sides = await tab.eval(
            "(() => { const b = [...document.querySelectorAll('button')];"
            " const x = v => b.find(e => e.value === v).getBoundingClientRect().left;"
            " return [x('answer'), x('back')]; })()"
        )
        # Mirrored: Next comes first in reading order, so it starts at the right, as it starts at the left in Danish.
        assert sides[0] > sides[1], "in right-to-left, Next sits to the right of Back"
        await tab.screenshot(f"respond-question-{lang}")
        titles = await answer_by_keyboard(tab, {"overall": 4, "better": "Latin text 123"}, next_word)
        assert len(titles) == 7 and "2" in titles[0]
        assert thanks in await tab.text()
        assert await tab.eval("getComputedStyle(document.body).direction") == "rtl"
        found["thanks"] = await tab.axe(axe)
    assert {name: v for name, v in found.items() if v} == {}, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize(
    "lang, start, progress, next_word, thanks",
    [
        ("uk", "Відповісти тут, у браузері", "Питання 1 з 8", "Далі", "Дякуємо за ваші відповіді"),
        ("ti", "ኣብዚ ብራውዘር ምለስ", "ሕቶ 1 ካብ 8", "ዝቕጽል", "ስለ መልስታትካ የቐንየልና"),
    ],
)
async def test_the_citizen_survey_in_ukrainian_and_tigrinya(
    site: tuple[str, Links],
    devtools: str,
    axe: str,
    lang: str,
    start: str,
    progress: str,
    next_word: str,
    thanks: str,
) -> None:
    """Cyrillic and Ge'ez script: every page is in the language (``<html lang>``), the switch names all eight
    languages in their own script, axe finds nothing of any impact, and the survey is answered by keyboard."""
    _base, links = site
    [link] = links("citizen")
    found: dict[str, list] = {}
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(390, 844, mobile=True)
        await tab.goto(f"{link}?lang={lang}")
        assert await tab.eval("document.documentElement.lang") == lang
        assert await tab.eval("getComputedStyle(document.body).direction") == "ltr"
        switch = await tab.eval("[...document.querySelectorAll('header nav a')].map(a => a.lang + ' ' + a.innerText)")
        assert switch == [
            f"{code} {name}"
            for code, name in (
                ("da", "Dansk"),
                ("en", "English"),
                ("ar", "العربية"),
                ("fa", "فارسی"),
                ("pl", "Polski"),
                ("so", "Soomaali"),
                ("ti", "ትግርኛ"),
                ("uk", "Українська"),
            )
        ]
        outside = await tab.eval(
            "[...document.querySelectorAll('header nav a')].filter(a => { const r = a.getBoundingClientRect();"
            " const range = document.createRange(); range.selectNodeContents(a);"
            " return r.left < 0 || r.right > window.innerWidth || range.getClientRects().length > 1; })"
            ".map(a => a.lang)"
        )
        assert outside == [], f"language names cut off or broken over lines on a 390 px phone: {outside}"
        await fits(tab, 390, f"welcome in {lang}")
        found["welcome"] = await tab.axe(axe)
        await tab_to(tab, f"button:{start}")
        await enter(tab)
        assert (await tab.eval("document.title")).startswith(progress)
        assert await tab.eval("document.documentElement.lang") == lang
        found["question"] = await tab.axe(axe)
        await tab.click("button[value=answer]")
        assert await tab.eval("document.querySelector('#answer-error') !== null")
        found["question with an error"] = await tab.axe(axe)
        await tab.screenshot(f"respond-question-{lang}")
        titles = await answer_by_keyboard(tab, {"overall": 4, "better": "Latin text 123"}, next_word)
        assert len(titles) == 8 and progress in titles[0]  # still question 1, now with the error in its title
        assert not [title for title in titles if "Samlet tilfredshed" in title or "Blev lyttet til" in title]
        assert thanks in await tab.text() and await tab.eval("document.documentElement.lang") == lang
        found["thanks"] = await tab.axe(axe)
    assert {name: v for name, v in found.items() if v} == {}, json.dumps(found, indent=1, ensure_ascii=False)
