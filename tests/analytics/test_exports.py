"""The files staff hand to the committee: they open, hold the numbers, hide small groups, and are audited."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from sqlalchemy import select

from analytics.periods import parse_period
from analytics.service import export_report, make_report
from db.database import Database
from db.models import AuditEntry
from tests.analytics.factories import CITIZEN, add_response, add_version, at, seed_25_of_30

TODAY = date(2026, 11, 26)


async def _report(database: Database):
    await seed_25_of_30(database)
    return await make_report(database, CITIZEN, parse_period("2026", TODAY), tz="Europe/Copenhagen", min_cell_size=5)


async def test_xlsx_opens_and_holds_the_numbers(database: Database, tmp_path: Path) -> None:
    report = await _report(database)
    path = tmp_path / "rapport.xlsx"
    await export_report(database, [report], "xlsx", path, actor="test")
    book = load_workbook(path)
    assert book.sheetnames == ["Oversigt", "Ydelse", "Enhed", "Spørgsmål", "Frafald", "Definitioner"]
    summary = book["Oversigt"]
    kpi = next(row for row in summary.iter_rows(values_only=True) if row[0] == "2026")
    assert kpi[1:4] == (30, 25, 25 / 30) and round(kpi[4], 3) == 0.664 and round(kpi[5], 3) == 0.927
    assert kpi[7] == "endnu ikke påvist"
    assert summary._charts, "the summary sheet has a chart"
    chart = summary._charts[0]
    assert chart.x_axis.delete is False and chart.y_axis.delete is False  # Excel shows the axes
    benefit = {row[0]: row for row in book["Ydelse"].iter_rows(min_row=3, values_only=True)}
    assert benefit["Kontanthjælp"][1:3] == (21, 20)
    assert benefit["A-dagpenge"][1:] == ("<5", None, None, None, None, 0.8, None, None)
    assert benefit["sygedagpenge"][1] == "–"
    definitions = " ".join(str(c) for row in book["Definitioner"].iter_rows(values_only=True) for c in row)
    assert "Wilson" in definitions and "færre end 5" in definitions


async def test_csv_round_trips_in_danish_excel_format(database: Database, tmp_path: Path) -> None:
    report = await _report(database)
    path = tmp_path / "rapport.csv"
    await export_report(database, [report], "csv", path, actor="test")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]
    assert b"0,8333" in raw  # decimal comma
    frame = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Antal svar": str})
    overall = frame[frame["Opdeling"] == "Alle"].iloc[0]
    assert overall["Antal svar"] == "30" and overall["Andel tilfredse"] == 0.8333
    assert overall["Nedre grænse (95 %)"] == 0.6644
    hidden = frame[frame["Gruppe"] == "A-dagpenge"].iloc[0]
    assert hidden["Antal svar"] == "<5" and pd.isna(hidden["Tilfredse"]) and pd.isna(hidden["Andel tilfredse"])


async def test_html_is_a_danish_committee_page_without_hidden_numbers(database: Database, tmp_path: Path) -> None:
    report = await _report(database)
    path = tmp_path / "rapport.html"
    await export_report(database, [report], "html", path, actor="test")
    html = path.read_text(encoding="utf-8")
    assert '<html lang="da">' in html and "@media print" in html
    assert "83 %" in html and "66 %–93 %" in html and "endnu ikke påvist" in html
    assert html.count("<svg") >= 2  # a bar per segment against the goal, and the trend
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    row = re.search(r"<tr class=\"hidden\"><td>A-dagpenge</td>.*?</tr>", html, re.S)
    assert row and "&lt;5" in row.group(0) and "25 %" not in row.group(0)
    # The hidden groups' own numbers (4 and 5 responses, 1 and 4 satisfied, 25 % and 80 %) appear nowhere.
    assert "1 af 4" not in html and "4 af 5" not in html and "(n = 4)" not in html and "(n = 5)" not in html


async def test_every_export_is_audited(database: Database, tmp_path: Path) -> None:
    report = await _report(database)
    await export_report(database, [report], "csv", tmp_path / "a.csv", actor="cli:mette")
    async with database.sessions() as session:
        entries = (await session.scalars(select(AuditEntry))).all()
    assert [(e.actor, e.action, e.rows) for e in entries] == [("cli:mette", "export", 5)]
    assert entries[0].detail["survey"] == "citizen" and entries[0].detail["file"] == "a.csv"
    assert entries[0].detail["format"] == "csv" and entries[0].detail["period"] == "2026"


async def test_raw_export_one_row_per_response_without_respondents(database: Database, tmp_path: Path) -> None:
    from analytics.service import export_raw
    from db.models import Respondent

    async with database.sessions() as session:
        version = await add_version(session)
        person = Respondent(pseudonym="f" * 64)
        session.add(person)
        await session.flush()
        first = await add_response(
            session,
            version,
            when=at(2026, 12, 31, 23, 30),
            headline=5,
            segments={"benefit": "kontanthjaelp"},
            answers={"heard": 4, "respect": "dk"},
            comment='=HYPERLINK("x")',
            respondent_id=person.id,
        )
        await add_response(session, version, when=at(2026, 6, 1), headline=2, status="in_progress")
        await add_response(session, version, when=at(2026, 6, 1), headline=4, status="withdrawn")
        await session.commit()
    period = parse_period("2027-01", TODAY)
    path = tmp_path / "raw.csv"
    rows = await export_raw(database, CITIZEN, period, "csv", path, tz="Europe/Copenhagen", actor="test")
    assert rows == 1  # 00:30 on 1 January 2027 in Copenhagen
    frame = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == [
        "svar_id",
        "version",
        "status",
        "gennemfoert_dato",
        "benefit",
        "unit",
        "overall",
        "heard",
        "respect",
        "better",
    ]
    row = frame.iloc[0]
    assert (row["svar_id"], row["overall"], row["heard"], row["respect"]) == (str(first), "5", "4", "dk")
    assert row["gennemfoert_dato"] == "2027-01-01" and row["benefit"] == "kontanthjaelp"
    assert row["better"].startswith("'=")  # stays text in Excel
    assert "f" * 64 not in path.read_text(encoding="utf-8-sig")

    year = await export_raw(
        database,
        CITIZEN,
        parse_period("2026", TODAY),
        "xlsx",
        tmp_path / "raw.xlsx",
        tz="Europe/Copenhagen",
        actor="test",
    )
    assert year == 1  # the in-progress one with a headline; the withdrawn one never
    sheet = load_workbook(tmp_path / "raw.xlsx")["Svar"]
    assert [c.value for c in sheet[2]][2] == "in_progress"
    async with database.sessions() as session:
        kinds = [(e.detail["kind"], e.rows) for e in (await session.scalars(select(AuditEntry))).all()]
    assert kinds == [("raw", 1), ("raw", 1)]


def test_bar_chart_draws_no_bar_for_a_hidden_group() -> None:
    from analytics.charts import Bar, bar_chart, trend_chart

    svg = bar_chart([Bar("Kontanthjælp", 0.9, 0.8, 0.95, "(n = 40)"), Bar("A-dagpenge", None, note="<5")])
    assert svg.count("<rect") == 1 and "&lt;5" in svg and "90 %" in svg
    assert "x1='478.0'" in svg and "mål 80 %" in svg  # the goal line at 80 % of the 360-pixel plot
    below = bar_chart([Bar("Sygedagpenge", 0.5, 0.4, 0.6)])
    assert "#c05621" in below  # wholly below the goal: drawn in the warning colour
    trend = trend_chart([Bar("2026-01", 0.8), Bar("2026-02", None, note="–"), Bar("2026-03", 0.7)])
    assert trend.count("<circle") == 2 and "<polyline" not in trend  # a hidden month breaks the line
