"""Respondents, responses and answers: the state of every conversation lives here, not in memory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, bindparam, delete, func, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Answer, Respondent, Response, ResponseStatus, UTCDateTime, utcnow

OPEN = ResponseStatus.IN_PROGRESS.value


# Statements of every answer, built once (see db/repo/inbox.py).
_FIND_RESPONDENT = select(Respondent).where(Respondent.pseudonym == bindparam("pseudonym"))
_ANSWERS_OF = select(Answer.question_id, Answer.option, Answer.value, Answer.text).where(
    Answer.response_id == bindparam("response_id")
)


async def find_respondent(session: AsyncSession, pseudonym: str) -> Respondent | None:
    return await session.scalar(_FIND_RESPONDENT, {"pseudonym": pseudonym})


async def get_or_create_respondent(session: AsyncSession, pseudonym: str, language: str) -> Respondent:
    found = await find_respondent(session, pseudonym)
    if found is not None:
        return found
    respondent = Respondent(pseudonym=pseudonym, language=language, created_at=utcnow())
    session.add(respondent)
    await session.flush()
    return respondent


async def open_response(session: AsyncSession, respondent_id: int) -> Response | None:
    """The respondent's response in progress (there is at most one), newest first if ever more."""
    return await session.scalar(
        select(Response)
        .where(Response.respondent_id == respondent_id, Response.status == OPEN)
        .order_by(Response.id.desc())
        .limit(1)
    )


_FROM_INVITATION = (
    select(Response)
    .where(Response.respondent_id == bindparam("respondent_id"), Response.invitation_id == bindparam("invitation_id"))
    .order_by(Response.id.desc())
    .limit(1)
)


async def response_from_invitation(session: AsyncSession, respondent_id: int, invitation_id: int) -> Response | None:
    """The respondent's latest response opened with this invitation, whatever its status (every web page asks)."""
    return await session.scalar(_FROM_INVITATION, {"respondent_id": respondent_id, "invitation_id": invitation_id})


async def channels_of_invitation(session: AsyncSession, invitation_id: int) -> set[str]:
    """The channels in which this invitation's responses were answered."""
    rows = await session.scalars(select(Response.channel).where(Response.invitation_id == invitation_id).distinct())
    return set(rows)


async def create_response(
    session: AsyncSession,
    *,
    survey_key: str,
    survey_version_id: int,
    invitation_id: int | None,
    respondent_id: int,
    language: str,
    segments: dict[str, str],
    chat_ref: int | None,
    channel: str = "telegram",
) -> Response:
    now = utcnow()
    response = Response(
        survey_key=survey_key,
        survey_version_id=survey_version_id,
        invitation_id=invitation_id,
        respondent_id=respondent_id,
        channel=channel,
        status=OPEN,
        language=language,
        segments=dict(segments),
        current_question=None,
        chat_ref=chat_ref,
        started_at=now,
        updated_at=now,
    )
    session.add(response)
    await session.flush()
    return response


async def get_response(session: AsyncSession, response_id: int) -> Response | None:
    return await session.get(Response, response_id)


async def answers_of(
    session: AsyncSession, response_id: int
) -> list[Row[tuple[str, str | None, int | None, str | None]]]:
    """The response's answers as ``(question_id, option, value, text)`` rows: every question page reads
    them, and plain columns cost far less to load than ``Answer`` objects."""
    return list(await session.execute(_ANSWERS_OF, {"response_id": response_id}))


# One SQL text for SQLite and PostgreSQL. Unlike the dialects' insert().on_conflict_do_update(), which
# SQLAlchemy compiles anew on every execution, a text() statement is compiled once.
_UPSERT_ANSWER = sql_text(
    "INSERT INTO answers (response_id, question_id, option, value, text, answered_at) "
    "VALUES (:response_id, :question_id, :option, :value, :text, :answered_at) "
    "ON CONFLICT (response_id, question_id) DO UPDATE SET option = excluded.option, value = excluded.value, "
    "text = excluded.text, answered_at = excluded.answered_at"
).bindparams(bindparam("answered_at", type_=UTCDateTime()))


async def save_answer(
    session: AsyncSession,
    response_id: int,
    question_id: str,
    *,
    option: str | None,
    value: int | None,
    text: str | None,
) -> None:
    """Store an answer; a second answer to the same question replaces the first (one statement)."""
    await session.execute(
        _UPSERT_ANSWER,
        {
            "response_id": response_id,
            "question_id": question_id,
            "option": option,
            "value": value,
            "text": text,
            "answered_at": utcnow(),
        },
    )


async def drop_answers(session: AsyncSession, response_id: int, keep: set[str]) -> int:
    """Delete answers to questions not in ``keep`` (left over from a path the respondent went back on)."""
    result = await session.execute(
        delete(Answer)
        .where(Answer.response_id == response_id, Answer.question_id.not_in(keep))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def move_to(response: Response, question_id: str | None) -> None:
    response.current_question = question_id
    response.updated_at = utcnow()


def complete(response: Response) -> None:
    now = utcnow()
    response.status = ResponseStatus.COMPLETED.value
    response.completed_at = now
    response.updated_at = now
    response.current_question = None
    response.chat_ref = None


async def delete_for_respondent(session: AsyncSession, respondent_id: int, window_start: datetime) -> int:
    """Withdraw: delete the respondent's responses (with their answers) and the respondent.

    Completed responses are deleted only if completed after ``window_start`` (the withdrawal window);
    older ones lose their link to the respondent instead, as they would anyway. Returns how many
    responses were deleted.
    """
    in_window = (Response.status != ResponseStatus.COMPLETED.value) | (Response.completed_at >= window_start)
    ids = list(await session.scalars(select(Response.id).where(Response.respondent_id == respondent_id, in_window)))
    if ids:
        await session.execute(
            delete(Answer).where(Answer.response_id.in_(ids)).execution_options(synchronize_session=False)
        )
        await session.execute(delete(Response).where(Response.id.in_(ids)).execution_options(synchronize_session=False))
    await session.execute(
        update(Response)
        .where(Response.respondent_id == respondent_id)
        .values(respondent_id=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(Respondent).where(Respondent.id == respondent_id).execution_options(synchronize_session=False)
    )
    return len(ids)


async def count_linked(session: AsyncSession, respondent_id: int) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Response).where(Response.respondent_id == respondent_id))
        or 0
    )


async def due_for_reminder(session: AsyncSession, untouched_since: datetime, limit: int = 500) -> list[Response]:
    """Open, started responses untouched since ``untouched_since`` that never had a reminder."""
    rows = await session.scalars(
        select(Response)
        .where(
            Response.status == OPEN,
            Response.reminded_at.is_(None),
            Response.chat_ref.is_not(None),
            Response.updated_at <= untouched_since,
        )
        .order_by(Response.updated_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def abandon_stale(session: AsyncSession, untouched_since: datetime) -> int:
    """Close open responses untouched since ``untouched_since``: abandoned, no chat to write to any more."""
    result = await session.execute(
        update(Response)
        .where(Response.status == OPEN, Response.updated_at <= untouched_since)
        # current_question stays: it is where the person stopped (the drill-down counts drop-off by it).
        .values(status=ResponseStatus.ABANDONED.value, chat_ref=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def cut_links(session: AsyncSession, completed_before: datetime) -> int:
    """End the withdrawal window: completed responses lose the link to their respondent for good."""
    result = await session.execute(
        update(Response)
        .where(
            Response.status == ResponseStatus.COMPLETED.value,
            Response.respondent_id.is_not(None),
            Response.completed_at <= completed_before,
        )
        .values(respondent_id=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def latest_completed(session: AsyncSession, respondent_id: int, *, since: datetime) -> Response | None:
    """The respondent's most recently completed response, if completed after ``since``."""
    return await session.scalar(
        select(Response)
        .where(
            Response.respondent_id == respondent_id,
            Response.status == ResponseStatus.COMPLETED.value,
            Response.completed_at >= since,
        )
        .order_by(Response.completed_at.desc())
        .limit(1)
    )
