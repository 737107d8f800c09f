"""Staff commands in Telegram: ``/invite <survey> [key=value …] [count]`` for configured staff ids.

To anyone else these commands do not exist (the conversation answers "unknown command").
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.texts import t
from db import inviting
from surveys import builtin_surveys

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
    session: AsyncSession, secret: bytes, args: list[str], *, lang: str, link: Callable[[str], str], actor: str
) -> str:
    """Create invitations (``db/inviting.py``) and answer with their links (or with what to fix)."""
    surveys = ", ".join(builtin_surveys())
    if not args:
        return t(lang, "invite_usage", surveys=surveys)
    try:
        survey_key, segments, count = parse_invite(args)
        batch, issued = await inviting.issue(
            session,
            secret,
            inviting.InvitationRequest(survey_key=survey_key, segments=segments, count=count),
            actor=actor,
            via="telegram",
        )
    except (ValueError, inviting.InvitationRefused) as exc:
        return t(lang, "invite_error", error=str(exc)) + "\n" + t(lang, "invite_usage", surveys=surveys)
    expires = batch.expires_at.date() if batch.expires_at else "—"  # written the staff member's way
    links = [link(item.token) for item in issued]
    return "\n".join([t(lang, "invite_done", count=count, survey=survey_key, expires=expires), *links])
