"""Small, exact data sets for analytics tests, inserted with the ORM so every expected number is known."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from itertools import count

from sqlalchemy.ext.asyncio import AsyncSession

from analytics.layout import ItemInfo, SurveyLayout
from db.database import Database
from db.models import Answer, Invitation, Response, SurveyVersion

_tokens = count(1)

CITIZEN = SurveyLayout(
    key="citizen",
    title="Borgerevaluering",
    headline_id="overall",
    items=(
        ItemInfo("overall", "scale", "Samlet tilfredshed"),
        ItemInfo("heard", "scale", "Blev lyttet til"),
        ItemInfo("respect", "scale", "Respekt og tillid"),
        ItemInfo("better", "text", "Hvad kan vi gøre bedre"),
    ),
    segments={"benefit": ("a-dagpenge", "kontanthjaelp", "sygedagpenge"), "unit": ("ungeenheden", "voksen")},
    segment_labels={"benefit": "Ydelse", "unit": "Enhed"},
    value_labels={"benefit": {"a-dagpenge": "A-dagpenge", "kontanthjaelp": "Kontanthjælp"}},
)

EMPLOYER = SurveyLayout(
    key="employer",
    title="Virksomhedsundersøgelse",
    headline_id="overall",
    items=(
        ItemInfo("overall", "scale", "Samlet tilfredshed"),
        ItemInfo("contact", "scale", "Nem kontakt"),
        ItemInfo("recommend", "nps", "Vil anbefale"),
        ItemInfo("better", "text", "Hvad kan vi gøre bedre"),
    ),
    segments={"industry": ("bygge-anlaeg", "transport"), "size": ("1-9", "10-49", "50-249", "250+")},
    segment_labels={"industry": "Branche", "size": "Størrelse"},
    value_labels={},
)


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


async def add_version(session: AsyncSession, survey_key: str = "citizen", version: int = 1) -> int:
    row = SurveyVersion(
        survey_key=survey_key, version=version, content_hash=f"{survey_key}-{version}", definition={"key": survey_key}
    )
    session.add(row)
    await session.flush()
    return row.id


async def add_invitation(
    session: AsyncSession,
    survey_key: str = "citizen",
    *,
    when: datetime,
    segments: Mapping[str, str] | None = None,
    max_uses: int | None = 1,
) -> int:
    row = Invitation(
        token_hash=f"hash-{next(_tokens)}",
        survey_key=survey_key,
        segments=dict(segments or {}),
        created_at=when,
        max_uses=max_uses,
    )
    session.add(row)
    await session.flush()
    return row.id


async def add_response(
    session: AsyncSession,
    version_id: int,
    *,
    when: datetime,
    headline: int | str | None,
    survey_key: str = "citizen",
    segments: Mapping[str, str] | None = None,
    answers: Mapping[str, int | str] | None = None,
    comment: str | None = None,
    status: str = "completed",
    invitation_id: int | None = None,
    respondent_id: int | None = None,
    headline_id: str = "overall",
    language: str = "da",
) -> int:
    """One response; ``headline`` is 1–5, "dk", or None (not answered). Other answers are given as
    question id → value (int) or special option ("dk"/"na"/"skip")."""
    response = Response(
        survey_key=survey_key,
        survey_version_id=version_id,
        invitation_id=invitation_id,
        respondent_id=respondent_id,
        status=status,
        segments=dict(segments or {}),
        language=language,
        started_at=when - timedelta(minutes=1),
        updated_at=when,
        completed_at=when + timedelta(minutes=2) if status == "completed" else None,
    )
    session.add(response)
    await session.flush()
    given: dict[str, int | str] = dict(answers or {})
    if headline is not None:
        given = {headline_id: headline, **given}
    for question_id, answer in given.items():
        value = answer if isinstance(answer, int) else None
        option = str(answer)
        session.add(
            Answer(response_id=response.id, question_id=question_id, option=option, value=value, answered_at=when)
        )
    if comment is not None:
        session.add(
            Answer(
                response_id=response.id, question_id="better", option=None, value=None, text=comment, answered_at=when
            )
        )
    await session.flush()
    return response.id


async def add_many(
    session: AsyncSession, version_id: int, count_: int, *, headline: int | str, when: datetime, **kwargs: object
) -> None:
    """``count_`` identical responses."""
    for _ in range(count_):
        await add_response(session, version_id, when=when, headline=headline, **kwargs)  # type: ignore[arg-type]


async def seed_25_of_30(database: Database) -> None:
    """25 of 30 satisfied in 2026, by benefit: 20/21 kontanthjælp, 4/5 sygedagpenge, 1/4 a-dagpenge."""
    async with database.sessions() as session:
        version = await add_version(session)
        may = at(2026, 5, 1)
        await add_many(session, version, 20, headline=5, when=may, segments={"benefit": "kontanthjaelp"})
        await add_many(session, version, 1, headline=2, when=may, segments={"benefit": "kontanthjaelp"})
        await add_many(session, version, 4, headline=4, when=may, segments={"benefit": "sygedagpenge"})
        await add_many(session, version, 1, headline=3, when=may, segments={"benefit": "sygedagpenge"})
        await add_many(session, version, 1, headline=4, when=may, segments={"benefit": "a-dagpenge"})
        await add_many(session, version, 3, headline=1, when=may, segments={"benefit": "a-dagpenge"})
        # 2025: 16 of 20.
        await add_many(session, version, 16, headline=5, when=at(2025, 3, 1))
        await add_many(session, version, 4, headline=1, when=at(2025, 3, 1))
        await session.commit()
