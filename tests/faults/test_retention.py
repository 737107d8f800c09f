"""Retention, run as the scheduled job: raw answers older than the retention period go, report snapshots
stay, respondent links of completed responses are cut after the withdrawal window, and running the
purge again changes nothing more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from analytics.jobs import JobContext, run_due
from db.database import Database
from db.models import Answer, ReportSnapshot, Respondent, Response
from tests.analytics.factories import add_response, add_version
from tests.faults.support import TABLES, table_contents
from tilfreds.settings import Settings

NOW = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)  # 03:30 in Copenhagen: the nightly run
MONTH = timedelta(days=30.5)


async def test_retention_purges_old_answers_keeps_snapshots_cuts_links_and_is_idempotent(
    database: Database, tmp_path: Path
) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        a, b = Respondent(pseudonym="a" * 64), Respondent(pseudonym="b" * 64)
        session.add_all([a, b])
        await session.flush()
        ids = {
            "old": await add_response(
                session,
                version,
                when=NOW - 25 * MONTH,
                headline=5,
                answers={"heard": 4},
                comment="gammel kommentar",
                respondent_id=a.id,
            ),
            "old_abandoned": await add_response(
                session, version, when=NOW - 26 * MONTH, headline=2, status="abandoned", respondent_id=b.id
            ),
            "almost_old": await add_response(session, version, when=NOW - 23 * MONTH, headline=4),
            "past_window": await add_response(
                session, version, when=NOW - timedelta(days=40), headline=3, respondent_id=a.id
            ),
            "in_window": await add_response(
                session, version, when=NOW - timedelta(days=10), headline=4, respondent_id=b.id
            ),
            "open": await add_response(
                session, version, when=NOW - timedelta(days=1), headline=None, status="in_progress", respondent_id=b.id
            ),
        }
        session.add_all(
            [
                ReportSnapshot(
                    survey_key="citizen", period="2024", kind="annual", data={"overall": {"n": 2, "satisfied": 1}}
                ),
                ReportSnapshot(
                    survey_key="citizen",
                    period="2025-01-01:2025-02-28",
                    kind="committee",
                    data={"overall": {"n": 1, "satisfied": 1}},
                ),
            ]
        )
        await session.commit()
    snapshots_before = (await table_contents(database, ["report_snapshots"], set()))["report_snapshots"]
    context = JobContext(Settings(_env_file=None, reports_dir=tmp_path / "reports"), database)  # type: ignore[call-arg]

    outcome = await run_due(context, NOW, ["retention"])
    assert outcome == {
        "retention": "deleted 2 responses older than 24 months; cut 1 respondent links; deleted 0 call-back requests"
    }
    async with database.sessions() as session:
        left = {r.id: (r.status, r.respondent_id) for r in await session.scalars(select(Response))}
        answered = set(await session.scalars(select(Answer.response_id)))
        texts = list(await session.scalars(select(Answer.text).where(Answer.text.is_not(None))))
    assert left == {
        ids["almost_old"]: ("completed", None),
        ids["past_window"]: ("completed", None),
        ids["in_window"]: ("completed", b.id),
        ids["open"]: ("in_progress", b.id),
    }
    assert answered == {ids["almost_old"], ids["past_window"], ids["in_window"]}  # no orphaned answers
    assert "gammel kommentar" not in texts
    assert (await table_contents(database, ["report_snapshots"], set()))["report_snapshots"] == snapshots_before

    after_first = await table_contents(database, [t for t in TABLES if t != "job_runs"])
    assert await run_due(context, NOW + timedelta(minutes=5), ["retention"]) == {}  # this night's run is done
    outcome = await run_due(context, NOW + timedelta(days=1), ["retention"])  # the next night: nothing more
    assert outcome == {
        "retention": "deleted 0 responses older than 24 months; cut 0 respondent links; deleted 0 call-back requests"
    }
    assert await table_contents(database, [t for t in TABLES if t != "job_runs"]) == after_first
