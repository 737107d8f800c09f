"""Issuing invitations: the one use case behind ``tilfreds invite``, the staff page and the bot's ``/invite``.

:func:`problems` checks a request and :func:`issue` makes the batch and writes its audit row, so every
channel validates alike and leaves the same record. Links are not made here: each channel builds the
link it owns (``bot/links.py`` the Telegram deep link, ``tilfreds/web/respond`` the web link).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import InvitationBatch
from db.repo import audit, invitations
from db.repo.invitations import IssuedInvitation
from surveys import SegmentError, UnknownSurvey, get_survey

MAX_COUNT = 10_000  # one batch; channels may allow fewer (a Telegram message holds about 60 links)
MAX_DAYS = 365
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class InvitationRequest:
    """What staff ask for. ``max_uses`` None is a multi-use (poster) link."""

    survey_key: str
    segments: Mapping[str, str] = field(default_factory=dict)
    count: int = 1
    expires_days: int = DEFAULT_DAYS
    max_uses: int | None = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: ``field`` is ``survey``, ``segment:<key>``, ``count``, ``expires_days``
    or ``max_uses``; ``message`` says what is allowed."""

    field: str
    message: str


class InvitationRefused(ValueError):
    """A request with problems; the message names the first."""

    def __init__(self, found: list[Problem]) -> None:
        super().__init__(found[0].message)
        self.problems = found


def problems(request: InvitationRequest) -> list[Problem]:
    """Everything wrong with ``request`` (empty when it can be issued)."""
    found: list[Problem] = []
    try:
        survey = get_survey(request.survey_key)
    except UnknownSurvey as exc:
        found.append(Problem("survey", str(exc)))
        survey = None
    if survey is not None:
        for key, value in request.segments.items():
            try:
                survey.validate_segments({key: value})
            except SegmentError as exc:
                found.append(Problem(f"segment:{key}", str(exc)))
    if not 1 <= request.count <= MAX_COUNT:
        found.append(Problem("count", f"the count must be at least 1 and at most {MAX_COUNT}"))
    if not 1 <= request.expires_days <= MAX_DAYS:
        found.append(Problem("expires_days", f"the days valid must be at least 1 and at most {MAX_DAYS}"))
    if request.max_uses is not None and request.max_uses < 1:
        found.append(Problem("max_uses", "uses per link must be at least 1, or none for a poster link"))
    return found


async def issue(
    session: AsyncSession, secret: bytes, request: InvitationRequest, *, actor: str, via: str
) -> tuple[InvitationBatch, list[IssuedInvitation]]:
    """Create the batch and its audit row (``via``: ``cli``, ``web`` or ``telegram``). Raises InvitationRefused."""
    found = problems(request)
    if found:
        raise InvitationRefused(found)
    segments = dict(request.segments)
    batch, issued = await invitations.create_batch(
        session,
        secret,
        survey_key=request.survey_key,
        segments=segments,
        count=request.count,
        created_by=actor,
        expires_in=timedelta(days=request.expires_days),
        max_uses=request.max_uses,
    )
    await audit.record(
        session,
        actor=actor,
        action="invite",
        detail={
            "batch": batch.id,
            "survey": request.survey_key,
            "segments": segments,
            "max_uses": request.max_uses,
            "expires_days": request.expires_days,
            "via": via,
        },
        rows=request.count,
    )
    return batch, issued
