"""The staff pages in a real browser: headless Chromium against a real ``tilfreds run`` on a fresh data directory.

What a member of staff does on day one: an account is made with ``tilfreds staff add`` (and the demo data with
``tilfreds demo seed``), they log in, see the results against the 80% goal, download the committee report, create
invitations, download the links and open the QR sheet for printing; on a phone-sized screen too. Every main page
is checked with axe-core (WCAG 2.1 A/AA): no serious or critical violations. Screenshots land in
``tests/artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web import chromium
from tests.web.running import free_port, running, tilfreds, tilfreds_env

pytestmark = pytest.mark.slow

PASSWORD = "korrekt hest batteri"
BOT = "JobcenterFredericiaBot"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``tilfreds run`` on a new SQLite database, with one staff account; yields its base URL."""
    home = tmp_path_factory.mktemp("tilfreds-run")
    env = tilfreds_env(free_port(), TILFREDS_TELEGRAM_BOT_USERNAME=BOT)
    tilfreds(home, env, "staff", "add", "anna", stdin=PASSWORD + "\n")
    tilfreds(home, env, "demo", "seed", "--responses", "1500", "--seed", "7")
    with running(home, env) as base:
        yield base


async def log_in(tab: chromium.Tab, base: str) -> None:
    await tab.goto(f"{base}/staff/")
    assert (await tab.url()).startswith(f"{base}/staff/login")
    await tab.fill("#username", "anna")
    await tab.fill("#password", PASSWORD)
    await tab.click("button[type=submit]")


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


async def test_log_in_create_invitations_download_links_and_print_the_sheet(
    server: str, devtools: str, tmp_path: Path
) -> None:
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab(download_dir=tmp_path)
        await tab.viewport(1280, 900)

        await tab.goto(f"{server}/staff/invitations")
        login_text = await tab.text()
        assert "Log ind" in login_text and "Brugernavn" in login_text
        await tab.fill("#username", "anna")
        await tab.fill("#password", "wrong password")
        await tab.click("button[type=submit]")
        assert "Forkert brugernavn eller adgangskode." in await tab.text()
        await tab.fill("#password", PASSWORD)
        await tab.click("button[type=submit]")
        assert await tab.url() == f"{server}/staff/invitations"  # back where they wanted to go
        page = await tab.text()
        assert "Logget ind som anna" in page and "Nye invitationer" in page
        await tab.screenshot("staff-invitations")

        await tab.choose("#segment_benefit", "sygedagpenge")
        await tab.fill("#count", "6")
        await tab.click("form.card button[type=submit]")
        assert "/staff/invitations/" in await tab.url()
        assert "6 invitationer er oprettet" in await tab.text()

        await tab.click("a[href$='links.csv']", navigates=False)
        downloaded = await chromium.wait_for_file(tmp_path, ".csv")
        rows = list(csv.DictReader(io.StringIO(downloaded.read_text(encoding="utf-8-sig")), delimiter=";"))
        assert len(rows) == 6 and all(r["link"].startswith(f"https://t.me/{BOT}?start=") for r in rows)

        await tab.click("a[href$='/sheet']")
        sheet = await tab.text()
        assert sheet.count("Scan koden med mobilen — så åbner Telegram.") == 6
        assert await tab.eval("document.querySelectorAll('svg.qr').length") == 6
        await tab.screenshot("staff-qr-sheet")
        await tab.send("Emulation.setEmulatedMedia", media="print")
        hidden = await tab.eval("getComputedStyle(document.querySelector('.screen-only')).display")
        assert hidden == "none"  # the instructions are not printed, only the cards
        await tab.send("Emulation.setEmulatedMedia", media="")
        printed = base64.b64decode((await tab.send("Page.printToPDF", preferCSSPageSize=True))["data"])
        (chromium.ARTIFACTS / "staff-qr-sheet.pdf").write_bytes(printed)
        pages = len(re.findall(rb"/Type\s*/Page\b", printed))
        assert pages == 1, f"six invitations should fill one A4 page, not {pages}"
        assert b"/MediaBox [0 0 594.9" in printed  # A4: 210 x 297 mm

        await tab.goto(f"{server}/staff/invitations")
        listing = await tab.text()
        assert "Sygedagpenge" in listing and "åben" in listing


async def test_the_overview_shows_the_demo_results_and_the_committee_report_downloads(
    server: str, devtools: str, tmp_path: Path
) -> None:
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab(download_dir=tmp_path)
        await tab.viewport(1280, 1000)
        await log_in(tab, server)
        assert await tab.url() == f"{server}/staff/overview"
        text = await tab.text()
        assert "Borgerevaluering" in text and "Virksomhedsundersøgelse" in text
        assert text.count("Mål: 80 %") == 2
        assert re.search(r"\d+ %\s+tilfredse", text), "the headline share is missing"
        assert any(word in text for word in ("opfyldt", "ikke opfyldt", "endnu ikke påvist"))
        assert await tab.eval("document.querySelectorAll('figure.chart svg').length") == 2
        await tab.screenshot("staff-overview-top", full_page=False)
        await tab.screenshot("staff-overview")

        await tab.click("a[href^='/staff/surveys/citizen/report.xlsx']", navigates=False)
        xlsx = await chromium.wait_for_file(tmp_path, ".xlsx")
        with zipfile.ZipFile(xlsx) as archive:
            assert "xl/workbook.xml" in archive.namelist()
        await tab.click("a[href^='/staff/surveys/citizen/report.html']", navigates=False)
        report = await chromium.wait_for_file(tmp_path, ".html")
        assert "80" in report.read_text(encoding="utf-8")

        await tab.click("a[href^='/staff/surveys/employer?']")
        await tab.choose("#by", "size")
        await tab.click(".period-form button[type=submit]")
        assert "Opdel efter: Antal ansatte" in await tab.text()
        await tab.screenshot("staff-survey-employer")


async def test_pages_are_readable_on_a_phone(server: str, devtools: str) -> None:
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(390, 844, mobile=True)
        await log_in(tab, server)
        for path in ("/staff/overview", "/staff/invitations"):
            await tab.goto(server + path)
            # Compare with the device's width: a mobile browser would zoom out to fit a wider page.
            width = await tab.eval("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px phone"
            font = await tab.eval("parseFloat(getComputedStyle(document.body).fontSize)")
            assert font >= 16
            await tab.screenshot("staff-phone" + path.replace("/", "-"))


async def test_keyboard_users_can_skip_to_the_content(server: str, devtools: str) -> None:
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.goto(f"{server}/staff/login")
        assert await tab.press("Tab") == "a:Gå til indhold"  # the first Tab shows the skip link
        assert await tab.eval("document.querySelector('.skip').getBoundingClientRect().left") >= 0
        outline = await tab.eval("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", "focus must be visible"
        await tab.press("Enter")
        assert await tab.press("Tab") == "input:username"  # straight past the header to the form


async def test_main_pages_have_no_serious_accessibility_violations(server: str, devtools: str, axe: str) -> None:
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.goto(f"{server}/staff/login")
        results = {"login": await tab.axe(axe)}
        await log_in(tab, server)
        results["overview"] = await tab.axe(axe)
        await tab.goto(f"{server}/staff/surveys/citizen?by=benefit")
        results["drill-down"] = await tab.axe(axe)
        await tab.goto(f"{server}/staff/invitations")
        results["invitations"] = await tab.axe(axe)
        await tab.fill("#count", "0")
        await tab.click("form.card button[type=submit]")
        assert "Ret felterne markeret nedenfor." in await tab.text()
        results["invitations with errors"] = await tab.axe(axe)
        await tab.fill("#count", "2")
        await tab.click("form.card button[type=submit]")
        results["batch"] = await tab.axe(axe)
        await tab.click("a[href$='/sheet']")
        results["qr sheet"] = await tab.axe(axe)
        await tab.goto(f"{server}/staff/lang?set=en&next=/staff/invitations")
        assert "Create invitations" in await tab.text()
        results["invitations in English"] = await tab.axe(axe)
        found = {page: serious(violations) for page, violations in results.items() if serious(violations)}
        assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


async def test_the_overview_prints_on_a4_with_every_column_and_the_follow_up_button_downloads(
    server: str, devtools: str, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab(download_dir=tmp_path)
        await tab.viewport(1280, 1000)
        await log_in(tab, server)
        printed = base64.b64decode((await tab.send("Page.printToPDF", preferCSSPageSize=True))["data"])
        (chromium.ARTIFACTS / "staff-overview.pdf").write_bytes(printed)
        paper = PdfReader(io.BytesIO(printed))
        assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in paper.pages} == {(595, 842)}
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in paper.pages)
        # The last column of every segment table (closed ones too) is on the paper, besides each headline's.
        from surveys import builtin_surveys

        tables = sum(len(survey.segments) for survey in builtin_surveys().values())
        assert text.count("Svarprocent") >= len(builtin_surveys()) + tables
        assert "Hent rapporten" not in text and "Opfølgning til udvalget" not in text  # the controls are not

        await tab.click("form[action='/staff/followup/committee'] button", navigates=False)
        archive = await chromium.wait_for_file(tmp_path, ".zip", timeout=120)
        with zipfile.ZipFile(archive) as files:
            names = files.namelist()
        assert {name.rsplit(".", 1)[1] for name in names} == {"xlsx", "html", "pdf"}
        assert any(name.startswith("citizen-committee-") for name in names)


async def test_staff_see_which_languages_are_drafts_and_results_by_language(
    server: str, devtools: str, axe: str
) -> None:
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(1280, 1000)
        await log_in(tab, server)
        rows = await tab.eval(
            "[...document.querySelectorAll('#languages-title ~ .table-wrap tbody tr')].map(r => r.innerText)"
        )
        assert len(rows) == 8
        drafts = [row for row in rows if "Kladde – skal læses af en med sproget som modersmål" in row]
        assert len(drafts) == 6 and any("العربية" in row and "højre mod venstre" in row for row in drafts)
        assert sum("Gennemlæst" in row for row in rows) == 2  # Danish and English
        # The language names are marked up in their own language and direction, for screen readers.
        assert await tab.eval("document.querySelector('span[lang=ar]').dir") == "rtl"

        await tab.goto(f"{server}/staff/surveys/citizen")
        await tab.choose("#by", "language")
        await tab.click(".period-form button[type=submit]")
        assert "Opdel efter: Sprog" in await tab.text()
        violations = serious(await tab.axe(axe))
        assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


async def test_the_staff_layout_mirrors_right_to_left(server: str, devtools: str, axe: str) -> None:
    """The stylesheet uses logical properties (start/end), so a right-to-left page mirrors by itself."""
    async with chromium.connect(devtools) as browser:
        tab = await browser.new_tab()
        await tab.viewport(1280, 1000)
        await log_in(tab, server)
        margins = "(() => { const s = getComputedStyle(document.querySelector('.brand span'));"
        margins += " return [s.marginLeft, s.marginRight]; })()"
        assert await tab.eval(margins) == ["8px", "0px"]
        await tab.eval("document.documentElement.dir = 'rtl'")
        assert await tab.eval("getComputedStyle(document.body).direction") == "rtl"
        assert await tab.eval(margins) == ["0px", "8px"]
        number = await tab.eval("getComputedStyle(document.querySelector('td.num')).textAlign")
        assert number == "end"
        cell = await tab.eval(
            "(() => { const c = document.querySelector('th[scope=row]'); const r = document.createRange();"
            " r.selectNodeContents(c); return [c.getBoundingClientRect().right - r.getBoundingClientRect().right,"
            " r.getBoundingClientRect().left - c.getBoundingClientRect().left]; })()"
        )
        assert cell[0] < cell[1], "a row heading should hug the right edge of its cell in right-to-left"
        await tab.screenshot("staff-overview-rtl", full_page=False)
