"""The comments page and the call-back list in headless Chromium, against a real ``tilfreds run`` with the demo
data: axe-core finds no serious or critical WCAG 2.1 A/AA violation at 1280 px and at 390 px, nothing is wider
than a phone, and staff can tag a comment and mark a call-back handled with the keyboard-reachable forms."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from db.database import Database
from db.repo import callbacks
from tests.web import chromium
from tests.web.running import free_port, running, tilfreds, tilfreds_env
from tests.web.test_browser import BOT, PASSWORD, log_in, serious

pytestmark = pytest.mark.slow


def add_requests(home: Path) -> None:
    async def go() -> None:
        database = Database(f"sqlite+aiosqlite:///{home / 'data' / 'tilfreds.sqlite3'}")
        try:
            async with database.sessions.begin() as session:
                for text, unit in (("+45 12 34 56 78", "ungeenheden"), ("ring.mig@example.dk", None)):
                    segments = {"unit": unit} if unit else {}
                    await callbacks.request_callback(
                        session, survey_key="citizen", segments=segments, contact_text=text, today=date.today()
                    )
        finally:
            await database.dispose()

    asyncio.run(go())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo server with two call-back requests waiting."""
    home = tmp_path_factory.mktemp("tilfreds-callbacks")
    env = tilfreds_env(free_port(), TILFREDS_TELEGRAM_BOT_USERNAME=BOT)
    tilfreds(home, env, "staff", "add", "anna", stdin=PASSWORD + "\n")
    tilfreds(home, env, "demo", "seed", "--responses", "1500", "--seed", "7")
    add_requests(home)
    with running(home, env) as base:
        yield base


@pytest.mark.parametrize("width", [1280, 390])
async def test_comments_and_callbacks_are_accessible_and_fit(
    server: str,
    devtools: str,
    axe: str,
    width: int,
) -> None:
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(width, 900, mobile=width < 500)
        await log_in(tab, server)
        results = {}

        await tab.goto(f"{server}/staff/surveys/citizen/comments")
        text = await tab.text()
        assert "Kommentarer: Borgerevaluering" in text and "kommentarer fra et udvalg på" in text
        assert await tab.eval("document.querySelectorAll('li.comment').length") == 25
        results["comments"] = await tab.axe(axe)
        if width == 1280:
            await tab.fill("#theme-name", "ventetid")
            await tab.click("form[action$='/themes'] button")
            await tab.click("li.comment .tag-form button[value='1']")
            assert "Temaer: ventetid" in await tab.text()
        results["comments with themes"] = await tab.axe(axe)
        await tab.goto(f"{server}/staff/surveys/citizen/comments?score=1&language=en&channel=web")
        assert "Kommentarerne vises ikke" in await tab.text()
        results["comments, too few"] = await tab.axe(axe)
        await tab.screenshot(f"staff-comments-{width}")
        wide = await tab.eval("document.documentElement.scrollWidth")
        assert wide <= width, f"the comments page is {wide}px wide at {width}px"

        await tab.goto(f"{server}/staff/callbacks")
        listing = await tab.text()
        assert "Ring mig op" in listing
        results["call-backs"] = await tab.axe(axe)
        assert "+45 12 34 56 78" in listing and "ring.mig@example.dk" in listing
        if width == 1280:
            await tab.click("form[action='/staff/callbacks/handled'] button")
            assert "Markeret som klaret." in await tab.text()
            results["call-backs, handled"] = await tab.axe(axe)
        wide = await tab.eval("document.documentElement.scrollWidth")
        assert wide <= width, f"the call-back list is {wide}px wide at {width}px"
        await tab.screenshot(f"staff-callbacks-{width}")
        found = {page: serious(violations) for page, violations in results.items() if serious(violations)}
        assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
