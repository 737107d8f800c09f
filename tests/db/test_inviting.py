"""One invitation service: every problem of a request named, and the same audit record from every channel."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.inviting import InvitationRefused, InvitationRequest, issue, problems
from db.models import AuditEntry, Invitation

SECRET = b"inviting-test-secret"


def test_every_problem_is_named_by_its_field() -> None:
    found = problems(
        InvitationRequest("citizen", {"benefit": "lottery", "colour": "blue"}, count=0, expires_days=400, max_uses=0)
    )
    assert [p.field for p in found] == ["segment:benefit", "segment:colour", "count", "expires_days", "max_uses"]
    assert "allowed values" in found[0].message
    assert [p.field for p in problems(InvitationRequest("pensioner"))] == ["survey"]
    assert problems(InvitationRequest("employer", {"size": "10-49"}, count=3, max_uses=None)) == []


async def test_a_refused_request_writes_nothing(session: AsyncSession) -> None:
    with pytest.raises(InvitationRefused, match="count"):
        await issue(session, SECRET, InvitationRequest("citizen", count=0), actor="test", via="cli")
    assert await session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0


@pytest.mark.parametrize("via", ["cli", "web", "telegram"])
async def test_each_channel_leaves_the_same_audit_record(session: AsyncSession, via: str) -> None:
    request = InvitationRequest("citizen", {"benefit": "kontanthjaelp"}, count=2, expires_days=10, max_uses=None)
    batch, issued = await issue(session, SECRET, request, actor=f"{via}:anna", via=via)
    assert len(issued) == 2 and {i.max_uses for i in issued} == {None}
    [entry] = list(await session.scalars(select(AuditEntry)))
    assert (entry.actor, entry.action, entry.rows) == (f"{via}:anna", "invite", 2)
    assert entry.detail == {
        "batch": batch.id,
        "survey": "citizen",
        "segments": {"benefit": "kontanthjaelp"},
        "max_uses": None,
        "expires_days": 10,
        "via": via,
    }
