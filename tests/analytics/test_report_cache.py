"""Cached reports equal reports counted from the raw answers, after every kind of change.

The cache (``analytics/cache.py``) is used by the staff pages; here it is driven directly, with a clock the
test moves, on random data: deletions (/delete), withdrawals, the retention purge and revised answers show at
once; answers added late show once the freshness window has passed.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from analytics.cache import ReportCache
from analytics.periods import parse_period
from analytics.service import make_report
from db.database import Database
from db.models import Answer, Respondent, Response
from db.repo import responses, retention
from tests.analytics.factories import CITIZEN, add_invitation, add_response, add_version, at

TODAY = date(2026, 11, 26)
TZ = "Europe/Copenhagen"
PERIODS = ("2026", "2025", "2025-10-01:2026-03-31")
BENEFITS = ("a-dagpenge", "kontanthjaelp", "sygedagpenge")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def seed(database: Database, rng: random.Random) -> list[int]:
    """300 random responses over 2025–2026, some by ten known respondents; returns the respondents' ids."""
    async with database.sessions() as session:
        version = await add_version(session)
        people = [Respondent(pseudonym=f"p{i:02d}" * 8) for i in range(10)]
        session.add_all(people)
        await session.flush()
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for _ in range(300):
            when = start + timedelta(minutes=rng.randrange(690 * 24 * 60))
            segments = {"benefit": rng.choice(BENEFITS)} if rng.random() < 0.9 else {}
            invitation = await add_invitation(session, when=when, segments=segments) if rng.random() < 0.6 else None
            await add_response(
                session,
                version,
                when=when,
                headline=rng.choice([1, 2, 3, 4, 4, 5, 5, 5, "dk"]),
                segments=segments,
                status=rng.choice(["completed"] * 8 + ["in_progress", "withdrawn"]),
                invitation_id=invitation,
                respondent_id=rng.choice(people).id if rng.random() < 0.3 else None,
                answers={"heard": rng.randint(1, 5)},
            )
        await session.commit()
        return [p.id for p in people]


async def raw_counts(database: Database, text: str) -> dict[str | None, tuple[int, int]]:
    """n and satisfied, overall (None) and per benefit, counted in Python from the rows themselves."""
    start, end = parse_period(text, TODAY).utc_bounds(TZ)
    async with database.sessions() as session:
        rows = (
            await session.execute(
                select(Response.segments, Answer.value)
                .join(Answer, Answer.response_id == Response.id)
                .where(
                    Response.survey_key == "citizen",
                    Response.status != "withdrawn",
                    Answer.question_id == "overall",
                    Answer.answered_at >= start,
                    Answer.answered_at < end,
                )
            )
        ).all()
    counts: dict[str | None, list[int]] = {}
    for segments, value in rows:
        if value is None or not 1 <= value <= 5:
            continue
        benefit = (segments or {}).get("benefit")
        for group in (None, benefit) if benefit else (None,):
            pair = counts.setdefault(group, [0, 0])
            pair[0] += 1
            pair[1] += value >= 4
    return {group: (n, satisfied) for group, (n, satisfied) in counts.items()}


async def cached(cache: ReportCache, database: Database, text: str):
    period = parse_period(text, TODAY)

    async def count():
        return await make_report(database, CITIZEN, period, tz=TZ, min_cell_size=5)

    return await cache.report(database, ("citizen", text), count)


async def assert_current(cache: ReportCache, database: Database) -> None:
    """Every period's cached report is the one counted now, and its numbers are the raw rows' numbers."""
    for text in PERIODS:
        shown = (await cached(cache, database, text)).to_dict()
        fresh = (await make_report(database, CITIZEN, parse_period(text, TODAY), tz=TZ, min_cell_size=5)).to_dict()
        assert shown == fresh, text
        raw = await raw_counts(database, text)
        overall = shown["overall"]
        assert (overall["n"], overall["satisfied"]) == raw.get(None, (0, 0)) or overall["suppressed"], text
        for row in shown["segments"]["benefit"]:
            if not row["suppressed"] and row["segment_value"]:
                assert (row["n"], row["satisfied"]) == raw[row["segment_value"]], (text, row["label"])


async def test_cached_reports_equal_the_raw_answers_after_every_change(database: Database) -> None:
    rng = random.Random(15)
    people = await seed(database, rng)
    clock = Clock()
    cache = ReportCache(fresh_for=30, clock=clock)
    await assert_current(cache, database)
    counted = cache.counted
    await assert_current(cache, database)
    assert cache.counted == counted, "nothing changed: every page load came from the cache"

    # /delete: a respondent's responses go, with their answers.
    async with database.sessions() as session:
        assert await responses.delete_for_respondent(session, people[0], at(2020, 1, 1)) > 0
        await session.commit()
    await assert_current(cache, database)

    # A withdrawal marks a completed response withdrawn.
    async with database.sessions() as session:
        target = await session.scalar(select(Response.id).where(Response.status == "completed").limit(1))
        await session.execute(update(Response).where(Response.id == target).values(status="withdrawn"))
        await session.commit()
    await assert_current(cache, database)

    # A revised headline answer replaces the first one.
    async with database.sessions() as session:
        answer = await session.scalar(
            select(Answer).join(Response).where(Answer.question_id == "overall", Answer.value == 5).limit(1)
        )
        await responses.save_answer(session, answer.response_id, "overall", option="1", value=1, text=None)
        await session.commit()
    await assert_current(cache, database)

    # The retention purge deletes 2025's first half.
    async with database.sessions() as session:
        assert await retention.purge_responses_before(session, at(2025, 7, 1)) > 0
        await session.commit()
    await assert_current(cache, database)

    # Late answers: within the freshness window the page may still show the numbers without them ...
    before = (await cached(cache, database, "2026")).overall.n
    async with database.sessions() as session:
        version = await add_version(session, version=2)
        for _ in range(6):
            await add_response(session, version, when=at(2026, 6, 1), headline=5, segments={"benefit": "a-dagpenge"})
        await session.commit()
    assert (await cached(cache, database, "2026")).overall.n == before
    # ... and once it has passed, they are counted.
    clock.now += 31
    await assert_current(cache, database)
    assert (await cached(cache, database, "2026")).overall.n == before + 6
