"""The committee report: one self-contained, print-friendly html page in Danish with inline SVG charts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from analytics.charts import Bar, bar_chart, trend_chart
from analytics.exports import Imprint
from analytics.exports.tables import definition_rows
from analytics.layout import CHANNEL
from analytics.report import KpiRow, Report
from surveys.model import LANGUAGE_SEGMENT

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)

# The breakdowns by who answered (channel, language): compact and side by side on paper.
ANSWERED_BY = (CHANNEL, LANGUAGE_SEGMENT)


def pct(value: float | None, digits: int = 0) -> str:
    """0.8333 → "83 %" (Danish: decimal comma, space before the sign)."""
    if value is None:
        return ""
    return f"{value * 100:.{digits}f} %".replace(".", ",")


def points(value: float | None) -> str:
    """A change in percentage points: 0.033 → "+3,3 procentpoint"."""
    if value is None:
        return ""
    return f"{value * 100:+.1f} procentpoint".replace(".", ",").replace("-", "−")


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    return f"{value:.{digits}f}".replace(".", ",")


def danish_date(iso: str) -> str:
    day = datetime.fromisoformat(iso).date()
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def _bar(row: KpiRow) -> Bar:
    if row.share is None:
        return Bar(row.label, None, note=row.display_n if row.suppressed else "ingen svar")
    return Bar(row.label, row.share.share, row.share.ci_low, row.share.ci_high, f"(n = {row.n})")


def _sections(report: Report) -> dict[str, Any]:
    charts = {
        key: bar_chart(
            [_bar(row) for row in rows], report.target, f"Andel tilfredse pr. {report.segment_labels[key].lower()}"
        )
        for key, rows in report.segments.items()
        if rows
    }
    trend = trend_chart([_bar(row) for row in report.trend], report.target, "Udvikling") if report.trend else ""
    answered_by = [key for key in ANSWERED_BY if key in report.segments]
    return {"report": report, "segment_charts": charts, "trend_chart": trend, "answered_by": answered_by}


def render_html(reports: Sequence[Report], imprint: Imprint | None = None) -> str:
    """The committee page; the PDF is this page printed by WeasyPrint (``exports/pdf.py``)."""
    imprint = imprint or Imprint()
    env = Environment(loader=PackageLoader("analytics", "templates"), autoescape=select_autoescape(["html", "j2"]))
    env.filters.update(pct=pct, points=points, number=number, danish_date=danish_date)
    template = env.get_template("report.html.j2")
    main = reports[0]
    return template.render(
        main=main,
        sections=[_sections(r) for r in reports],
        definitions=definition_rows(main),
        organisation=imprint.organisation,
        generated=imprint.stamp,
    )


def write_html(reports: Sequence[Report], path: Path, imprint: Imprint | None = None) -> int:
    path.write_text(render_html(reports, imprint), encoding="utf-8")
    return data_rows(reports)


def data_rows(reports: Sequence[Report]) -> int:
    """The rows of numbers a committee file shows: each report's total and its segment rows."""
    return sum(1 + sum(len(rows) for rows in r.segments.values()) for r in reports)
