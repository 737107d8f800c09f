"""The I/O shell around report building: read counts, build, write files, leave an audit row."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Protocol

from analytics.collect import collect
from analytics.dropoff import Dropoff, build_dropoff
from analytics.exports import Imprint
from analytics.layout import SurveyLayout
from analytics.periods import Period
from analytics.report import Report, build_report
from db.database import Database
from db.repo import audit
from db.repo.aggregates import Bounds
from db.writes import write_session


async def make_report(
    database: Database,
    layout: SurveyLayout,
    period: Period,
    *,
    tz: str,
    min_cell_size: int,
    segment_keys: Sequence[str] | None = None,
    where: tuple[str, str] | None = None,
    organisation: str = "Jobcentret",
    logo: Path | None = None,
) -> Report:
    """The report of ``layout``'s survey for ``period``; a few GROUP BY queries, read-only.

    ``where``: only the responses with one segment value, e.g. ``("benefit", "kontanthjaelp")``; small cells
    are then suppressed within that selection exactly as in any other report.
    """
    counts = await collect(database.sessions, layout, period, tz=tz, segment_keys=segment_keys, where=where)
    report = build_report(counts, min_cell_size)
    return replace(
        report,
        dropoff=await where_people_stop(database, layout, period, tz=tz, min_cell_size=min_cell_size, where=where),
        callbacks_asked=None if where else await callbacks_asked(database, layout.key, period),
        organisation=organisation,
        logo=data_uri(logo),
        timezone=tz,
    )


class ReportSettings(Protocol):
    """What a report takes from the installation's settings (``tilfreds.settings.Settings`` has it all)."""

    @property
    def timezone(self) -> str: ...
    @property
    def min_cell_size(self) -> int: ...
    @property
    def organisation_name(self) -> str: ...
    @property
    def organisation_logo(self) -> Path | None: ...


async def configured_report(
    database: Database,
    layout: SurveyLayout,
    period: Period,
    settings: ReportSettings,
    *,
    segment_keys: Sequence[str] | None = None,
    where: tuple[str, str] | None = None,
) -> Report:
    """:func:`make_report` with this installation's time zone, minimum cell size, organisation and logo."""
    return await make_report(
        database,
        layout,
        period,
        tz=settings.timezone,
        min_cell_size=settings.min_cell_size,
        segment_keys=segment_keys,
        where=where,
        organisation=settings.organisation_name,
        logo=settings.organisation_logo,
    )


def data_uri(path: Path | None) -> str:
    """A small image file as a ``data:`` URI, so the html report stays one self-contained file."""
    import base64

    if path is None:
        return ""
    kinds = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
    kind = kinds.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


async def callbacks_asked(database: Database, survey_key: str, period: Period) -> int:
    """How many asked to be called back in the period (the requests themselves are never in a report)."""
    from db.repo import callbacks

    async with database.sessions() as session:
        return await callbacks.asked(session, survey_key, period.start, period.end)


async def where_people_stop(
    database: Database,
    layout: SurveyLayout,
    period: Period,
    *,
    tz: str,
    min_cell_size: int,
    where: tuple[str, str] | None = None,
) -> Dropoff:
    """Per question: reached, answered, skipped, stopped there, over the responses started in ``period``."""
    from db.repo import dropoff

    start, end = period.utc_bounds(tz)
    bounds = Bounds(layout.key, layout.headline_id, start, end, where)
    async with database.sessions() as session:
        started = await dropoff.started_count(session, bounds)
        flows = await dropoff.question_flow(session, bounds)
    return build_dropoff(layout, started, flows, min_cell_size)


async def export_report(
    database: Database,
    reports: Sequence[Report],
    fmt: str,
    path: Path,
    *,
    actor: str,
    imprint: Imprint | None = None,
) -> int:
    """Write ``reports`` to ``path`` as ``fmt`` and record who exported what; returns the rows written."""
    from analytics.exports import write_report

    rows = await asyncio.to_thread(partial(write_report, imprint=imprint), reports, fmt, path)
    main = reports[0]
    async with write_session(database) as session:
        await audit.record(
            session,
            actor=actor,
            action="export",
            detail={
                "survey": main.survey,
                "period": main.period,
                "periods": [r.period for r in reports],
                "format": fmt,
                "file": path.name,
                "kind": "report",
            },
            rows=rows,
        )
    return rows


async def export_raw(
    database: Database, layout: SurveyLayout, period: Period, fmt: str, path: Path, *, tz: str, actor: str
) -> int:
    """One row per counted response of the period, streamed to ``path``; audited. Returns the rows written."""
    from analytics.exports.raw import write_raw
    from db.repo.raw_responses import stream_responses

    start, end = period.utc_bounds(tz)
    bounds = Bounds(layout.key, layout.headline_id, start, end)
    async with database.sessions() as session:
        rows = await write_raw(layout, stream_responses(session, bounds), fmt, path, tz)
        await audit.record(
            session,
            actor=actor,
            action="export",
            detail={"survey": layout.key, "period": period.label, "format": fmt, "file": path.name, "kind": "raw"},
            rows=rows,
        )
        await session.commit()
    return rows
