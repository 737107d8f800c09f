"""The PDF committee paper, read back with pypdf: A4, few pages, the JSON report's numbers, the footer."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from analytics.exports.html import pct, points
from db.database import Database
from surveys import builtin_surveys
from tests.analytics.factories import seed_25_of_30
from tilfreds.cli import cli
from tilfreds.settings import SETTINGS_DOCS

A4 = (595, 842)  # points, rounded: 210 × 297 mm
HEADINGS = ("Udvikling i perioden", "Spørgsmålene", "Sådan er tallene lavet")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TILFREDS_DATABASE_URL", database_url)
    monkeypatch.setenv("TILFREDS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TILFREDS_ORGANISATION_NAME", "Jobcenter Prøvested")
    return database_url


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def words(text: str | None) -> str:
    return " ".join((text or "").split())


def page_texts(path: Path) -> list[str]:
    return [words(page.extract_text()) for page in PdfReader(path).pages]


def is_heading(line: str) -> bool:
    return line.startswith("Opdelt på ") or line in HEADINGS or bool(re.fullmatch(r"\S+: \d+\. \w+ \d{4} – .*", line))


def assert_a4_and_tidy(path: Path, organisation: str) -> list[str]:
    """Every page A4 with its number and the footer; no page ends on a heading; the definitions come last."""
    reader = PdfReader(path)
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {A4}
    count = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        lines = [words(line) for line in (page.extract_text() or "").splitlines() if line.strip()]
        footer = lines[-1]
        assert re.fullmatch(
            rf"{organisation} · .+, .+ · dannet \d\d-\d\d-\d{{4}} \d\d:\d\d Side {number} af {count}", footer
        ), footer
        assert not is_heading(lines[-2]), f"page {number} ends on the heading {lines[-2]!r}"
    texts = page_texts(path)
    whole = " ".join(texts)
    assert max(whole.rindex("Opdelt på"), whole.rindex("Spørgsmålene")) < whole.index("Sådan er tallene lavet")
    # Tagged for screen readers (PDF/UA), in Danish; charts are drawn, not pasted in as pictures.
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "da" and root["/MarkInfo"]["/Marked"]
    assert all(not page.images for page in reader.pages)
    return texts


def test_pdf_paper_holds_the_json_reports_numbers_on_a4(env: str, tmp_path: Path) -> None:
    async def seed() -> None:
        database = Database(env)
        try:
            await database.upgrade()
            await seed_25_of_30(database)
        finally:
            await database.dispose()

    asyncio.run(seed())
    paper = tmp_path / "udvalg.pdf"
    run("export", "--survey", "citizen", "--period", "2026", "--format", "pdf", "--out", str(paper))
    texts = assert_a4_and_tidy(paper, "Jobcenter Prøvested")
    assert len(texts) <= 4
    text = " ".join(texts)
    assert "Kort fortalt:" in text and "mål 80 %" in text  # the summary; the trend chart's goal line, as text
    report = json.loads(
        run("report", "--survey", "citizen", "--period", "2026", "--by", "benefit", "--format", "json").output
    )
    overall = report["rows"][0]
    assert (
        f"{pct(overall['share'])} af dem, der svarede, er tilfredse ({overall['satisfied']} af {overall['n']})" in text
    )
    assert f"95 %-interval {pct(overall['ci_low'])}–{pct(overall['ci_high'])}" in text
    assert "endnu ikke påvist" in text and overall["status"] == "not_yet_shown"
    change = report["change"]
    assert f"Ændring mod {change['against']}" in text and points(change["diff"]).replace(" procentpoint", "") in text
    shown = [row for row in report["rows"][1:] if not row["suppressed"]]
    assert shown, "the benefit breakdown has a visible group"
    for row in shown:  # a table row: n, satisfied, share, interval
        cells = f"{row['n']} {row['satisfied']} {pct(row['share'])} {pct(row['ci_low'])}–{pct(row['ci_high'])}"
        assert cells in text, cells
    for row in report["rows"][1:]:
        if row["suppressed"]:
            assert f"{row['n']} skjult (små grupper)" in text


def test_every_follow_up_paper_fits_four_pages_per_survey_with_demo_data(env: str, tmp_path: Path) -> None:
    run("demo", "seed", "--responses", "3000", "--today", "2026-09-20")
    run("followup", "committee", "--as-of", "2026-10-01", "--out", str(tmp_path / "out"))
    papers = sorted((tmp_path / "out").glob("*.pdf"))
    assert [p.name.split("-")[0] for p in papers] == sorted(builtin_surveys())
    for paper in papers:
        texts = assert_a4_and_tidy(paper, "Jobcenter Prøvested")
        assert len(texts) <= 4, f"{paper.name} has {len(texts)} pages"
        # Who answered stays on paper: by channel and by language, for both periods.
        whole = " ".join(texts)
        assert whole.count("Opdelt på kanal") == 2 and whole.count("Opdelt på sprog") == 2
        assert "Telegram" in whole and "Tigrinya (ትግርኛ)" in whole
        # Both periods of the committee paper, each with the share against the goal.
        assert "2026-YTD: 1. januar 2026 – 30. september 2026" in texts[0]
        assert "2025: 1. januar 2025 – 31. december 2025" in " ".join(texts)
