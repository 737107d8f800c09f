"""``tilfreds report``, ``tilfreds export`` and ``tilfreds schedule``: the numbers, the files, the jobs."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import click

from tilfreds.commands.support import Problem, current_actor, open_database, run_async, settings_or_exit
from tilfreds.settings import Settings

if TYPE_CHECKING:
    from rich.console import JustifyMethod

PERIOD_HELP = (
    "Period: 2026, 2026-H1, 2026-Q3, 2026-03, 2026-YTD or 2026-01-01:2026-06-30 "
    "(local dates in the configured time zone). Default: this year to date."
)


def register(group: click.Group) -> None:
    """Add this module's commands to the ``tilfreds`` group."""
    for command in (report, export, followup, schedule):
        group.add_command(command)


def _layout(survey_key: str) -> Any:
    from analytics.layout import layout_of
    from surveys import UnknownSurvey, get_survey

    try:
        return layout_of(get_survey(survey_key))
    except UnknownSurvey as exc:
        raise Problem(str(exc)) from None


def _period(text: str | None, settings: Settings) -> Any:
    from analytics.periods import PeriodError, local_date, parse_period
    from db.models import utcnow

    today = local_date(utcnow(), settings.timezone)
    try:
        return parse_period(text or f"{today.year}-YTD", today)
    except PeriodError as exc:
        raise Problem(str(exc)) from None


def _filter(layout: Any, text: str | None) -> tuple[str, str] | None:
    """``KEY=VALUE`` → (key, value), checked against the survey's segments."""
    if text is None:
        return None
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key or not value:
        raise Problem(f"--filter takes KEY=VALUE, e.g. benefit=kontanthjaelp; got {text!r}")
    _segment_key(layout, key)
    known = layout.segments.get(key) or ()
    if known and value not in known:
        raise Problem(f"unknown value {value!r} for {key!r}; known values: {', '.join(known)}")
    return key, value


def _segment_key(layout: Any, by: str | None) -> str | None:
    if by is not None and by not in layout.segments:
        known = ", ".join(layout.segments) or "(none)"
        raise Problem(f"unknown segment key {by!r} for survey {layout.key!r}; known keys: {known}")
    return by


async def _build(
    settings: Settings, layout: Any, period: Any, keys: list[str] | None, where: tuple[str, str] | None = None
) -> Any:
    from analytics.service import configured_report

    database = await open_database(settings)
    try:
        return await configured_report(database, layout, period, settings, segment_keys=keys, where=where)
    finally:
        await database.dispose()


@click.command()
@click.option(
    "--survey",
    "survey_key",
    required=True,
    metavar="KEY",
    help="Which survey, by its key (e.g. citizen; `tilfreds surveys check` lists them).",
)
@click.option("--period", "period_text", metavar="PERIOD", help=PERIOD_HELP)
@click.option(
    "--by",
    metavar="KEY",
    help="Break down by a segment key (benefit, unit, industry, size …), by channel (telegram, web) or by language.",
)
@click.option(
    "--filter",
    "filter_text",
    metavar="KEY=VALUE",
    help="Only the responses with this segment value, e.g. benefit=kontanthjaelp (combine with --by unit).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, or JSON {definition, rows} for programs.",
)
@click.option(
    "--lang",
    type=click.Choice(["da", "en"]),
    default="da",
    show_default=True,
    help="Language of the table: Danish (decimal comma) or English.",
)
def report(
    survey_key: str, period_text: str | None, by: str | None, filter_text: str | None, fmt: str, lang: str
) -> None:
    """Satisfaction share, 95% interval and goal status for a survey and period."""
    settings = settings_or_exit()
    layout = _layout(survey_key)
    period = _period(period_text, settings)
    key = _segment_key(layout, by)
    where = _filter(layout, filter_text)
    result = run_async(_build, settings, layout, period, [key] if key else [], where)
    if fmt == "json":
        body = {
            "period": {"label": result.period, "start": result.period_start, "end": result.period_end},
            "filter": result.filter,
            "definition": result.definition,
            "rows": result.rows(by=key),
            "items": result.item_rows(),
            "change": _change(result),
            "response_rate": {
                "issued": result.response_rate.issued,
                "completed": result.response_rate.completed,
                "rate": result.response_rate.rate,
                "note": result.response_rate.note,
            },
            "notes": _notes(result, key),
            "callbacks_asked": result.callbacks_asked,
        }
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    _print_table(result, key, lang)


def _notes(result: Any, key: str | None) -> list[str]:
    """What the rows leave out, said plainly."""
    if key and result.overall.n and not result.overall.suppressed and not result.segments.get(key):
        return [
            f"The breakdown by {key} is not shown: hiding its small groups safely would hide all of them "
            f"(fewer than {result.min_cell_size} responses in a group)."
        ]
    return []


def _change(result: Any) -> dict[str, Any] | None:
    if result.change is None:
        return None
    c = result.change
    return {
        "against": result.previous_period,
        "diff": round(c.diff, 4),
        "ci_low": round(c.ci_low, 4),
        "ci_high": round(c.ci_high, 4),
        "method": c.method,
    }


class TableWords(TypedDict):
    """The words of the report table in one language (``{name}``: filled in with ``str.format``)."""

    columns: tuple[str, ...]
    all: str
    span: str
    caption: str
    change: str
    real: str
    unclear: str
    no_change: str
    rate: str
    rate_none: str
    comments: str
    callbacks: str


TABLE_WORDS: dict[str, TableWords] = {
    "da": {
        "columns": ("Gruppe", "Antal", "Tilfredse", "Andel", "95 %-interval", "Status", "Svarprocent"),
        "all": "Alle svar",
        "span": "{start} til {end}",
        "caption": "Mål: {goal} tilfredse. Grupper under {min} svar vises som '<{min}'; '–' skjuler en gruppe, "
        "der ellers ville afsløre en lille gruppe.",
        "change": "Ændring mod {against}: {diff} procentpoint (95 %-interval {low} til {high}; {method}): {verdict}.",
        "real": "en klar ændring",
        "unclear": "ikke en klar ændring",
        "no_change": "Ændring mod {against}: for få svar til at sammenligne.",
        "rate": "Svarprocent: {rate} ({note}).",
        "rate_none": "Svarprocent: {note}.",
        "comments": "Kommentarer i fritekst: {n}.",
        "callbacks": "Bad om at blive ringet op (Ring mig op): {n}.",
    },
    "en": {
        "columns": ("Group", "n", "Satisfied", "Share", "95% interval", "Status", "Response rate"),
        "all": "All responses",
        "span": "{start} to {end}",
        "caption": "Goal: {goal} satisfied. Groups under {min} responses show '<{min}'; '–' hides a group that "
        "would give a small one away.",
        "change": "Change against {against}: {diff} points (95% interval {low} to {high}; {method}): {verdict}.",
        "real": "a real change",
        "unclear": "not a clear change",
        "no_change": "Change against {against}: too few responses to compare.",
        "rate": "Response rate: {rate} ({note}).",
        "rate_none": "Response rate: {note}.",
        "comments": "Free-text comments: {n}.",
        "callbacks": "Asked to be called back (Ring mig op): {n}.",
    },
}


def _print_table(result: Any, key: str | None, lang: str = "da") -> None:
    """The report as a table for people, in Danish (decimal comma, "83,3 %") or English ("83.3%")."""
    from rich.console import Console
    from rich.table import Table

    from tilfreds.web.formatting import number
    from tilfreds.web.formatting import pct as percent

    words = TABLE_WORDS[lang]

    def pct(value: float | None) -> str:
        return percent(value, 1, lang=lang)

    def signed(value: float) -> str:
        return ("+" if value >= 0 else "−") + number(abs(value) * 100, 1, lang=lang)

    # Piped into a file or another program, rich would wrap at 80 columns; a report line is wider.
    console = Console(width=None if sys.stdout.isatty() else 140)
    span = words["span"].format(start=result.period_start, end=result.period_end)
    table = Table(
        title=f"{result.title} — {result.period} ({span})"
        + (f" — {result.filter_label}" if result.filter_label else ""),
        caption=words["caption"].format(goal=percent(result.target, 0, lang=lang), min=result.min_cell_size),
    )
    for index, name in enumerate(words["columns"]):
        justify: JustifyMethod = "left" if index in (0, 5) else "right"
        table.add_column(name, justify=justify, no_wrap=index != 0)
    rows = [result.overall, *(result.segments.get(key, []) if key else [])]
    for row in rows:
        styles = {"met": "green", "missed": "red", "not_yet_shown": "yellow"}
        status = row.status.label(lang) if row.status else ""
        table.add_row(
            row.label if row.segment_key else words["all"],
            row.display_n if row.suppressed else number(row.n, lang=lang),
            "" if row.satisfied is None else number(row.satisfied, lang=lang),
            pct(row.share.share) if row.share else "",
            f"{pct(row.share.ci_low)}–{pct(row.share.ci_high)}" if row.share else "",
            f"[{styles[row.status.value]}]{status}[/]" if row.status else "",
            pct(row.response_rate),
        )
    console.print(table)
    for note in _notes(result, key):
        console.print(note)
    if result.change is not None:
        c = result.change
        console.print(
            words["change"].format(
                against=result.previous_period,
                diff=signed(c.diff),
                low=signed(c.ci_low),
                high=signed(c.ci_high),
                method=c.method,
                verdict=words["real"] if c.significant else words["unclear"],
            )
        )
    else:
        console.print(words["no_change"].format(against=result.previous_period))
    rate = result.response_rate
    if rate.rate is not None:
        console.print(words["rate"].format(rate=pct(rate.rate), note=rate.note))
    else:
        console.print(words["rate_none"].format(note=rate.note))
    console.print(words["comments"].format(n=number(result.comments, lang=lang)))
    if result.callbacks_asked is not None:
        console.print(words["callbacks"].format(n=number(result.callbacks_asked, lang=lang)))


@click.command()
@click.option(
    "--survey",
    "survey_key",
    required=True,
    metavar="KEY",
    help="Which survey, by its key (e.g. citizen; `tilfreds surveys check` lists them).",
)
@click.option(
    "--period",
    "period_texts",
    metavar="PERIOD",
    multiple=True,
    help=PERIOD_HELP + " Give it again to add periods to one file, e.g. --period 2026-YTD --period 2025 "
    "for the committee (the first is the main one).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv", "html", "pdf"]),
    required=True,
    help="xlsx (sheets and charts), csv (Danish Excel: ';' and decimal comma), html (committee report) "
    "or pdf (the committee paper: that page on A4).",
)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The file to write.")
@click.option("--raw", is_flag=True, help="One row per response (csv or xlsx) for staff analysis, not the report.")
@click.option("--actor", metavar="NAME", help="Who exports, for the audit log. Default: your OS user.")
def export(survey_key: str, period_texts: tuple[str, ...], fmt: str, out: Path, raw: bool, actor: str | None) -> None:
    """Write the report (or, with --raw, the responses) to a file. Every export is audited."""
    settings = settings_or_exit()
    layout = _layout(survey_key)
    periods = [_period(text, settings) for text in period_texts or (None,)]
    if raw and fmt in ("html", "pdf"):
        raise Problem(f"--raw writes csv or xlsx, not {fmt}")
    if raw and len(periods) > 1:
        raise Problem("--raw takes one --period")
    if not out.parent.exists():
        raise Problem(f"the folder {out.parent} does not exist")
    who = current_actor(actor)
    from rich.console import Console

    with Console(stderr=True).status(f"writing {out.name} …"):
        rows = run_async(_export, settings, layout, periods, fmt, out, raw, who)
    what = "responses" if raw else "rows"
    click.echo(f"wrote {out} ({rows} {what}); the export is recorded in the audit log as {who}")


async def _export(
    settings: Settings, layout: Any, periods: list[Any], fmt: str, out: Path, raw: bool, actor: str
) -> int:
    from analytics.service import configured_report, export_raw, export_report

    database = await open_database(settings)
    try:
        if raw:
            return await export_raw(database, layout, periods[0], fmt, out, tz=settings.timezone, actor=actor)
        results = [await configured_report(database, layout, period, settings) for period in periods]
        return await export_report(database, results, fmt, out, actor=actor, imprint=imprint(settings))
    except OSError as exc:
        raise Problem(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        await database.dispose()


def imprint(settings: Settings) -> Any:
    """The organisation and the time of making, for the files' headers and footers."""
    from analytics.exports import Imprint

    return Imprint(organisation=settings.organisation_name, tz=settings.timezone)


@click.command()
@click.argument("kind", type=click.Choice(["committee", "annual"]))
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Run it as the scheduled job would on this day (reports end the day before). Default: today.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder to write the files into. Default: TILFREDS_REPORTS_DIR.",
)
@click.option("--refresh", is_flag=True, help="Count anew and replace the stored snapshot of the period.")
@click.option("--actor", metavar="NAME", help="Who exports, for the audit log. Default: your OS user.")
def followup(kind: str, as_of: datetime | None, out: Path | None, refresh: bool, actor: str | None) -> None:
    """Produce a follow-up now, exactly as the scheduled job does: committee (every survey listing it: the
    year to date with its change, and the previous full year) or annual (the previous full year).

    A period that has a stored snapshot is written from it, unchanged, unless --refresh."""
    settings = settings_or_exit()
    due = _due(settings, as_of)
    produced = run_async(_followup, settings, kind, due, out, refresh, current_actor(actor))
    if not produced:
        raise Problem(f"no survey definition lists the {kind} follow-up (follow_ups: in the survey file)")
    for part in produced:
        how = "from the stored snapshot (--refresh counts anew)" if part.reused else "counted now"
        click.echo(f"{part.survey}: {how}")
        for path in part.files:
            click.echo(f"  {path}")


def _due(settings: Settings, as_of: datetime | None) -> datetime:
    """The moment the job would run: the start of ``as_of`` in the configured time zone, or now."""
    from zoneinfo import ZoneInfo

    from db.models import utcnow

    if as_of is None:
        return utcnow()
    return as_of.replace(tzinfo=ZoneInfo(settings.timezone))


async def _followup(
    settings: Settings, kind: str, due: datetime, out: Path | None, refresh: bool, actor: str
) -> list[Any]:
    from analytics.followup import follow_up

    database = await open_database(settings)
    try:
        return await follow_up(settings, database, kind, due, folder=out, actor=actor, refresh=refresh)
    except OSError as exc:
        raise Problem(f"cannot write the files: {exc.strerror or exc}") from None
    finally:
        await database.dispose()


@click.command()
def schedule() -> None:
    """The scheduled jobs, when each runs next and how its last run went (in the configured time zone)."""
    from zoneinfo import ZoneInfo

    from rich.console import Console
    from rich.table import Table

    from analytics.jobs import job_specs, next_run
    from db.models import utcnow

    settings = settings_or_exit()
    zone = ZoneInfo(settings.timezone)
    now = utcnow()
    last = run_async(_last_runs, settings)
    table = Table(title=f"Scheduled jobs ({settings.timezone})")
    for name in ("Job", "When (cron)", "Next run", "Last run", "What it does"):
        table.add_column(name)
    for spec in job_specs(settings):
        upcoming: datetime | None = next_run(spec, now, settings.timezone)
        run = last.get(spec.name)
        done = "never"
        if run is not None:
            outcome = run.outcome if run.finished_at else "running (or stopped mid-run)"
            done = f"{run.due_at.astimezone(zone):%Y-%m-%d %H:%M}: {outcome}"
        table.add_row(
            spec.name,
            spec.cron,
            upcoming.strftime("%Y-%m-%d %H:%M %Z") if upcoming else "never",
            done,
            spec.description,
        )
    Console(width=None if sys.stdout.isatty() else 160).print(table)


async def _last_runs(settings: Settings) -> dict[str, Any]:
    from db.repo import job_runs

    database = await open_database(settings)
    try:
        async with database.sessions() as session:
            return await job_runs.last_runs(session)
    finally:
        await database.dispose()
