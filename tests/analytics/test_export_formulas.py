"""No export opens with a live formula (OWASP CSV injection, ASVS 5.3.x): report csv/xlsx and raw csv/xlsx.

Segment values arrive from invitations; here they are hostile and the groups are large enough to be shown.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analytics.exports.cells import FORMULA_START, neutralise
from analytics.periods import parse_period
from analytics.service import export_raw, export_report, make_report
from db.database import Database
from tests.analytics.factories import CITIZEN, add_many, add_version, at

TODAY = date(2026, 11, 26)
HOSTILE = ['=HYPERLINK("https://evil.example","Klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


async def _seed(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        for value in HOSTILE:
            await add_many(session, version, 6, headline=5, when=at(2026, 5, 1), segments={"benefit": value})
        await session.commit()


def _looks_like_a_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


async def _report(database: Database):
    await _seed(database)
    return await make_report(database, CITIZEN, parse_period("2026", TODAY), tz="Europe/Copenhagen", min_cell_size=5)


async def test_report_csv_keeps_hostile_segment_values_as_text(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "rapport.csv"
    await export_report(database, [await _report(database)], "csv", path, actor="test")
    cells = [cell for row in csv.reader(path.open(encoding="utf-8-sig"), delimiter=";") for cell in row]
    assert not [c for c in cells if _looks_like_a_formula(c)]
    for value in HOSTILE:
        assert "'" + value in cells  # shown, as text


async def test_report_xlsx_has_no_formula_cells(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "rapport.xlsx"
    await export_report(database, [await _report(database)], "xlsx", path, actor="test")
    book = load_workbook(path)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f" or _looks_like_a_formula(c.value)]
    shown = {c.value for c in cells}
    assert all("'" + value in shown for value in HOSTILE)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_raw_exports_have_no_formula_cells(database: Database, tmp_path: Path, fmt: str) -> None:
    await _seed(database)
    path = tmp_path / f"raw.{fmt}"
    await export_raw(database, CITIZEN, parse_period("2026", TODAY), fmt, path, tz="Europe/Copenhagen", actor="t")
    if fmt == "csv":
        cells = [cell for row in csv.reader(path.open(encoding="utf-8-sig"), delimiter=";") for cell in row]
    else:
        sheet = load_workbook(path)["Svar"]
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert not [c for c in cells if _looks_like_a_formula(c)]
    assert "'" + HOSTILE[0] in cells


def test_the_rule() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("Kontanthjælp") == "Kontanthjælp"
    assert neutralise(-3) == -3 and neutralise(0.5) == 0.5 and neutralise(None) is None
