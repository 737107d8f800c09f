"""The GROUP BY queries on SQLite and PostgreSQL: who counts, where the period ends, per segment."""

from __future__ import annotations

from datetime import UTC, datetime

from db.database import Database
from db.repo import aggregates
from db.repo.aggregates import Bounds, KpiCount
from tests.analytics.factories import add_invitation, add_many, add_response, add_version, at

# 2026 in Copenhagen: local midnight 1 January 2026 (UTC+1) to local midnight 1 January 2027.
YEAR_2026 = Bounds("citizen", "overall", datetime(2025, 12, 31, 23, tzinfo=UTC), datetime(2026, 12, 31, 23, tzinfo=UTC))
# March 2026: summer time starts on 29 March, so the month ends at 22:00 UTC on 31 March.
MARCH_2026 = Bounds("citizen", "overall", datetime(2026, 2, 28, 23, tzinfo=UTC), datetime(2026, 3, 31, 22, tzinfo=UTC))


async def test_headline_counts_who_counts_and_who_does_not(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        when = at(2026, 5, 4)
        await add_many(session, version, 3, headline=5, when=when)
        await add_many(session, version, 2, headline=4, when=when)
        await add_many(session, version, 2, headline=2, when=when)
        await add_response(session, version, when=when, headline="dk")  # not in n
        await add_response(session, version, when=when, headline=5, status="withdrawn")  # never counts
        await add_response(session, version, when=when, headline=4, status="in_progress")  # headline answered: counts
        await add_response(session, version, when=when, headline=None, answers={"heard": 5})  # no headline
        await add_response(session, version, when=when, headline=5, survey_key="employer")  # other survey
        await session.commit()
        counts = await aggregates.kpi_counts(session, YEAR_2026)
    assert counts == [KpiCount(segment=None, n=8, satisfied=6, dont_know=1)]


async def test_empty_period_gives_zero_not_nothing(database: Database) -> None:
    async with database.sessions() as session:
        assert await aggregates.kpi_counts(session, YEAR_2026) == [KpiCount(None, 0, 0, 0)]
        assert await aggregates.kpi_counts(session, YEAR_2026, by="benefit") == []


async def test_period_edges_follow_copenhagen_local_dates(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        # 00:30 on 1 January 2026 in Copenhagen is still 31 December in UTC: it belongs to 2026.
        await add_response(session, version, when=datetime(2025, 12, 31, 23, 30, tzinfo=UTC), headline=5)
        # 23:30 on 31 December 2025 local time: 2025.
        await add_response(session, version, when=datetime(2025, 12, 31, 22, 30, tzinfo=UTC), headline=1)
        # 00:30 on 1 April 2026 local (summer time, UTC+2) is 22:30 UTC on 31 March: April, not March.
        await add_response(session, version, when=datetime(2026, 3, 31, 22, 30, tzinfo=UTC), headline=2)
        # 23:30 on 31 March local: March.
        await add_response(session, version, when=datetime(2026, 3, 31, 21, 30, tzinfo=UTC), headline=4)
        await session.commit()
        year = await aggregates.kpi_counts(session, YEAR_2026)
        march = await aggregates.kpi_counts(session, MARCH_2026)
    assert year == [KpiCount(None, n=3, satisfied=2, dont_know=0)]
    assert march == [KpiCount(None, n=1, satisfied=1, dont_know=0)]


async def test_counts_per_segment_value_including_missing(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        when = at(2026, 6, 1)
        await add_many(session, version, 6, headline=5, when=when, segments={"benefit": "kontanthjaelp"})
        await add_many(session, version, 4, headline=2, when=when, segments={"benefit": "kontanthjaelp"})
        await add_many(session, version, 3, headline=4, when=when, segments={"benefit": "sygedagpenge", "unit": "x"})
        await add_many(session, version, 2, headline=1, when=when, segments={"unit": "x"})
        await session.commit()
        counts = await aggregates.kpi_counts(session, YEAR_2026, by="benefit")
    by_value = {c.segment: (c.n, c.satisfied) for c in counts}
    assert by_value == {"kontanthjaelp": (10, 6), "sygedagpenge": (3, 3), None: (2, 0)}


async def test_item_distributions_and_comments(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        when = at(2026, 2, 2)
        await add_response(
            session, version, when=when, headline=5, answers={"heard": 5, "respect": "dk"}, comment="Mere tid"
        )
        await add_response(session, version, when=when, headline=4, answers={"heard": 5, "respect": 3}, comment="")
        await add_response(session, version, when=when, headline=2, answers={"heard": 1}, comment="Svar hurtigere")
        # Withdrawn: its answers and comment are not counted.
        await add_response(
            session, version, when=when, headline=2, answers={"heard": 1}, comment="x", status="withdrawn"
        )
        await session.commit()
        values = await aggregates.value_counts(session, YEAR_2026, ["overall", "heard", "respect"])
        comments = await aggregates.comment_count(session, YEAR_2026, ["better"])
    got = {(v.question_id, v.option, v.value): v.count for v in values}
    assert got == {
        ("overall", "2", 2): 1,
        ("overall", "4", 4): 1,
        ("overall", "5", 5): 1,
        ("heard", "1", 1): 1,
        ("heard", "5", 5): 2,
        ("respect", "dk", None): 1,
        ("respect", "3", 3): 1,
    }
    assert comments == 2


async def test_response_rate_counts_single_use_invitations_only(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        when = at(2026, 4, 1)
        used = []
        for _ in range(4):
            used.append(await add_invitation(session, when=when, segments={"benefit": "kontanthjaelp"}))
        await add_invitation(session, when=when, segments={"benefit": "sygedagpenge"})
        qr = await add_invitation(session, when=when, max_uses=None)
        await add_invitation(session, when=at(2025, 4, 1))  # another year
        await add_response(session, version, when=when, headline=5, invitation_id=used[0])
        await add_response(session, version, when=when, headline=4, invitation_id=used[1])
        await add_response(session, version, when=when, headline=4, invitation_id=used[2], status="in_progress")
        await add_many(session, version, 3, headline=5, when=when, invitation_id=qr)
        await session.commit()
        overall = await aggregates.invitation_counts(session, YEAR_2026)
        per_benefit = await aggregates.invitation_counts(session, YEAR_2026, by="benefit")
        multi = aggregates.multi_use_total(await aggregates.kpi_groups(session, YEAR_2026))
    assert [(c.issued, c.completed) for c in overall] == [(5, 2)]
    assert {c.segment: (c.issued, c.completed) for c in per_benefit} == {
        "kontanthjaelp": (4, 2),
        "sygedagpenge": (1, 0),
    }
    assert multi == 3


async def test_counts_per_interval_in_the_same_pass(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        await add_many(session, version, 2, headline=5, when=datetime(2026, 1, 31, 23, 30, tzinfo=UTC))  # 1 Feb
        await add_many(session, version, 1, headline=1, when=datetime(2026, 1, 31, 22, 59, tzinfo=UTC))  # 31 Jan
        await add_many(session, version, 3, headline=4, when=datetime(2026, 3, 31, 21, 30, tzinfo=UTC))  # 31 Mar
        await session.commit()
        edges = [
            datetime(2025, 12, 31, 23, tzinfo=UTC),
            datetime(2026, 1, 31, 23, tzinfo=UTC),
            datetime(2026, 2, 28, 23, tzinfo=UTC),
            datetime(2026, 3, 31, 22, tzinfo=UTC),
        ]
        counts = aggregates.sum_by_interval(await aggregates.kpi_groups(session, YEAR_2026, edges), len(edges) - 1)
    assert [(c.n, c.satisfied) for c in counts] == [(1, 0), (2, 2), (3, 3)]


async def test_segments_stored_in_another_key_order_still_count_together(database: Database) -> None:
    # The segments are grouped as the JSON text they were stored as: the same values written with the
    # keys in another order are another text, and must still add up to one segment value.
    async with database.sessions() as session:
        version = await add_version(session)
        when = at(2026, 6, 1)
        await add_many(session, version, 2, headline=5, when=when, segments={"benefit": "kontanthjaelp", "unit": "x"})
        await add_many(session, version, 1, headline=1, when=when, segments={"unit": "x", "benefit": "kontanthjaelp"})
        await add_many(session, version, 1, headline=4, when=when, segments={"unit": "y", "benefit": "kontanthjaelp"})
        await session.commit()
        groups = await aggregates.kpi_groups(session, YEAR_2026)
    assert aggregates.sum_kpi(groups, by="benefit") == [KpiCount("kontanthjaelp", n=4, satisfied=3, dont_know=0)]
    assert aggregates.sum_kpi(groups, by="unit") == [
        KpiCount("x", n=3, satisfied=2, dont_know=0),
        KpiCount("y", n=1, satisfied=1, dont_know=0),
    ]
    assert aggregates.sum_kpi(groups) == [KpiCount(None, n=4, satisfied=3, dont_know=0)]
