"""Invitations: create batches, look tokens up, count uses."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.keys import is_token_shaped, new_token, token_hash
from db.models import Invitation, InvitationBatch, Respondent, Response, utcnow


class InvitationStatus(str, enum.Enum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED_UP = "used_up"


@dataclass(frozen=True)
class IssuedInvitation:
    """A new invitation with its token in clear: shown once, to the staff member who made it."""

    id: int
    token: str
    survey_key: str
    segments: dict[str, str]
    expires_at: datetime | None
    max_uses: int | None


async def create_batch(
    session: AsyncSession,
    secret: bytes,
    *,
    survey_key: str,
    segments: dict[str, str],
    count: int,
    created_by: str,
    expires_in: timedelta | None = timedelta(days=30),
    max_uses: int | None = 1,
    note: str | None = None,
    now: datetime | None = None,
) -> tuple[InvitationBatch, list[IssuedInvitation]]:
    """Create ``count`` invitations in one batch. Segments must already be validated against the survey."""
    if count < 1:
        raise ValueError("count must be at least 1")
    now = now or utcnow()
    expires_at = now + expires_in if expires_in is not None else None
    batch = InvitationBatch(
        survey_key=survey_key,
        segments=dict(segments),
        count=count,
        max_uses=max_uses,
        expires_at=expires_at,
        created_by=created_by,
        note=note,
        created_at=now,
    )
    session.add(batch)
    await session.flush()
    tokens = [new_token() for _ in range(count)]
    rows = [
        Invitation(
            token_hash=token_hash(secret, token),
            batch_id=batch.id,
            survey_key=survey_key,
            segments=dict(segments),
            created_at=now,
            expires_at=expires_at,
            max_uses=max_uses,
            uses=0,
        )
        for token in tokens
    ]
    session.add_all(rows)
    await session.flush()
    issued = [
        IssuedInvitation(row.id, token, survey_key, dict(segments), expires_at, max_uses)
        for row, token in zip(rows, tokens, strict=True)
    ]
    return batch, issued


_FIND_INVITATION = select(Invitation).where(Invitation.token_hash == bindparam("token_hash"))  # built once


async def find_invitation(session: AsyncSession, secret: bytes, token: str) -> Invitation | None:
    """The invitation a token opens, or None. Malformed tokens are never looked up."""
    if not is_token_shaped(token):
        return None
    return await session.scalar(_FIND_INVITATION, {"token_hash": token_hash(secret, token)})


# The invitation and the latest response one respondent (by pseudonym) opened with it, in one statement:
# every respondent page asks this on every request.
_RESPONDENT_ID = select(Respondent.id).where(Respondent.pseudonym == bindparam("pseudonym")).scalar_subquery()
_THEIR_RESPONSE = and_(Response.invitation_id == Invitation.id, Response.respondent_id == _RESPONDENT_ID)
_WITH_RESPONSE = (
    select(Invitation, Response)
    .where(Invitation.token_hash == bindparam("token_hash"))
    .order_by(Response.id.desc())
    .limit(1)
)
_FIND_WITH_RESPONSE = _WITH_RESPONSE.outerjoin(Response, _THEIR_RESPONSE)
# Locking needs the inner join (PostgreSQL cannot lock the nullable side of an outer join).
_LOCK_WITH_RESPONSE = _WITH_RESPONSE.join(Response, _THEIR_RESPONSE).with_for_update(of=Response)


async def find_with_response(
    session: AsyncSession, secret: bytes, token: str, pseudonym: str, *, lock: bool = False
) -> tuple[Invitation | None, Response | None]:
    """The invitation a token opens and the latest response the respondent ``pseudonym`` opened with it
    (either may be None), in one statement.

    With ``lock`` the response is locked for this transaction (PostgreSQL; SQLite has one writer anyway),
    so two requests for it take turns; then both are None when there is no such response.
    """
    if not is_token_shaped(token):
        return None, None
    statement = _LOCK_WITH_RESPONSE if lock else _FIND_WITH_RESPONSE
    row = (await session.execute(statement, {"token_hash": token_hash(secret, token), "pseudonym": pseudonym})).first()
    return (None, None) if row is None else (row[0], row[1])


def invitation_status(invitation: Invitation | None, now: datetime | None = None) -> InvitationStatus:
    """Whether an invitation may open a new response now."""
    now = now or utcnow()
    if invitation is None:
        return InvitationStatus.UNKNOWN
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at is not None and invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        return InvitationStatus.USED_UP
    return InvitationStatus.OK


async def claim_use(session: AsyncSession, invitation_id: int) -> bool:
    """Count one use, atomically: False if the invitation was used up in the meantime."""
    result = await session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            (Invitation.max_uses.is_(None)) | (Invitation.uses < Invitation.max_uses),
        )
        .values(uses=Invitation.uses + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def revoke_batch(session: AsyncSession, batch_id: int, now: datetime | None = None) -> int:
    result = await session.execute(
        update(Invitation)
        .where(Invitation.batch_id == batch_id, Invitation.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


@dataclass(frozen=True)
class BatchSummary:
    batch: InvitationBatch
    used: int
    responses: int


async def list_batches(session: AsyncSession, limit: int = 50) -> list[BatchSummary]:
    """Newest batches first, with how many of their invitations were used."""
    used = (
        select(Invitation.batch_id, func.coalesce(func.sum(Invitation.uses), 0).label("used"))
        .group_by(Invitation.batch_id)
        .subquery()
    )
    answered = (
        select(Invitation.batch_id, func.count(Response.id).label("responses"))
        .join(Response, Response.invitation_id == Invitation.id)
        .group_by(Invitation.batch_id)
        .subquery()
    )
    rows = await session.execute(
        select(InvitationBatch, used.c.used, answered.c.responses)
        .outerjoin(used, used.c.batch_id == InvitationBatch.id)
        .outerjoin(answered, answered.c.batch_id == InvitationBatch.id)
        .order_by(InvitationBatch.created_at.desc(), InvitationBatch.id.desc())
        .limit(limit)
    )
    return [BatchSummary(b, int(u or 0), int(r or 0)) for b, u, r in rows]


async def closed_batch_ids(session: AsyncSession, batch_ids: list[int]) -> set[int]:
    """Of these batches, those whose invitations have all been revoked."""
    if not batch_ids:
        return set()
    open_ = func.sum(case((Invitation.revoked_at.is_(None), 1), else_=0))
    rows = await session.execute(
        select(Invitation.batch_id)
        .where(Invitation.batch_id.in_(batch_ids))
        .group_by(Invitation.batch_id)
        .having(open_ == 0)
    )
    return {batch_id for (batch_id,) in rows}
