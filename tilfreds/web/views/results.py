"""Results: the overview against the 80% goals, the drill-down by segment and question, and the downloads.

Every number comes from ``analytics`` (``make_report``), where small cells are already suppressed; this
module only chooses the period and lays the report out. Downloads are the analytics exports of exactly the
report on screen, each recorded in the audit log.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp import web
from markupsafe import Markup

from db.models import utcnow
from tilfreds.web.i18n import request_language
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.middleware import download, page
from tilfreds.web.render import render
from tilfreds.web.surveys_view import staff_surveys
from tilfreds.web.views.invitations import actor
from translations import languages as respondent_languages

REPORT_CACHE = web.AppKey("report_cache", object)

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "html": "text/html",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class PeriodChoice:
    value: str
    label: str


def today(request: web.Request) -> date:
    from analytics.periods import local_date

    return local_date(utcnow(), settings_of(request).timezone)


def period_choices(day: date, lang: str) -> list[PeriodChoice]:
    """The periods staff pick most: this year so far, last year, the halves and quarters of both years."""
    from analytics.periods import parse_period

    y = day.year
    words = {
        "da": ("år til dato", "hele året", "halvår", "kvartal"),
        "en": ("year to date", "whole year", "half year", "quarter"),
    }[lang]
    choices = [PeriodChoice(f"{y}-YTD", f"{y}, {words[0]}"), PeriodChoice(f"{y - 1}", f"{y - 1}, {words[1]}")]
    for year in (y, y - 1):
        for half in (1, 2):
            if parse_period(f"{year}-H{half}", day).start <= day:
                choices.append(PeriodChoice(f"{year}-H{half}", f"{year}, {half}. {words[2]}"))
        for quarter in (1, 2, 3, 4):
            if parse_period(f"{year}-Q{quarter}", day).start <= day:
                choices.append(PeriodChoice(f"{year}-Q{quarter}", f"{year}, {quarter}. {words[3]}"))
    choices.append(PeriodChoice(f"{y - 2}", f"{y - 2}, {words[1]}"))
    return choices


def chosen_period(request: web.Request) -> tuple[Any, str | None]:
    """The period asked for (typed text wins over the list), or this year to date with an error key."""
    from analytics.periods import PeriodError, parse_period

    day = today(request)
    text = (request.query.get("custom") or "").strip() or (request.query.get("period") or "").strip()
    if not text:
        return parse_period(f"{day.year}-YTD", day), None
    try:
        return parse_period(text, day), None
    except PeriodError:
        return parse_period(f"{day.year}-YTD", day), "error_period"


@dataclass(frozen=True)
class FilterGroup:
    """One segment key in the filter list: its label and its values as ``key=value`` choices."""

    label: str
    choices: tuple[PeriodChoice, ...]


def filter_groups(surveys: list[Any]) -> list[FilterGroup]:
    """Every segment value of these surveys as a filter choice, grouped by key (first survey's labels)."""
    groups: dict[str, FilterGroup] = {}
    for survey in surveys:
        for segment in survey.segments:
            if segment.key not in groups:
                choices = tuple(PeriodChoice(f"{segment.key}={value}", label) for value, label in segment.choices)
                groups[segment.key] = FilterGroup(segment.label, choices)
    return list(groups.values())


def chosen_filter(request: web.Request, surveys: list[Any]) -> tuple[tuple[str, str] | None, str | None]:
    """The ``filter=key=value`` asked for, if one of ``surveys`` knows that value; else None and an error key."""
    text = (request.query.get("filter") or "").strip()
    if not text:
        return None, None
    key, _, value = text.partition("=")
    for survey in surveys:
        segment = survey.segment(key)
        if segment is not None and value in dict(segment.choices):
            return (key, value), None
    return None, "error_filter"


def layout(survey_key: str, lang: str) -> Any:
    from analytics.layout import layout_of
    from surveys import get_survey

    return layout_of(get_survey(survey_key), lang)


async def build(
    request: web.Request,
    survey_key: str,
    period: Any,
    lang: str,
    segment_keys: list[str] | None = None,
    where: tuple[str, str] | None = None,
) -> Any:
    from analytics.service import configured_report

    settings = settings_of(request)
    database = database_of(request)
    keys = None if segment_keys is None else tuple(segment_keys)
    key = (
        survey_key,
        lang,
        period.label,
        period.start,
        period.end,
        keys,
        where,
        settings.timezone,
        settings.min_cell_size,
    )

    async def count() -> Any:
        return await configured_report(
            database, layout(survey_key, lang), period, settings, segment_keys=segment_keys, where=where
        )

    return await report_cache(request).report(database, key, count)


def report_cache(request: web.Request) -> Any:
    """The app's reports, kept while the data stand (``analytics/cache.py``)."""
    return request.config_dict[REPORT_CACHE]


def trend_svg(report: Any, title: str) -> Markup | None:
    from analytics.charts import trend_chart

    if not report.trend:
        return None
    return Markup(trend_chart([_bar(row) for row in report.trend], report.target, title))  # noqa: S704


def bars_svg(report: Any, key: str, title: str) -> Markup | None:
    from analytics.charts import bar_chart

    rows = report.segments.get(key) or []
    if not rows:
        return None
    return Markup(bar_chart([_bar(row) for row in rows], report.target, title))  # noqa: S704


def _bar(row: Any) -> Any:
    from analytics.charts import Bar

    if row.share is None:
        return Bar(row.label, None, note=row.display_n if row.suppressed else "–")
    return Bar(row.label, row.share.share, row.share.ci_low, row.share.ci_high, f"n = {row.n}")


def survey_or_404(request: web.Request, lang: str) -> Any:
    key = request.match_info["survey"]
    found = next((s for s in staff_surveys(lang) if s.key == key), None)
    if found is None:
        raise web.HTTPNotFound()
    return found


@page
async def overview(request: web.Request) -> web.StreamResponse:
    from analytics.periods import year_period

    lang = request_language(request)
    period, error = chosen_period(request)
    surveys = staff_surveys(lang)
    where, filter_error = chosen_filter(request, surveys)
    full_year = year_period(period.start.year - 1)
    cards = []
    for survey in surveys:
        # A filter on a key this survey does not have is not applied to it; the card says so.
        applies = where is not None and survey.segment(where[0]) is not None
        mine = where if applies else None
        report = await build(request, survey.key, period, lang, where=mine)
        previous_year = None
        if full_year.label not in (report.period, report.previous_period):
            previous_year = (await build(request, survey.key, full_year, lang, segment_keys=[], where=mine)).overall
        cards.append(
            {
                "survey": survey,
                "report": report,
                "previous_year": previous_year,
                "previous_year_label": full_year.label,
                "trend": trend_svg(report, ""),
                "filter_skipped": where is not None and not applies,
            }
        )
    return render(
        request,
        "overview.html",
        status=400 if error or filter_error else 200,
        section="overview",
        cards=cards,
        period=period,
        error=error or filter_error,
        choices=period_choices(today(request), lang),
        custom=request.query.get("custom", ""),
        respondent_languages=respondent_languages(),
        filters=filter_groups(surveys),
        current_filter="=".join(where) if where else "",
    )


@page
async def survey_detail(request: web.Request) -> web.StreamResponse:
    lang = request_language(request)
    survey = survey_or_404(request, lang)
    period, error = chosen_period(request)
    where, filter_error = chosen_filter(request, [survey])
    keys = [f.key for f in survey.breakdowns]
    by = request.query.get("by") or keys[0]
    if by not in keys:
        by = keys[0]
    report = await build(request, survey.key, period, lang, segment_keys=[by] if by else [], where=where)
    themes = await theme_counts(request, survey.key, period, where, report)
    return render(
        request,
        "survey.html",
        status=400 if error or filter_error else 200,
        section="overview",
        survey=survey,
        report=report,
        period=period,
        error=error or filter_error,
        by=by,
        choices=period_choices(today(request), lang),
        custom=request.query.get("custom", ""),
        chart=bars_svg(report, by, "") if by else None,
        trend=trend_svg(report, ""),
        filters=filter_groups([survey]),
        current_filter="=".join(where) if where else "",
        themes=themes,
    )


async def theme_counts(
    request: web.Request, survey_key: str, period: Any, where: tuple[str, str] | None, report: Any
) -> list[tuple[str, str]]:
    """Comments per theme in the report's selection; a count under the minimum shows as "<5"."""
    from db.repo.aggregates import Bounds
    from db.repo.comments import theme_counts as counts

    if report.overall.suppressed:
        return []
    settings = settings_of(request)
    start, end = period.utc_bounds(settings.timezone)
    lay = layout(survey_key, "da")
    async with database_of(request).sessions() as session:
        found = await counts(session, Bounds(lay.key, lay.headline_id, start, end, where))
    small = settings.min_cell_size
    return [(name, f"<{small}" if n < small else str(n)) for name, n in found]


@download
async def report_download(request: web.Request) -> web.StreamResponse:
    from analytics.service import export_report

    survey = survey_or_404(request, "da")
    fmt = request.match_info["fmt"]
    if fmt not in FORMATS:
        raise web.HTTPNotFound()
    period, error = chosen_period(request)
    if error:
        return web.Response(status=400, text="Unknown period; use e.g. 2026-YTD, 2025, 2026-H1, 2026-Q3, 2026-03.\n")
    where, filter_error = chosen_filter(request, [survey])
    if filter_error:
        return web.Response(status=400, text="Unknown filter; choose a segment value from the list on the page.\n")
    # The files are for the committee: always in Danish, whatever the page's language.
    report = await build(request, survey.key, period, "da", where=where)
    with tempfile.TemporaryDirectory(prefix="tilfreds-export-") as folder:
        selection = f"-{where[0]}-{where[1]}" if where else ""
        path = Path(folder) / f"tilfreds-{survey.key}-{period.label.replace(':', '_')}{selection}.{fmt}"
        await export_report(database_of(request), [report], fmt, path, actor=actor(request), imprint=imprint(request))
        body = path.read_bytes()  # noqa: ASYNC240 - a small file we just wrote
    return web.Response(
        body=body,
        content_type=FORMATS[fmt],
        charset="utf-8" if fmt not in ("xlsx", "pdf") else None,
        headers={"Content-Disposition": f'attachment; filename="{path.name}"'},
    )


def imprint(request: web.Request) -> Any:
    from analytics.exports import Imprint

    settings = settings_of(request)
    return Imprint(organisation=settings.organisation_name, tz=settings.timezone)


@download
async def followup_download(request: web.Request) -> web.StreamResponse:
    """The follow-up the scheduler makes, made now: its files for every survey in one zip (each one audited)."""
    from analytics.followup import KINDS, follow_up

    kind = request.match_info["kind"]
    if kind not in KINDS:
        raise web.HTTPNotFound()
    with tempfile.TemporaryDirectory(prefix="tilfreds-followup-") as folder:
        produced = await follow_up(
            settings_of(request), database_of(request), kind, utcnow(), folder=Path(folder), actor=actor(request)
        )
        body = zipped([path for part in produced for path in part.files])
    name = f"tilfreds-{kind}-{today(request).isoformat()}.zip"
    return web.Response(
        body=body, content_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def zipped(files: list[Path]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    return buffer.getvalue()


def add_routes(app: web.Application) -> None:
    from analytics.cache import ReportCache

    app[REPORT_CACHE] = ReportCache()
    app.router.add_get("/overview", overview)
    app.router.add_get(r"/surveys/{survey:[a-z_]+}", survey_detail)
    app.router.add_get(r"/surveys/{survey:[a-z_]+}/report.{fmt:[a-z]+}", report_download)
    app.router.add_post(r"/followup/{kind:[a-z]+}", followup_download)
