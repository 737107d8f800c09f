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
from tests.analytics.factories import CITIZEN, seed_25_of_30

TODAY = date(2026, 11, 26)


async def _report(database: Database):
    await seed_25_of_30(database)
    return await make_report(database, CITIZEN, parse_period("2026", TODAY), tz="Europe/Copenhagen",
                             min_cell_size=5)


async def test_xlsx_opens_and_holds_the_numbers(database: Database, tmp_path: Path) -> None:
    report = await _report(database)
    path = tmp_path / "rapport.xlsx"
    await export_report(database, [report], "xlsx", path, actor="test")
    book = load_workbook(path)
    assert book.sheetnames == ["Oversigt", "Ydelse", "Enhed", "Spørgsmål", "Definitioner"]
    summary = book["Oversigt"]
    kpi = next(row for row in summary.iter_rows(values_only=True) if row[0] == "2026")
    assert kpi[1:4] == (30, 25, 25 / 30) and round(kpi[4], 3) == 0.664 and round(kpi[5], 3) == 0.927
    assert kpi[7] == "endnu ikke påvist"
    assert summary._charts, "the summary sheet has a chart"
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
