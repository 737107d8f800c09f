"""`tilfreds report`, `tilfreds export` and `tilfreds schedule` as staff run them."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from db.database import Database
from db.models import AuditEntry
from tests.analytics.factories import add_many, add_version, at, seed_25_of_30
from tilfreds.cli import cli
from tilfreds.settings import SETTINGS_DOCS


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> str:
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TILFREDS_DATABASE_URL", database_url)
    monkeypatch.setenv("TILFREDS_DATA_DIR", str(tmp_path / "data"))
    return database_url


@pytest.fixture
def seeded(env: str) -> str:
    async def go() -> None:
        database = Database(env)
        try:
            await seed_25_of_30(database)
        finally:
            await database.dispose()

    asyncio.run(go())
    return env


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def audit_rows(url: str) -> list[AuditEntry]:
    async def go() -> list[AuditEntry]:
        database = Database(url)
        try:
            async with database.sessions() as session:
                return list((await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())
        finally:
            await database.dispose()

    return asyncio.run(go())


def test_report_json_by_segment(seeded: str) -> None:
    result = run("report", "--survey", "citizen", "--period", "2026", "--by", "benefit", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["definition"]["min_cell_size"] == 5 and "Wilson" in body["definition"]["interval_method"]["en"]
    overall, *groups = body["rows"]
    assert overall == {
        "survey": "citizen",
        "period": "2026",
        "filter": None,
        "segment": None,
        "n": 30,
        "satisfied": 25,
        "share": 0.8333,
        "ci_low": 0.6644,
        "ci_high": 0.9266,
        "status": "not_yet_shown",
        "suppressed": False,
        "response_rate": None,
    }
    by_value = {g["segment"]["benefit"]: g for g in groups}
    assert by_value["kontanthjaelp"]["n"] == 21 and by_value["kontanthjaelp"]["share"] == round(20 / 21, 4)
    assert by_value["a-dagpenge"]["n"] == "<5" and by_value["a-dagpenge"]["share"] is None
    assert by_value["sygedagpenge"]["suppressed"] and by_value["sygedagpenge"]["satisfied"] is None
    assert body["change"]["against"] == "2025" and body["change"]["diff"] == round(25 / 30 - 16 / 20, 4)


def test_report_by_language_shows_each_language_suppressed_like_any_segment(seeded: str) -> None:
    async def go() -> None:
        database = Database(seeded)
        try:
            async with database.sessions() as session:
                version = await add_version(session, version=2)
                may = at(2026, 5, 2)
                await add_many(session, version, 6, headline=5, when=may, language="ar")
                await add_many(session, version, 2, headline=4, when=may, language="uk")
                await add_many(session, version, 3, headline=2, when=may, language="pl")
                await session.commit()
        finally:
            await database.dispose()

    asyncio.run(go())
    result = run("report", "--survey", "citizen", "--period", "2026", "--by", "language", "--format", "json")
    assert result.exit_code == 0, result.output
    overall, *groups = json.loads(result.output)["rows"]
    assert overall["n"] == 41
    by_language = {g["segment"]["language"]: g for g in groups}
    assert list(by_language) == ["da", "uk", "ar", "pl"]  # the survey's order
    assert by_language["da"]["n"] == 30 and by_language["da"]["satisfied"] == 25
    assert by_language["ar"]["n"] == 6 and by_language["ar"]["share"] == 1.0
    assert by_language["uk"]["n"] == "<5" and by_language["uk"]["share"] is None  # small groups stay hidden
    assert by_language["pl"]["n"] == "<5" and by_language["pl"]["satisfied"] is None
    table = CliRunner().invoke(
        cli, ["report", "--survey", "citizen", "--period", "2026", "--by", "language"], terminal_width=160
    )
    assert "Arabisk (العربية)" in table.output and "Ukrainsk (Українська)" in table.output


def test_report_table_in_danish_by_default_and_in_english(seeded: str) -> None:
    args = ["report", "--survey", "citizen", "--period", "2026", "--by", "benefit"]
    danish = CliRunner().invoke(cli, args, terminal_width=160)
    assert danish.exit_code == 0, danish.output
    assert "83,3 %" in danish.output and "66,4 %–92,7 %" in danish.output and "endnu ikke påvist" in danish.output
    assert "Alle svar" in danish.output and "Ændring mod 2025: +3,3 procentpoint" in danish.output
    assert "83.3%" not in danish.output
    result = CliRunner().invoke(cli, [*args, "--lang", "en"], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "83.3%" in result.output and "66.4%–92.7%" in result.output and "not yet shown" in result.output
    assert "<5" in result.output and "Kontanthjælp" in result.output
    assert "Change against 2025" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--survey", "customers"], "unknown survey 'customers'"),
        (["--survey", "citizen", "--period", "2026-Q5"], "cannot read the period '2026-Q5'"),
        (["--survey", "citizen", "--period", "2026-02-30:2026-03-01"], "not a real date"),
        (["--survey", "citizen", "--by", "colour"], "unknown segment key 'colour'"),
        (["--survey", "employer", "--by", "benefit"], "known keys: industry, size, service"),
    ],
)
def test_report_bad_input_exits_2_with_a_clear_message(env: str, args: list[str], message: str) -> None:
    result = run("report", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_export_files_and_audit(seeded: str, tmp_path: Path) -> None:
    for fmt in ("xlsx", "csv", "html"):
        result = run(
            "export",
            "--survey",
            "citizen",
            "--period",
            "2026",
            "--format",
            fmt,
            "--out",
            str(tmp_path / f"udvalg.{fmt}"),
            "--actor",
            "mette",
        )
        assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "udvalg.xlsx")["Ydelse"]["A3"].value == "A-dagpenge"
    frame = pd.read_csv(tmp_path / "udvalg.csv", sep=";", decimal=",", encoding="utf-8-sig")
    assert frame.loc[0, "Andel tilfredse"] == 0.8333
    assert "83 %" in (tmp_path / "udvalg.html").read_text(encoding="utf-8")
    entries = audit_rows(seeded)
    assert [(e.actor, e.detail["format"], e.detail["file"]) for e in entries] == [
        ("mette", "xlsx", "udvalg.xlsx"),
        ("mette", "csv", "udvalg.csv"),
        ("mette", "html", "udvalg.html"),
    ]


def test_raw_export_and_its_refusals(seeded: str, tmp_path: Path) -> None:
    result = run(
        "export",
        "--raw",
        "--survey",
        "citizen",
        "--period",
        "2025",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "svar.csv"),
    )
    assert result.exit_code == 0, result.output
    assert "20 responses" in result.output
    frame = pd.read_csv(tmp_path / "svar.csv", sep=";", encoding="utf-8-sig")
    assert len(frame) == 20 and "respondent_id" not in frame.columns
    assert audit_rows(seeded)[-1].detail["kind"] == "raw"
    html = run("export", "--raw", "--survey", "citizen", "--format", "html", "--out", str(tmp_path / "x.html"))
    assert html.exit_code == 2 and "not html" in html.output
    nowhere = run("export", "--survey", "citizen", "--format", "csv", "--out", str(tmp_path / "no" / "x.csv"))
    assert nowhere.exit_code == 2 and "does not exist" in nowhere.output
    bad = run("export", "--survey", "citizen", "--format", "docx", "--out", str(tmp_path / "x.docx"))
    assert bad.exit_code == 2
    two = run(
        "export",
        "--raw",
        "--survey",
        "citizen",
        "--period",
        "2025",
        "--period",
        "2026",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "y.csv"),
    )
    assert two.exit_code == 2 and "one --period" in two.output


def test_committee_file_with_two_periods(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "udvalg.html"
    result = run(
        "export", "--survey", "citizen", "--period", "2026", "--period", "2025", "--format", "html", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "2026: 1. januar 2026" in html and "2025: 1. januar 2025" in html
    assert "83 %" in html and "80 %" in html  # 25 of 30 in 2026, 16 of 20 in 2025
    assert audit_rows(seeded)[-1].detail["periods"] == ["2026", "2025"]


def test_schedule_lists_jobs_and_next_runs(env: str) -> None:
    result = CliRunner().invoke(cli, ["schedule"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for job in ("committee", "annual", "retention"):
        assert job in result.output
    assert "0 6 1 3,10 *" in result.output and "-03-01 06:00" in result.output
    assert "never" in result.output  # no job has run on a fresh database


def test_schedule_shows_the_last_run(env: str, tmp_path: Path) -> None:
    from analytics.jobs import JobContext, run_due
    from tilfreds.settings import load_settings

    async def go() -> None:
        database = Database(env)
        try:
            await run_due(
                JobContext(load_settings(), database), datetime(2026, 11, 26, 2, 30, tzinfo=UTC), ["retention"]
            )
        finally:
            await database.dispose()

    asyncio.run(go())
    result = CliRunner().invoke(cli, ["schedule"])
    assert result.exit_code == 0, result.output
    assert "2026-11-26 03:30: deleted 0 responses" in result.output


def test_a_withheld_breakdown_is_said_not_silently_dropped(env: str) -> None:
    from tests.analytics.factories import add_many, add_version, at

    async def go() -> None:
        database = Database(env)
        try:
            async with database.sessions() as session:
                version = await add_version(session)
                await add_many(session, version, 9, headline=5, when=at(2026, 5, 1), segments={"unit": "ungeenheden"})
                await add_many(session, version, 2, headline=5, when=at(2026, 5, 1), segments={"unit": "integration"})
                await session.commit()
        finally:
            await database.dispose()

    asyncio.run(go())
    result = run("report", "--survey", "citizen", "--period", "2026", "--by", "unit", "--format", "json")
    body = json.loads(result.output)
    assert [row["segment"] for row in body["rows"]] == [None]
    assert body["notes"] and "breakdown by unit is not shown" in body["notes"][0]
    assert body["rows"][0]["n"] == 11


def test_report_filtered_to_one_value_and_broken_down_by_another(env: str) -> None:
    from tests.analytics.factories import add_many, add_version, at

    async def go() -> None:
        database = Database(env)
        try:
            async with database.sessions() as session:
                version = await add_version(session)
                may = at(2026, 5, 1)
                kontant = {"benefit": "kontanthjaelp"}
                await add_many(session, version, 9, headline=5, when=may, segments={**kontant, "unit": "ungeenheden"})
                await add_many(session, version, 3, headline=2, when=may, segments={**kontant, "unit": "voksen"})
                await add_many(session, version, 8, headline=2, when=may, segments={**kontant, "unit": "job"})
                await add_many(session, version, 40, headline=1, when=may, segments={"benefit": "a-dagpenge"})
                await session.commit()
        finally:
            await database.dispose()

    asyncio.run(go())
    args = ["report", "--survey", "citizen", "--period", "2026", "--filter", "benefit=kontanthjaelp"]
    result = run(*args, "--by", "unit", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["filter"] == {"benefit": "kontanthjaelp"}
    overall, *groups = body["rows"]
    assert (overall["n"], overall["satisfied"]) == (20, 9)  # the 40 a-dagpenge answers are left out
    by_unit = {next(iter(row["segment"].values())): row["n"] for row in groups}
    # Suppressed exactly as in the exports: voksen's 3 is hidden, and so is the smallest other group.
    assert by_unit["voksen"] == "<5" and list(by_unit.values()).count("–") == 1
    assert all(row["filter"] == {"benefit": "kontanthjaelp"} for row in body["rows"])
    table = run(*args, "--by", "unit")
    assert table.exit_code == 0 and "20" in table.output
    for bad, says in (("benefit", "KEY=VALUE"), ("nosuch=x", "unknown segment key"), ("benefit=x", "unknown value")):
        refused = run("report", "--survey", "citizen", "--filter", bad)
        assert refused.exit_code != 0 and says in refused.output and "Traceback" not in refused.output


def _set_channel(url: str, benefits: tuple[str, ...]) -> None:
    async def go() -> None:
        from sqlalchemy import update

        from db.models import Response

        database = Database(url)
        try:
            async with database.sessions.begin() as session:
                await session.execute(
                    update(Response).where(Response.segments["benefit"].as_string().in_(benefits)).values(channel="web")
                )
        finally:
            await database.dispose()

    asyncio.run(go())


def test_report_by_channel_shows_telegram_and_browser_answers_apart(seeded: str) -> None:
    _set_channel(seeded, ("sygedagpenge", "a-dagpenge"))  # 9 answers in the browser, 5 of them satisfied
    result = run("report", "--survey", "citizen", "--period", "2026", "--by", "channel", "--format", "json")
    assert result.exit_code == 0, result.output
    overall, *groups = json.loads(result.output)["rows"]
    assert overall["n"] == 30
    by_channel = {g["segment"]["channel"]: (g["n"], g["satisfied"]) for g in groups}
    assert by_channel == {"telegram": (21, 20), "web": (9, 5)}


def test_a_small_channel_is_hidden_like_any_small_group(seeded: str) -> None:
    _set_channel(seeded, ("a-dagpenge",))  # 4 answers in the browser: 26 of 30 would give them away
    result = run("report", "--survey", "citizen", "--period", "2026", "--by", "channel", "--format", "json")
    body = json.loads(result.output)
    assert [row["segment"] for row in body["rows"]] == [None]
    assert "breakdown by channel is not shown" in body["notes"][0]
    assert '"web"' not in result.output
