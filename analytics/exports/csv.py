"""csv for a Danish Excel: UTF-8 with BOM, ``;`` between fields, decimal comma."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from analytics.exports.cells import neutralise
from analytics.exports.tables import kpi_frame
from analytics.report import Report

CSV_OPTIONS = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "index": False}


def write_csv(reports: Sequence[Report], path: Path) -> int:
    """One row per group (all responses, then each segment value); hidden groups show only their mark."""
    frame = kpi_frame(reports).map(neutralise)
    frame.to_csv(path, **CSV_OPTIONS)
    return len(frame)
