"""The workbook a committee secretary prints: A4 landscape, columns that fit, points, separators, the goal line."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from analytics.periods import parse_period
from analytics.service import export_report, make_report
from db.database import Database
from tests.analytics.factories import CITIZEN, add_many, add_version, at, seed_25_of_30
from tests.analytics.test_exports import TODAY


async def workbook(database: Database, tmp_path: Path):
    await seed_25_of_30(database)
    async with database.sessions() as session:  # 1,200 more in 2026, so counts need a thousands separator
        version = await add_version(session, version=2)
        await add_many(session, version, 1200, headline=4, when=at(2026, 9, 1), segments={"benefit": "kontanthjaelp"})
        await session.commit()
    report = await make_report(database, CITIZEN, parse_period("2026", TODAY), tz="Europe/Copenhagen", min_cell_size=5)
    path = tmp_path / "udvalg.xlsx"
    await export_report(database, [report], "xlsx", path, actor="test")
    return load_workbook(path), report


def shown(cell) -> str:
    """Roughly what Excel shows in the cell."""
    return f"{cell.value:.1%}" if cell.number_format == "0.0%" else str(cell.value)


def longest(sheet: Worksheet, column: str, from_row: int) -> int:
    return max((len(shown(cell)) for cell in sheet[column][from_row - 1 :] if cell.value is not None), default=0)


async def test_the_workbook_prints_on_a4_landscape_with_fitting_columns_and_frozen_headers(
    database: Database, tmp_path: Path
) -> None:
    book, _ = await workbook(database, tmp_path)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape"), sheet.title  # 9: A4
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (
            1,
            0,
        ) and sheet.sheet_properties.pageSetUpPr.fitToPage
    summary, benefit = book["Oversigt"], book["Ydelse"]
    assert summary.freeze_panes == "B5" and benefit.freeze_panes == "B3" and book["Spørgsmål"].freeze_panes == "B3"
    assert benefit.print_title_rows == "$1:$2"  # the header row is printed on every page
    for sheet, first in ((summary, 4), (benefit, 2), (book["Spørgsmål"], 2)):
        for letter, dimension in sheet.column_dimensions.items():
            widest = longest(sheet, letter, first)
            assert dimension.width >= min(widest, 60), (sheet.title, letter)
            for cell in sheet[letter][first - 1 :]:  # a long note wraps inside its column instead
                if cell.value is not None and len(shown(cell)) > dimension.width:
                    assert cell.alignment.wrap_text, (sheet.title, cell.coordinate)
    assert longest(benefit, "A", 2) >= len("Kontanthjælp")


async def test_counts_have_separators_change_is_in_points_and_the_goal_is_a_line(
    database: Database, tmp_path: Path
) -> None:
    book, report = await workbook(database, tmp_path)
    summary = book["Oversigt"]
    row = next(r for r in summary.iter_rows() if r[0].value == "2026")
    assert row[1].value == 1230 and row[1].number_format == "#,##0"
    kontant = next(r for r in book["Ydelse"].iter_rows(min_row=3) if r[0].value == "Kontanthjælp")
    assert kontant[1].value == 1221 and kontant[1].number_format == "#,##0"
    change = next(r for r in summary.iter_rows() if str(r[0].value).startswith("Ændring"))
    assert "procentpoint" in change[0].value
    assert change[3].value == round(report.change.diff * 100, 1) and change[3].value > 1  # points, not a fraction
    assert "pp" in change[3].number_format and "%" not in change[3].number_format
    for sheet in (summary, book["Ydelse"]):
        [chart] = sheet._charts
        kinds = {type(part).__name__: part for part in chart._charts}
        assert set(kinds) == {"BarChart", "LineChart"}, sheet.title
        assert len(kinds["BarChart"].series) == 1  # the share only: the goal is not a second bar
        [goal] = kinds["LineChart"].series
        named, cell = goal.tx.strRef.f.rsplit("!", 1)  # the line's title is the goal column's header
        assert book[named.strip("'")][cell.replace("$", "")].value == "Mål", sheet.title
        assert goal.graphicalProperties.line.prstDash == "dash"
