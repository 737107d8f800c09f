"""SQLite and PostgreSQL give the same report, number for number, on the same data."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from analytics.periods import parse_period
from analytics.service import make_report
from db.database import Database
from tests.analytics.factories import CITIZEN, add_invitation, add_response, add_version
from tests.conftest import _migrate, _reset_postgres

pytestmark = pytest.mark.postgres

BENEFITS = ("a-dagpenge", "kontanthjaelp", "sygedagpenge")
# Instants near the edges that matter in Copenhagen: New Year and both daylight-saving changes.
EDGES = [
    datetime(2025, 12, 31, 22, 59, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 0, tzinfo=UTC),
    datetime(2026, 3, 31, 21, 59, tzinfo=UTC),
    datetime(2026, 3, 31, 22, 0, tzinfo=UTC),
    datetime(2026, 10, 31, 22, 59, tzinfo=UTC),
    datetime(2026, 10, 31, 23, 0, tzinfo=UTC),
]


async def _seed(database: Database) -> None:
    rng = random.Random(42)
    async with database.sessions() as session:
        version = await add_version(session)
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for i in range(400):
            when = EDGES[i % len(EDGES)] if i % 10 == 0 else start + timedelta(minutes=rng.randrange(700 * 24 * 60))
            segments = {"benefit": rng.choice(BENEFITS)} if rng.random() < 0.9 else {}
            if rng.random() < 0.5:
                segments["unit"] = rng.choice(("ungeenheden", "voksen"))
            invitation = await add_invitation(session, when=when, segments=segments) if rng.random() < 0.7 else None
            headline = rng.choice([1, 2, 3, 4, 4, 5, 5, 5, "dk"])
            status = rng.choice(["completed"] * 8 + ["in_progress", "withdrawn"])
            await add_response(
                session,
                version,
                when=when,
                headline=headline,
                segments=segments,
                status=status,
                invitation_id=invitation,
                answers={"heard": rng.randint(1, 5)},
                comment="tekst" if rng.random() < 0.2 else None,
            )
        await session.commit()


async def _reports(url: str) -> list[dict]:
    database = Database(url)
    try:
        await _seed(database)
        out = []
        for text in ("2026", "2025", "2026-Q1", "2026-04", "2026-11", "2025-12-01:2026-03-31"):
            report = await make_report(
                database, CITIZEN, parse_period(text, date(2026, 11, 26)), tz="Europe/Copenhagen", min_cell_size=5
            )
            data = report.to_dict()
            data["definition"].pop("tilfreds_version")
            out.append(data)
        return out
    finally:
        await database.dispose()


async def test_sqlite_and_postgresql_give_identical_reports(tmp_path: Path, postgres_server_url: str) -> None:
    sqlite_url = f"sqlite+aiosqlite:///{tmp_path / 'same.sqlite3'}"
    await _migrate(sqlite_url)
    await _reset_postgres(postgres_server_url)
    on_sqlite = await _reports(sqlite_url)
    on_postgres = await _reports(postgres_server_url)
    assert on_sqlite[0]["overall"]["n"] > 100  # the data are not trivially empty
    assert on_sqlite == on_postgres
