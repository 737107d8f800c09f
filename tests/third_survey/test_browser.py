"""An organisation's `tilfreds run` with the youth survey in its TILFREDS_SURVEYS_DIR, in headless Chromium:
the demo data fill it, staff see it in its place on the overview and drill into it, and a young person answers
it in the browser; every page checked with axe-core."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.third_survey.conftest import KEY, NAME
from tests.web import chromium
from tests.web.running import free_port, running, tilfreds, tilfreds_env

pytestmark = pytest.mark.slow

PASSWORD = "korrekt hest batteri"


@pytest.fixture
def organisation(tmp_path: Path, third_survey: Path) -> Iterator[tuple[str, str]]:
    """``tilfreds run`` on a new SQLite database with the organisation's definitions; (base URL, a youth token)."""
    home = tmp_path / "home"
    home.mkdir()
    env = tilfreds_env(
        free_port(), TILFREDS_SURVEYS_DIR=str(third_survey), TILFREDS_TELEGRAM_BOT_USERNAME="JobcenterTestBot"
    )
    tilfreds(home, env, "staff", "add", "anna", stdin=PASSWORD + "\n")
    tilfreds(home, env, "demo", "seed", "--responses", "800", "--seed", "7")
    [row] = json.loads(tilfreds(home, env, "invite", "--survey", KEY, "--segment", "school=fgu", "--format", "json"))
    with running(home, env) as base:
        yield base, row["token"]


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


async def test_staff_and_a_respondent_see_the_third_survey(
    organisation: tuple[str, str], devtools: str, axe: str
) -> None:
    base, token = organisation
    results = {}
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(1280, 1000)
        await tab.goto(f"{base}/staff/")
        await tab.fill("#username", "anna")
        await tab.fill("#password", PASSWORD)
        await tab.click("button[type=submit]")
        assert await tab.url() == f"{base}/staff/overview"
        headings = await tab.eval("[...document.querySelectorAll('section.result h2')].map(h => h.textContent)")
        assert headings == ["Borgerevaluering", "Virksomhedsundersøgelse", NAME]
        assert await tab.eval("document.querySelectorAll('figure.chart svg').length") == 3, "demo data for all"
        results["overview"] = await tab.axe(axe)
        await tab.click(f"a[href^='/staff/surveys/{KEY}?']")
        await tab.choose("#by", "school")
        await tab.click(".period-form button[type=submit]")
        drill = await tab.text()
        assert "Opdel efter: Uddannelse" in drill and "Tid hos kontaktperson" in drill
        results["drill-down"] = await tab.axe(axe)
        await tab.screenshot("third-survey-drill-down")

        young = await browser.new_tab()
        await young.viewport(390, 844, mobile=True)
        await young.goto(f"{base}/s/{token}")
        assert "How has the youth service been for you?" in await young.text()  # the browser asks for English
        results["welcome"] = await young.axe(axe)
        await young.click("form button[type=submit]")
        question = await young.text()
        assert "1 of 4" in question and "Overall, how satisfied are you with the youth service?" in question
        results["question"] = await young.axe(axe)
    found = {page: serious(violations) for page, violations in results.items() if serious(violations)}
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
