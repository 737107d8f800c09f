"""A report: the aggregated counts turned into shares, intervals, goal status and change, with small
cells suppressed. Pure: counts in (:class:`analytics.collect.ReportCounts`), a :class:`Report` out.

Every output (the CLI, the exports, the scheduled snapshots) is rendered from a :class:`Report`, so
suppression is decided once, here, and no exporter ever sees a hidden number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import version
from typing import Any

from analytics.collect import ReportCounts, trend_periods
from analytics.definitions import METHOD_VERSION, interval_method
from analytics.dropoff import Dropoff
from analytics.layout import SurveyLayout
from analytics.stats import (
    DEFAULT_TARGET,
    Change,
    GoalStatus,
    Share,
    difference_interval,
    mean_and_distribution,
    nps,
    published_nps,
    share_of,
)
from analytics.suppression import Cell, breakdown_withheld, suppress, suppression_rule
from db.repo.aggregates import InvitationCount, KpiCount, ValueCount
from surveys.kpi import KPI_DEFINITION

MISSING = ""  # the cell of responses that carry no value for a segment key


@dataclass(frozen=True)
class KpiRow:
    """One line of a report: all responses, one segment value, or one trend point."""

    label: str
    segment_key: str | None
    segment_value: str | None
    n: int | None  # None when hidden
    display_n: str  # what to print: "12", "<5" or "–"
    satisfied: int | None
    share: Share | None
    status: GoalStatus | None
    suppressed: bool
    reason: str | None = None
    issued: int | None = None  # single-use invitations, for the response rate
    response_rate: float | None = None

    @property
    def segment(self) -> dict[str, str | None] | None:
        return None if self.segment_key is None else {self.segment_key: self.segment_value}


@dataclass(frozen=True)
class ItemResult:
    """One question's results: mean and distribution for a scale item, also NPS for a 0–10 item."""

    id: str
    kind: str
    label: str
    n: int | None  # numeric answers (the mean's denominator); None when hidden
    mean: float | None
    distribution: dict[int, int]
    not_counted: dict[str, int]  # "dk", "na", "skip" → count
    nps: int | None = None  # whole number on −100..100 (published_nps), the same in every output
    suppressed: bool = False


@dataclass(frozen=True)
class ResponseRate:
    issued: int  # single-use invitations created in the period
    completed: int
    rate: float | None  # None: no denominator
    multi_use_responses: int  # responses via QR posters: no denominator
    note: str


@dataclass(frozen=True)
class Report:
    survey: str
    title: str
    period: str
    period_start: str
    period_end: str
    previous_period: str
    min_cell_size: int
    overall: KpiRow
    previous: KpiRow
    change: Change | None
    response_rate: ResponseRate
    segments: dict[str, list[KpiRow]]  # key → rows; empty list when the breakdown is withheld
    segment_labels: dict[str, str]
    items: list[ItemResult]
    comments: int
    trend: list[KpiRow]
    definition: dict[str, Any] = field(default_factory=dict)
    target: float = DEFAULT_TARGET
    filter: dict[str, str] | None = None  # {key: value} when the report covers one segment value only
    filter_label: str = ""  # e.g. "Ydelse: Kontanthjælp"
    dropoff: Dropoff | None = None  # where people stop; added by analytics.service.make_report
    callbacks_asked: int | None = None  # "Ring mig op" requests in the period (None for a filtered report)
    organisation: str = "Jobcentret"  # TILFREDS_ORGANISATION_NAME
    logo: str = ""  # the organisation's logo as a data: URI, or ""
    timezone: str = "Europe/Copenhagen"  # times shown to staff ("dannet …") are in this zone

    def below_goal(self) -> list[str]:
        """Segment groups whose whole interval lies under the goal ("where are we below")."""
        return self._groups_with(GoalStatus.MISSED)

    def above_goal(self) -> list[str]:
        """Segment groups whose whole interval lies at or over the goal."""
        return self._groups_with(GoalStatus.MET)

    def _groups_with(self, status: GoalStatus) -> list[str]:
        return [
            f"{row.label} ({self.segment_labels[key].lower()})"
            for key, rows in self.segments.items()
            for row in rows
            if row.status is status and row.segment_value is not None
        ]

    def rows(self, by: str | None = None) -> list[dict[str, Any]]:
        """The report as flat JSON rows: all responses first, then each value of ``by`` (or of every key)."""
        keys = [by] if by else list(self.segments)
        rows = [self._json_row(self.overall)]
        for key in keys:
            rows.extend(self._json_row(row) for row in self.segments.get(key, []))
        return rows

    def item_rows(self) -> list[dict[str, Any]]:
        """One JSON row per question: n (or the small-cell mark), mean and NPS, hidden together."""
        return [
            {
                "question": item.id,
                "label": item.label,
                "n": f"<{self.min_cell_size}" if item.suppressed else item.n,
                "mean": _round(item.mean) if item.mean is not None else None,
                "nps": item.nps,
            }
            for item in self.items
        ]

    def _json_row(self, row: KpiRow) -> dict[str, Any]:
        return {
            "survey": self.survey,
            "period": self.period,
            "filter": self.filter,
            "segment": row.segment,
            "n": row.display_n if row.suppressed else row.n,
            "satisfied": row.satisfied,
            "share": _round(row.share.share) if row.share else None,
            "ci_low": _round(row.share.ci_low) if row.share else None,
            "ci_high": _round(row.share.ci_high) if row.share else None,
            "status": row.status.value if row.status else None,
            "suppressed": row.suppressed,
            "response_rate": _round(row.response_rate) if row.response_rate is not None else None,
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready (report snapshots store this)."""
        data = asdict(self)
        data["rows"] = self.rows()
        return _jsonable(data)


def _round(value: float) -> float:
    return round(value, 4)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, GoalStatus):
        return value.value
    if isinstance(value, float):
        return _round(value)
    return value


def definition(min_cell_size: int, target: float = DEFAULT_TARGET) -> dict[str, Any]:
    """The KPI definition, scale, suppression rule and methods every output states (docs/measurement.md)."""
    da, en = interval_method("da"), interval_method("en")
    rule = suppression_rule(min_cell_size)
    return {
        "kpi": {
            "da": f"{KPI_DEFINITION['definition']['da']} Et svar tæller, så snart hovedspørgsmålet er besvaret.",
            "en": f"{KPI_DEFINITION['definition']['en']} A response counts once its headline question is answered.",
        },
        "kpi_version": KPI_DEFINITION["version"],
        "scale": {
            "da": f"{KPI_DEFINITION['scale']['da']}; tilfreds = svar 4 eller 5.",
            "en": f"{KPI_DEFINITION['scale']['en']}; satisfied = 4 or 5.",
        },
        "goal": target,
        "goal_rule": {"da": da["goal"], "en": en["goal"]},
        "interval_method": {"da": da["share"], "en": en["share"]},
        "change_method": {"da": da["change"], "en": en["change"]},
        "suppression_rule": rule,
        "trend_rule": {
            "da": f"I udviklingen pr. måned (kvartal, år) skjules et punkt kun, når det selv har færre end "
            f"{min_cell_size} svar; et punkt, perioden kun dækker en del af, er mærket 'delvis'.",
            "en": f"In the trend by month (quarter, year) a point is hidden only when it has fewer than "
            f"{min_cell_size} responses itself; a point the period covers only in part is labelled 'delvis' (partial).",
        },
        "min_cell_size": min_cell_size,
        "period_rule": {
            "da": "Et svar hører til perioden efter den lokale dato (Europe/Copenhagen), hvor hovedspørgsmålet "
            "blev besvaret. Tilbagetrukne svar tæller aldrig.",
            "en": "A response belongs to the period of the local date (Europe/Copenhagen) on which its headline "
            "was answered. Withdrawn responses never count.",
        },
        "response_rate": {
            "da": "Svarprocent = gennemførte besvarelser ÷ udsendte engangsinvitationer i perioden. "
            "QR-plakater (flergangsinvitationer) har ingen nævner.",
            "en": "Response rate = completed responses ÷ single-use invitations issued in the period. "
            "Multi-use QR invitations have no denominator.",
        },
        "method_version": METHOD_VERSION,
        "tilfreds_version": version("tilfreds"),
    }


def build_report(counts: ReportCounts, min_cell_size: int, target: float = DEFAULT_TARGET) -> Report:
    """Shares, intervals, status, change, response rate and items, with small cells hidden."""
    layout = counts.layout
    overall = _total_row("Alle", counts.overall, min_cell_size, target)
    previous = _total_row(counts.period.previous().label, counts.previous, min_cell_size, target)
    change = None
    if overall.n and previous.n and not overall.suppressed and not previous.suppressed:
        change = difference_interval(
            counts.overall.satisfied, counts.overall.n, counts.previous.satisfied, counts.previous.n
        )
    rate = _response_rate(counts.invitations, counts.multi_use_responses)
    if not overall.suppressed and rate.rate is not None:
        overall = _with_rate(overall, counts.invitations)
    segments = {
        key: _segment_rows(
            layout, key, rows, counts.invitations_by_segment.get(key, []), counts.overall, min_cell_size, target
        )
        for key, rows in counts.by_segment.items()
    }
    trend = _trend_rows(counts, min_cell_size, target)
    return Report(
        survey=layout.key,
        title=layout.title,
        period=counts.period.label,
        period_start=counts.period.start.isoformat(),
        period_end=counts.period.end.isoformat(),
        previous_period=counts.period.previous().label,
        min_cell_size=min_cell_size,
        overall=overall,
        previous=previous,
        change=change,
        response_rate=rate,
        segments=segments,
        segment_labels={key: layout.segment_label(key) for key in counts.by_segment},
        items=_items(layout, counts.values, overall.suppressed, min_cell_size),
        comments=0 if overall.suppressed else counts.comments,
        trend=trend,
        definition=definition(min_cell_size, target),
        target=target,
        filter=dict([counts.where]) if counts.where else None,
        filter_label=_filter_label(layout, counts.where),
    )


def _filter_label(layout: SurveyLayout, where: tuple[str, str] | None) -> str:
    if where is None:
        return ""
    key, value = where
    return f"{layout.segment_label(key)}: {layout.value_label(key, value)}"


def _total_row(label: str, count: KpiCount, min_size: int, target: float) -> KpiRow:
    """A total stands alone: hidden when below the minimum (0 is shown as 0, with no share)."""
    if 0 < count.n < min_size:
        return KpiRow(label, None, None, None, f"<{min_size}", None, None, None, True, "small")
    return _visible_row(label, None, None, count.n, count.satisfied, target)


def _visible_row(label: str, key: str | None, value: str | None, n: int, satisfied: int, target: float) -> KpiRow:
    share = share_of(satisfied, n) if n else None
    status = share.goal_status(target) if share else None
    return KpiRow(label, key, value, n, str(n), satisfied, share, status, False)


def _with_rate(row: KpiRow, invitations: InvitationCount | None) -> KpiRow:
    if invitations is None or not invitations.issued:
        return row
    return replace(row, issued=invitations.issued, response_rate=invitations.completed / invitations.issued)


def _response_rate(invitations: InvitationCount | None, multi_use: int) -> ResponseRate:
    if invitations is None or invitations.issued == 0:
        return ResponseRate(
            0, 0, None, multi_use, "ingen nævner: ingen engangsinvitationer i perioden (QR-plakater har ingen nævner)"
        )
    note = "gennemførte ÷ udsendte engangsinvitationer"
    if multi_use:
        note += f"; {multi_use} svar via QR-plakater har ingen nævner og indgår ikke"
    return ResponseRate(
        invitations.issued, invitations.completed, invitations.completed / invitations.issued, multi_use, note
    )


def _segment_rows(
    layout: SurveyLayout,
    key: str,
    counts: Sequence[KpiCount],
    invitations: Sequence[InvitationCount],
    overall: KpiCount,
    min_size: int,
    target: float,
) -> list[KpiRow]:
    """The rows of one segment key in the survey's order, with primary and secondary suppression.

    The cells include the responses without this segment, so they add up to the total that is printed.
    """
    if 0 < overall.n < min_size:
        return []
    by_value = {c.segment if c.segment is not None else MISSING: c for c in counts if c.n > 0}
    order = [v for v in layout.segments.get(key, ()) if v in by_value]
    order += sorted(v for v in by_value if v not in order and v != MISSING)
    if MISSING in by_value:
        order.append(MISSING)
    cells = [Cell(key, value, by_value[value].n, by_value[value].satisfied) for value in order]
    published = suppress(cells, min_size)
    if breakdown_withheld(published):
        return []
    rates = {(i.segment if i.segment is not None else MISSING): i for i in invitations}
    rows = []
    for cell in published:
        value = None if cell.value == MISSING else cell.value
        label = layout.value_label(key, value)
        if cell.suppressed:
            rows.append(KpiRow(label, key, value, None, cell.display_n, None, None, None, True, cell.reason))
            continue
        row = _visible_row(label, key, value, cell.n or 0, cell.satisfied or 0, target)
        rows.append(_with_rate(row, rates.get(cell.value)))
    return rows


PARTIAL = "delvis"  # a trend point the period covers only in part, e.g. the current month


def _trend_rows(counts: ReportCounts, min_size: int, target: float) -> list[KpiRow]:
    """Trend points: each is hidden only when it is small itself (no secondary suppression).

    A month can be asked for as a period of its own, where it stands alone; hiding a complete month because
    another one (typically the current, partial month) is small protects nobody and looks like lost data.
    A point the period covers only in part is labelled so ("2026-12 (delvis)").
    """
    if not counts.trend or counts.overall.n < min_size:
        return []
    whole = {p.label: p for p in trend_periods(counts.period)}
    rows = []
    for point, count in counts.trend:
        full = whole.get(point.label)
        partial = full is not None and (full.start, full.end) != (point.start, point.end)
        label = f"{point.label} ({PARTIAL})" if partial else point.label
        if 0 < count.n < min_size:
            rows.append(KpiRow(label, "period", point.label, None, f"<{min_size}", None, None, None, True, "small"))
        else:
            rows.append(_visible_row(label, "period", point.label, count.n, count.satisfied, target))
    return rows


def _items(layout: SurveyLayout, values: Sequence[ValueCount], hidden: bool, min_size: int) -> list[ItemResult]:
    results = []
    for item in layout.items_of("scale", "nps"):
        numeric: dict[int, int] = {}
        other: dict[str, int] = {}
        for v in values:
            if v.question_id != item.id:
                continue
            if v.value is None:
                other[v.option or "skip"] = other.get(v.option or "skip", 0) + v.count
            else:
                numeric[v.value] = numeric.get(v.value, 0) + v.count
        n = sum(numeric.values())
        if hidden or 0 < n < min_size:
            results.append(ItemResult(item.id, item.kind, item.label, None, None, {}, {}, suppressed=True))
            continue
        if n == 0:
            results.append(ItemResult(item.id, item.kind, item.label, 0, None, {}, {}))
            continue
        scale = range(0, 11) if item.kind == "nps" else range(1, 6)
        mean, distribution = mean_and_distribution(numeric, scale)
        score = published_nps(nps(numeric).score) if item.kind == "nps" else None
        results.append(ItemResult(item.id, item.kind, item.label, n, mean, distribution, other, score))
    return results
