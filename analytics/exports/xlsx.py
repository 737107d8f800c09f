"""The Excel workbook: a summary with a chart, a sheet per segment key, the items, the definitions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.exports import Imprint
from analytics.exports.cells import neutral_row
from analytics.exports.tables import (
    KPI_COLUMNS,
    definition_rows,
    dropoff_frame,
    items_frame,
    segment_frame,
    status_label,
)
from analytics.report import Report

PERCENT = "0.0%"
COUNT = "#,##0"
POINTS = '+0.0" pp";-0.0" pp";0.0" pp"'
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
_PERCENT_HEADERS = {"Andel tilfredse", "Nedre grænse (95 %)", "Øvre grænse (95 %)", "Mål", "Svarprocent"}


def write_xlsx(reports: Sequence[Report], path: Path, imprint: Imprint | None = None) -> int:
    imprint = imprint or Imprint()
    workbook = Workbook()
    rows = 0
    main = reports[0]
    summary = workbook.active
    summary.title = "Oversigt"
    rows += _summary(summary, reports, imprint)
    used = {"Oversigt"}
    for key in main.segments:
        title = _sheet_title(main.segment_labels[key], used)
        sheet = workbook.create_sheet(title)
        rows += _segment_sheet(sheet, main, key)
    rows += _frame_sheet(
        workbook.create_sheet(_sheet_title("Spørgsmål", used)),
        items_frame(main),
        f"Spørgsmål — {main.title}, {main.period}",
    )
    if main.dropoff is not None:
        rows += _dropoff_sheet(workbook.create_sheet(_sheet_title("Frafald", used)), main)
    _definitions(workbook.create_sheet(_sheet_title("Definitioner", used)), main)
    for sheet in workbook.worksheets:
        print_setup(sheet)
    workbook.save(path)
    return rows


def _sheet_title(text: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Ark"
    base, i = title, 2
    while title in used:
        title = f"{base[:28]} {i}"
        i += 1
    used.add(title)
    return title


def _summary(sheet: Worksheet, reports: Sequence[Report], imprint: Imprint) -> int:
    main = reports[0]
    _append(sheet, [f"{main.title} — tilfredshed målt mod målet på {main.target * 100:.0f} %"])
    sheet["A1"].font = TITLE
    _append(
        sheet, [f"{imprint.organisation} · dannet {imprint.stamp} · tilfreds {main.definition['tilfreds_version']}"]
    )
    _append(sheet, [])
    header = ["Periode", *KPI_COLUMNS[4:]]  # Antal svar … Svarprocent
    _append(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    rows = 0
    for report in reports:
        for row in (report.overall, report.previous):
            label = report.period if row is report.overall else f"{report.previous_period} (forrige periode)"
            _append(
                sheet,
                [
                    label,
                    row.display_n if row.suppressed else row.n,
                    row.satisfied,
                    row.share.share if row.share else None,
                    row.share.ci_low if row.share else None,
                    row.share.ci_high if row.share else None,
                    report.target,
                    status_label(row),
                    row.response_rate,
                ],
            )
            rows += 1
    _format_percent(sheet, header, start_row=5)
    _append(sheet, [])
    for report in reports:
        if report.change is not None:
            c = report.change
            _append(
                sheet,
                [
                    f"Ændring {report.period} mod {report.previous_period} (procentpoint)",
                    None,
                    None,
                    *(percentage_points(v) for v in (c.diff, c.ci_low, c.ci_high)),
                    None,
                    "signifikant" if c.significant else "ikke signifikant",
                ],
            )
            for cell in sheet[sheet.max_row][3:6]:
                cell.number_format = POINTS
        rate = report.response_rate
        _append(
            sheet,
            [
                f"Svarprocent {report.period}",
                rate.issued or None,
                rate.completed or None,
                rate.rate,
                None,
                None,
                None,
                rate.note,
            ],
        )
        sheet.cell(sheet.max_row, 4).number_format = PERCENT
        _append(sheet, [f"Kommentarer {report.period}", report.comments])
        if report.callbacks_asked is not None:
            _append(sheet, [f"Bad om at blive ringet op {report.period}", report.callbacks_asked])
    _count_format(sheet, columns=(2, 3), start_row=5)
    _trend_with_chart(sheet, main)
    fit_columns(sheet, skip_rows=(1, 2))
    sheet.freeze_panes = "B5"  # the title and the header row stay while scrolling
    return rows


def _trend_with_chart(sheet: Worksheet, report: Report) -> None:
    """The trend table, and a native bar chart of share against the goal per period."""
    if not report.trend:
        return
    _append(sheet, [])
    _append(sheet, ["Udvikling", "Antal svar", "Andel tilfredse", "Mål"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    first = sheet.max_row
    for row in report.trend:
        _append(
            sheet,
            [
                row.label,
                row.display_n if row.suppressed else row.n,
                row.share.share if row.share else None,
                report.target,
            ],
        )
        sheet.cell(sheet.max_row, 3).number_format = PERCENT
        sheet.cell(sheet.max_row, 4).number_format = PERCENT
    last = sheet.max_row
    sheet.cell(first, 2).number_format = COUNT
    for row in range(first + 1, last + 1):
        sheet.cell(row, 2).number_format = COUNT
    chart = share_with_goal(
        sheet,
        share=Reference(sheet, min_col=3, min_row=first, max_row=last),
        goal=Reference(sheet, min_col=4, min_row=first, max_row=last),
        categories=Reference(sheet, min_col=1, min_row=first + 1, max_row=last),
        title=f"Andel tilfredse mod målet, {report.period}",
    )
    chart.height, chart.width = 8, 18
    sheet.add_chart(chart, f"K{first}")


def _show_axes(chart: BarChart) -> None:
    # openpyxl 3.1 leaves <c:delete> out, and Excel then hides both axes; say plainly that they are shown.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _segment_sheet(sheet: Worksheet, report: Report, key: str) -> int:
    label = report.segment_labels[key]
    if not report.segments[key]:
        _append(sheet, [f"{label}: opdelingen vises ikke — for få svar til at skjule små grupper sikkert."])
        return 0
    frame = segment_frame(report, key)
    rows = _frame_sheet(sheet, frame, f"{report.title}, {report.period}: opdelt på {label.lower()}")
    _format_percent(sheet, list(frame.columns), start_row=3)
    _count_format(sheet, columns=(2, 3), start_row=3)
    share_col = list(frame.columns).index("Andel tilfredse") + 1
    goal_col = list(frame.columns).index("Mål") + 1
    chart = share_with_goal(
        sheet,
        share=Reference(sheet, min_col=share_col, min_row=2, max_row=2 + len(frame)),
        goal=Reference(sheet, min_col=goal_col, min_row=2, max_row=2 + len(frame)),
        categories=Reference(sheet, min_col=1, min_row=3, max_row=2 + len(frame)),
        title=f"Andel tilfredse pr. {label.lower()} (mål {report.target * 100:.0f} %)",
    )
    chart.height, chart.width = 8, 18
    sheet.add_chart(chart, f"B{len(frame) + 5}")
    return rows


def _dropoff_sheet(sheet: Worksheet, report: Report) -> int:
    """Where people stop, over the responses started in the period."""
    dropoff = report.dropoff
    assert dropoff is not None
    title = f"Hvor stopper folk — {report.title}, {report.period} ({dropoff.display_started} påbegyndte besvarelser)"
    if dropoff.suppressed:
        _append(sheet, [title])
        _append(sheet, [f"Vises ikke: færre end {report.min_cell_size} påbegyndte besvarelser."])
        return 0
    return _frame_sheet(sheet, dropoff_frame(report), title)


def _frame_sheet(sheet: Worksheet, frame: pd.DataFrame, title: str) -> int:
    _append(sheet, [title])
    sheet["A1"].font = TITLE
    _append(sheet, list(frame.columns))
    for cell in sheet[2]:
        cell.font = BOLD
    for record in frame.itertuples(index=False):
        _append(sheet, [_cell(v) for v in record])
    fit_columns(sheet, skip_rows=(1,))
    sheet.freeze_panes = "B3"  # the title, the header row and the group names stay while scrolling
    return len(frame)


def _append(sheet: Worksheet, values: list[Any]) -> None:
    """Every row of the workbook goes in here, each text cell neutralised (never a formula)."""
    sheet.append(neutral_row(values))


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def _format_percent(sheet: Worksheet, header: list[str], start_row: int) -> None:
    for col, name in enumerate(header, start=1):
        if name in _PERCENT_HEADERS:
            for row in range(start_row, sheet.max_row + 1):
                sheet.cell(row, col).number_format = PERCENT


def _count_format(sheet: Worksheet, columns: Sequence[int], start_row: int) -> None:
    """Counts with a thousands separator (Excel shows the reader's own: 1.234 in a Danish Excel)."""
    for col in columns:
        for row in range(start_row, sheet.max_row + 1):
            cell = sheet.cell(row, col)
            if isinstance(cell.value, int):
                cell.number_format = COUNT


def percentage_points(change: float) -> float:
    """A change of shares in percentage points: 0.033 → 3.3 (not "3.3 %": that would be a relative change)."""
    return round(change * 100, 1)


def fit_columns(sheet: Worksheet, skip_rows: Sequence[int] = (), most: int = 60) -> None:
    """Each column as wide as its longest label or number, up to ``most`` characters: a longer note wraps.
    Titles in ``skip_rows`` may run over into the next columns."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.row in skip_rows or cell.value is None:
                continue
            percent = cell.number_format == PERCENT and isinstance(cell.value, float)
            shown = len(f"{cell.value:.1%}" if percent else str(cell.value))
            if shown > most:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[cell.column] = max(widths.get(cell.column, 0), shown)
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = min(most, width + 3)


def share_with_goal(
    sheet: Worksheet, *, share: Reference, goal: Reference, categories: Reference, title: str
) -> BarChart:
    """Columns of the share with the goal as a line across them (a second bar would read as data)."""
    bars = BarChart()
    bars.type = "col"
    bars.title = title
    bars.add_data(share, titles_from_data=True)
    bars.set_categories(categories)
    bars.y_axis.title = "Andel"
    bars.y_axis.number_format = "0%"
    bars.y_axis.scaling.min = 0
    bars.y_axis.scaling.max = 1
    line = LineChart()
    line.add_data(goal, titles_from_data=True)
    line.set_categories(categories)
    goal_line = line.series[0]
    goal_line.graphicalProperties.line.solidFill = "1A202C"
    goal_line.graphicalProperties.line.dashStyle = "dash"
    goal_line.graphicalProperties.line.width = 25400  # 2 pt
    goal_line.marker.symbol = "none"
    goal_line.smooth = False
    _show_axes(bars)
    bars += line  # drawn on the same axes
    return bars


def print_setup(sheet: Worksheet) -> None:
    """A4 landscape, as wide as the page, the header rows repeated on every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.freeze_panes:
        sheet.print_title_rows = f"1:{sheet[sheet.freeze_panes].row - 1}"


def _definitions(sheet: Worksheet, report: Report) -> None:
    _append(sheet, ["Definitioner og metode"])
    sheet["A1"].font = TITLE
    for name, text in definition_rows(report):
        _append(sheet, [name, text])
        sheet.cell(sheet.max_row, 1).font = BOLD
        sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 110
