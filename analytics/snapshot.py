"""A stored report snapshot back into a :class:`analytics.report.Report`, so a follow-up run again for the same
period writes its files from the numbers the committee already got (``Report.to_dict`` is the other way).

Shares and intervals come back rounded to four decimals, as the snapshot stores them: a tenth of a
percentage point, finer than any file prints.
"""

from __future__ import annotations

from typing import Any

from analytics.report import ItemResult, KpiRow, Report, ResponseRate
from analytics.stats import Change, GoalStatus, Share


def report_from_dict(data: dict[str, Any]) -> Report:
    """The inverse of ``Report.to_dict`` (up to its rounding)."""
    return Report(
        survey=data["survey"],
        title=data["title"],
        period=data["period"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        previous_period=data["previous_period"],
        min_cell_size=data["min_cell_size"],
        overall=_row(data["overall"]),
        previous=_row(data["previous"]),
        change=Change(**data["change"]) if data["change"] else None,
        response_rate=ResponseRate(**data["response_rate"]),
        segments={key: [_row(row) for row in rows] for key, rows in data["segments"].items()},
        segment_labels=dict(data["segment_labels"]),
        items=[_item(item) for item in data["items"]],
        comments=data["comments"],
        trend=[_row(row) for row in data["trend"]],
        definition=data["definition"],
        target=data["target"],
    )


def _row(data: dict[str, Any]) -> KpiRow:
    return KpiRow(
        **{
            **data,
            "share": Share(**data["share"]) if data["share"] else None,
            "status": GoalStatus(data["status"]) if data["status"] else None,
        }
    )


def _item(data: dict[str, Any]) -> ItemResult:
    return ItemResult(**{**data, "distribution": {int(k): v for k, v in data["distribution"].items()}})
