"""Staff commands in Telegram: ``/invite <survey> [key=value …] [count]`` for configured staff ids.

To anyone else these commands do not exist (the conversation answers "unknown command").
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.texts import t
from db.repo import audit, invitations
from surveys import SegmentError, UnknownSurvey, builtin_surveys, get_survey

MAX_COUNT = 50  # one message holds about 60 links; more belong in `tilfreds invite`


def parse_invite(args: list[str]) -> tuple[str, dict[str, str], int]:
    """``["citizen", "benefit=kontanthjaelp", "3"]`` → ("citizen", {"benefit": "kontanthjaelp"}, 3)."""
    if not args:
        raise ValueError("no survey given")
    survey_key, rest = args[0].lower(), args[1:]
    count = 1
    if rest and rest[-1].isdigit():
        count = int(rest.pop())
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be 1–{MAX_COUNT}")
    segments: dict[str, str] = {}
    for pair in rest:
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            raise ValueError(f"{pair!r} is not key=value")
        segments[key.lower()] = value.lower()
    return survey_key, segments, count


async def invite(
    session: AsyncSession, secret: bytes, args: list[str], *, lang: str, bot_username: str, actor: str
) -> str:
    """Create invitations and answer with their links (or with what to fix)."""
    surveys = ", ".join(sorted(builtin_surveys()))
    if not args:
        return t(lang, "invite_usage", surveys=surveys)
    try:
        survey_key, segments, count = parse_invite(args)
        survey = get_survey(survey_key)
        segments = survey.validate_segments(segments)
    except (ValueError, UnknownSurvey, SegmentError) as exc:
        return t(lang, "invite_error", error=str(exc)) + "\n" + t(lang, "invite_usage", surveys=surveys)
    batch, issued = await invitations.create_batch(
        session, secret, survey_key=survey.key, segments=segments, count=count, created_by=actor
    )
    await audit.record(
        session,
        actor=actor,
        action="invite",
        rows=count,
        detail={"batch": batch.id, "survey": survey.key, "segments": segments},
    )
    expires = batch.expires_at.date() if batch.expires_at else "—"  # written the staff member's way
    links = [f"https://t.me/{bot_username}?start={item.token}" for item in issued]
    return "\n".join([t(lang, "invite_done", count=count, survey=survey.key, expires=expires), *links])
