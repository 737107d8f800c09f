"""'Ring mig op': call-back requests, kept apart from every answer.

A request holds the survey, the local date (no time of day), the team and the contact a respondent typed —
and nothing that links it to a response, a respondent or an invitation. It is seen only on the staff
call-back list and deleted ``handled_days`` after it was handled and ``max_days`` after it was made whatever
happens (the retention job). Reports count requests from :class:`CallbackTally`, which outlives them.

:func:`request_callback` is the one use case both channels call (the bot's end-of-survey step and the web's).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CallbackPrompt, CallbackRequest, CallbackTally, utcnow
from surveys.contact import Contact, parse_contact

# The segment whose value says which team should call back (the invitation's ``unit``), when a survey has it.
TEAM_SEGMENT = "unit"
PROMPT_MINUTES = 30


def team_of(segments: Mapping[str, str] | None) -> str | None:
    return (segments or {}).get(TEAM_SEGMENT) or None


async def request_callback(
    session: AsyncSession, *, survey_key: str, segments: Mapping[str, str] | None, contact_text: str, today: date
) -> Contact:
    """Validate the typed contact and store the request; raises ``surveys.contact.InvalidContact`` (nothing stored).

    ``segments``: the finished response's segments (only the team is kept). ``today``: the local date.
    The caller must not log the contact, and must not keep any link between the request and the response.
    """
    contact = parse_contact(contact_text)
    session.add(
        CallbackRequest(
            survey_key=survey_key,
            requested_on=today,
            team=team_of(segments),
            contact_kind=contact.kind,
            contact=contact.value,
        )
    )
    await _count(session, survey_key, today)
    await session.flush()
    return contact


async def _count(session: AsyncSession, survey_key: str, day: date) -> None:
    bumped = await session.execute(
        update(CallbackTally)
        .where(CallbackTally.survey_key == survey_key, CallbackTally.requested_on == day)
        .values(count=CallbackTally.count + 1)
        .execution_options(synchronize_session=False)
    )
    if not bumped.rowcount:
        session.add(CallbackTally(survey_key=survey_key, requested_on=day, count=1))


async def requests(session: AsyncSession, *, handled: bool | None = None) -> list[CallbackRequest]:
    """The requests, oldest first (open ones first when both are asked for)."""
    stmt = select(CallbackRequest)
    if handled is not None:
        stmt = stmt.where(CallbackRequest.handled_at.is_not(None) if handled else CallbackRequest.handled_at.is_(None))
    stmt = stmt.order_by(CallbackRequest.handled_at.is_not(None), CallbackRequest.requested_on, CallbackRequest.id)
    return list(await session.scalars(stmt))


async def mark_handled(session: AsyncSession, request_id: int, *, by: str, now: datetime | None = None) -> bool:
    """Mark a request handled by ``by`` now; False when there is no such open request."""
    result = await session.execute(
        update(CallbackRequest)
        .where(CallbackRequest.id == request_id, CallbackRequest.handled_at.is_(None))
        .values(handled_at=now or utcnow(), handled_by=by)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


async def purge(session: AsyncSession, *, now: datetime, today: date, handled_days: int, max_days: int) -> int:
    """Delete requests handled more than ``handled_days`` ago, and any made more than ``max_days`` ago."""
    result = await session.execute(
        delete(CallbackRequest).where(
            or_(
                CallbackRequest.handled_at <= now - timedelta(days=handled_days),
                CallbackRequest.requested_on <= today - timedelta(days=max_days),
            )
        )
    )
    await session.execute(delete(CallbackPrompt).where(CallbackPrompt.expires_at <= now))
    return result.rowcount or 0


async def asked(session: AsyncSession, survey_key: str, first: date, last: date) -> int:
    """How many asked to be contacted between two local dates (inclusive), from the tallies."""
    total = await session.scalar(
        select(func.coalesce(func.sum(CallbackTally.count), 0)).where(
            CallbackTally.survey_key == survey_key,
            CallbackTally.requested_on >= first,
            CallbackTally.requested_on <= last,
        )
    )
    return int(total or 0)


# -- the Telegram step: between "yes, I agree" and the typed contact ----------------------------------


async def open_prompt(
    session: AsyncSession, respondent_id: int, survey_key: str, segments: Mapping[str, str] | None
) -> None:
    """Remember, for a few minutes, that this respondent agreed and will type a contact next."""
    await session.execute(delete(CallbackPrompt).where(CallbackPrompt.respondent_id == respondent_id))
    session.add(
        CallbackPrompt(
            respondent_id=respondent_id,
            survey_key=survey_key,
            team=team_of(segments),
            expires_at=utcnow() + timedelta(minutes=PROMPT_MINUTES),
        )
    )
    await session.flush()


async def pending_prompt(session: AsyncSession, respondent_id: int) -> CallbackPrompt | None:
    prompt = await session.get(CallbackPrompt, respondent_id)
    if prompt is not None and prompt.expires_at <= utcnow():
        await close_prompt(session, respondent_id)
        return None
    return prompt


async def close_prompt(session: AsyncSession, respondent_id: int) -> None:
    await session.execute(delete(CallbackPrompt).where(CallbackPrompt.respondent_id == respondent_id))
    await session.flush()
