"""The report as small tables (pandas DataFrames), shared by the csv and xlsx exporters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analytics.report import KpiRow, Report

KPI_COLUMNS = [
    "Undersøgelse",
    "Periode",
    "Opdeling",
    "Gruppe",
    "Antal svar",
    "Tilfredse",
    "Andel tilfredse",
    "Nedre grænse (95 %)",
    "Øvre grænse (95 %)",
    "Mål",
    "Status",
    "Svarprocent",
]
ALL = "Alle"


def status_label(row: KpiRow) -> str | None:
    return row.status.label("da") if row.status else None


def kpi_record(report: Report, row: KpiRow, breakdown: str) -> dict[str, Any]:
    """One table row; a hidden row carries its mark ("<5" or "–") and nothing else."""
    return {
        "Undersøgelse": report.survey,
        "Periode": report.period,
        "Opdeling": breakdown,
        "Gruppe": row.label,
        "Antal svar": row.display_n if row.suppressed else row.n,
        "Tilfredse": row.satisfied,
        "Andel tilfredse": round(row.share.share, 4) if row.share else None,
        "Nedre grænse (95 %)": round(row.share.ci_low, 4) if row.share else None,
        "Øvre grænse (95 %)": round(row.share.ci_high, 4) if row.share else None,
        "Mål": report.target,
        "Status": status_label(row),
        "Svarprocent": round(row.response_rate, 4) if row.response_rate is not None else None,
    }


def kpi_frame(reports: Sequence[Report]) -> pd.DataFrame:
    """All responses, then every segment value, for each report."""
    records = []
    for report in reports:
        records.append(kpi_record(report, report.overall, ALL))
        for key, rows in report.segments.items():
            records.extend(kpi_record(report, row, report.segment_labels[key]) for row in rows)
    frame = pd.DataFrame.from_records(records, columns=KPI_COLUMNS)
    if any(report.filter_label for report in reports):
        # A report of one segment value says so on every row ("Ydelse: Kontanthjælp").
        labels = [report.filter_label for report in reports for _ in range(1 + sum(map(len, report.segments.values())))]
        frame.insert(2, "Udvalgte svar", labels)
    return frame


def segment_frame(report: Report, key: str) -> pd.DataFrame:
    records = [kpi_record(report, row, report.segment_labels[key]) for row in report.segments[key]]
    return pd.DataFrame.from_records(records, columns=KPI_COLUMNS).drop(columns=["Undersøgelse", "Periode", "Opdeling"])


def items_frame(report: Report) -> pd.DataFrame:
    """One row per question: n, mean, counts per answer value, NPS where the question is 0–10."""
    values = sorted({v for item in report.items for v in item.distribution})
    records = []
    for item in report.items:
        record: dict[str, Any] = {
            "Spørgsmål": item.label,
            "Antal svar": f"<{report.min_cell_size}" if item.suppressed else item.n,
            "Gennemsnit": round(item.mean, 2) if item.mean is not None else None,
            "NPS": item.nps,
        }
        for value in values:
            record[f"Svar {value}"] = item.distribution.get(value) if not item.suppressed else None
        record["Ved ikke / ikke relevant"] = sum(item.not_counted.values()) if item.not_counted else None
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if not any(item.nps is not None for item in report.items):
        frame = frame.drop(columns=["NPS"], errors="ignore")  # only the employer survey has a 0–10 question
    return frame


DROPOFF_COLUMNS = ["Spørgsmål", "Nået", "Besvaret", "Sprunget over", "Stoppede her"]


def dropoff_frame(report: Report) -> pd.DataFrame:
    """Where people stop: one row per question (empty when hidden or not computed)."""
    rows = report.dropoff.rows if report.dropoff else []
    records = [(r.label, r.reached, r.answered, r.skipped, r.stopped) for r in rows]
    return pd.DataFrame.from_records(records, columns=DROPOFF_COLUMNS)


def definition_rows(report: Report) -> list[tuple[str, str]]:
    d = report.definition
    return [
        ("Nøgletal", d["kpi"]["da"]),
        ("Skala", d["scale"]["da"]),
        ("Mål", f"{d['goal'] * 100:.0f} % tilfredse"),
        ("Målstatus", d["goal_rule"]["da"]),
        ("Interval", d["interval_method"]["da"]),
        ("Ændring", d["change_method"]["da"]),
        ("Små grupper", d["suppression_rule"]["da"]),
        ("Udvikling", d["trend_rule"]["da"]),
        ("Periode", d["period_rule"]["da"]),
        ("Svarprocent", d["response_rate"]["da"]),
        ("Version af nøgletallet", str(d["kpi_version"])),
        ("Metodeversion", str(d["method_version"])),
        ("tilfreds-version", str(d["tilfreds_version"])),
    ]
