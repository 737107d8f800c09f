"""csv for a Danish Excel: UTF-8 with BOM, ``;`` between fields, decimal comma."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from analytics.exports.cells import neutralise
from analytics.exports.tables import ALL, kpi_frame
from analytics.report import Report

CSV_OPTIONS = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "index": False}


def write_csv(reports: Sequence[Report], path: Path) -> int:
    """One row per group (all responses, then each segment value); hidden groups show only their mark."""
    frame = kpi_frame(reports).map(neutralise)
    scores = {report.period: _nps_of(report) for report in reports}
    if any(score is not None for score in scores.values()):
        # One table, so the NPS of all responses sits on each period's "Alle" row (as on the item sheet).
        frame["NPS"] = [
            scores[period] if group == ALL else None
            for period, group in zip(frame["Periode"], frame["Opdeling"], strict=True)
        ]
        frame["NPS"] = frame["NPS"].astype("Int64")
    frame.to_csv(path, **CSV_OPTIONS)
    return len(frame)


def _nps_of(report: Report) -> int | None:
    return next((item.nps for item in report.items if item.nps is not None), None)
