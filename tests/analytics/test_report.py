"""Reports from exact data sets: the numbers a committee reads, and what it must not be able to read."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.collect import collect
from analytics.periods import parse_period
from analytics.report import Report, build_report
from db.database import Database
from tests.analytics.factories import (
    CITIZEN,
    EMPLOYER,
    add_invitation,
    add_many,
    add_response,
    add_version,
    at,
    seed_25_of_30,
)

TODAY = date(2026, 11, 26)
TZ = "Europe/Copenhagen"


async def report_for(database: Database, layout=CITIZEN, period: str = "2026", min_size: int = 5) -> Report:
    counts = await collect(database.sessions, layout, parse_period(period, TODAY), tz=TZ)
    return build_report(counts, min_size)


async def test_overall_kpi_25_of_30(database: Database) -> None:
    await seed_25_of_30(database)
    report = await report_for(database)
    overall = report.overall
    assert (overall.n, overall.satisfied) == (30, 25)
    assert overall.share is not None
    assert round(overall.share.share, 3) == 0.833
    assert (round(overall.share.ci_low, 3), round(overall.share.ci_high, 3)) == (0.664, 0.927)
    assert overall.status is not None and overall.status.value == "not_yet_shown"
    assert (report.previous.n, report.previous.satisfied) == (20, 16)
    assert report.change is not None and round(report.change.diff, 3) == round(25 / 30 - 0.8, 3)
    assert report.change.ci_low < 0 < report.change.ci_high  # not a significant change


async def test_a_cell_of_four_is_hidden_and_cannot_be_recovered(database: Database) -> None:
    await seed_25_of_30(database)
    report = await report_for(database)
    rows = {row.segment_value: row for row in report.segments["benefit"]}
    assert rows["a-dagpenge"].suppressed and rows["a-dagpenge"].display_n == "<5"
    assert rows["a-dagpenge"].n is None and rows["a-dagpenge"].satisfied is None and rows["a-dagpenge"].share is None
    # 30 - 21 would give away the hidden 4, so the next smallest group is hidden too.
    assert rows["sygedagpenge"].suppressed and rows["sygedagpenge"].display_n == "–"
    assert not rows["kontanthjaelp"].suppressed and rows["kontanthjaelp"].n == 21
    visible = sum(row.n for row in report.segments["benefit"] if row.n is not None)
    assert report.overall.n - visible == 9  # only the sum of the two hidden groups can be worked out
    json_rows = report.rows(by="benefit")
    hidden = [r for r in json_rows if r["segment"] == {"benefit": "a-dagpenge"}][0]
    assert hidden == {
        "survey": "citizen",
        "period": "2026",
        "filter": None,
        "segment": {"benefit": "a-dagpenge"},
        "n": "<5",
        "satisfied": None,
        "share": None,
        "ci_low": None,
        "ci_high": None,
        "status": None,
        "suppressed": True,
        "response_rate": None,
    }


async def test_a_total_below_the_minimum_hides_everything(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        await add_many(
            session,
            version,
            4,
            headline=5,
            when=at(2026, 2, 1),
            segments={"benefit": "kontanthjaelp"},
            answers={"heard": 5},
            comment="Tak",
        )
        await session.commit()
    report = await report_for(database)
    assert report.overall.suppressed and report.overall.display_n == "<5" and report.overall.share is None
    assert report.segments == {"benefit": [], "unit": []}
    assert all(item.suppressed and item.mean is None for item in report.items)
    assert report.trend == [] and report.comments == 0
    assert "4" not in str(report.rows())


async def test_items_nps_and_comments(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session, "employer")
        when = at(2026, 9, 1)
        for recommend in (10, 10, 9, 8, 7, 3):
            await add_response(
                session,
                version,
                survey_key="employer",
                when=when,
                headline=4,
                answers={"contact": 5 if recommend > 8 else 2, "recommend": recommend},
                comment="Godt" if recommend == 10 else None,
            )
        await add_response(
            session,
            version,
            survey_key="employer",
            when=when,
            headline=5,
            answers={"contact": "dk", "recommend": "skip"},
        )
        await session.commit()
    report = await report_for(database, EMPLOYER)
    items = {item.id: item for item in report.items}
    assert items["contact"].n == 6 and items["contact"].mean == pytest.approx((5 * 3 + 2 * 3) / 6)
    assert items["contact"].distribution == {1: 0, 2: 3, 3: 0, 4: 0, 5: 3}
    assert items["contact"].not_counted == {"dk": 1}
    assert items["recommend"].nps == 33  # 100 × (3 − 1) / 6 = 33.3, published as a whole number
    assert items["overall"].distribution[4] == 6
    assert report.comments == 2


async def test_response_rate_or_no_denominator(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        when = at(2026, 3, 3)
        invitations = [await add_invitation(session, when=when) for _ in range(10)]
        for invitation in invitations[:6]:
            await add_response(session, version, when=when, headline=5, invitation_id=invitation)
        await session.commit()
    report = await report_for(database)
    assert report.response_rate.rate == pytest.approx(0.6) and report.response_rate.issued == 10
    assert report.overall.response_rate == pytest.approx(0.6)

    async with database.sessions() as session:
        version = await add_version(session, "employer")
        qr = await add_invitation(session, "employer", when=at(2026, 3, 3), max_uses=None)
        await add_many(session, version, 6, headline=5, when=at(2026, 3, 3), survey_key="employer", invitation_id=qr)
        await session.commit()
    employer = await report_for(database, EMPLOYER)
    assert employer.response_rate.rate is None and "ingen nævner" in employer.response_rate.note
    assert employer.response_rate.multi_use_responses == 6


async def test_a_small_month_is_hidden_but_never_a_complete_one_beside_it(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        await add_many(session, version, 10, headline=5, when=at(2026, 1, 10))
        await add_many(session, version, 3, headline=5, when=at(2026, 2, 10))
        await add_many(session, version, 8, headline=2, when=at(2026, 3, 10))
        await session.commit()
    report = await report_for(database, period="2026-Q1")
    # February's 3 is hidden; March is shown: it can be asked for as a period of its own anyway.
    assert [(row.label, row.display_n) for row in report.trend] == [
        ("2026-01", "10"),
        ("2026-02", "<5"),
        ("2026-03", "8"),
    ]
    assert report.trend[0].share is not None and report.trend[0].share.share == 1.0
    assert report.trend[1].share is None and report.trend[1].n is None and report.trend[1].satisfied is None
    assert report.trend[2].share is not None and report.trend[2].share.share == 0.0
    assert report.definition["min_cell_size"] == 5 and "Wilson" in report.definition["interval_method"]["en"]


async def test_the_current_month_is_labelled_partial(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        await add_many(session, version, 12, headline=5, when=at(2026, 10, 10))
        await add_many(session, version, 2, headline=5, when=at(2026, 11, 20))  # the current, small month
        await session.commit()
    report = await report_for(database, period="2026-YTD")  # to 26 November
    labels = [(row.label, row.display_n) for row in report.trend]
    assert labels[-2:] == [("2026-10", "12"), ("2026-11 (delvis)", "<5")]
    assert all("delvis" not in label for label, _ in labels[:-1])
    assert [label for label, _ in labels[:-2]] == [f"2026-{m:02}" for m in range(1, 10)]
    whole_year = await report_for(database, period="2025")
    assert whole_year.trend == []  # no responses in 2025: no trend at all


async def test_segments_keep_secondary_suppression(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        when = at(2026, 3, 10)
        await add_many(session, version, 10, headline=5, when=when, segments={"benefit": "a-dagpenge"})
        await add_many(session, version, 3, headline=5, when=when, segments={"benefit": "kontanthjaelp"})
        await add_many(session, version, 8, headline=2, when=when, segments={"benefit": "sygedagpenge"})
        await session.commit()
    report = await report_for(database, period="2026-Q1")
    # The same numbers as the months above, but a segment's cells are suppressed together: 21 − 10 − 8 = 3.
    assert [row.display_n for row in report.segments["benefit"]] == ["10", "<5", "–"]


async def test_where_are_we_below_the_goal(database: Database) -> None:
    async with database.sessions() as session:
        version = await add_version(session)
        when = at(2026, 8, 1)
        await add_many(session, version, 10, headline=5, when=when, segments={"benefit": "sygedagpenge"})
        await add_many(session, version, 30, headline=2, when=when, segments={"benefit": "sygedagpenge"})
        await add_many(session, version, 60, headline=5, when=when, segments={"benefit": "kontanthjaelp"})
        await session.commit()
    report = await report_for(database)
    assert report.below_goal() == ["sygedagpenge (ydelse)"]
    assert report.above_goal() == ["Kontanthjælp (ydelse)"]  # groups without a value are not named
    assert report.overall.status is not None and report.overall.status.value == "missed"  # 70 of 100
