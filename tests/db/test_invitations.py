"""Invitations: tokens are shown once, stored only as hashes, and open a survey only while valid."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.keys import is_token_shaped, pseudonym, token_hash
from db.models import Invitation, utcnow
from db.repo import invitations
from db.repo.invitations import InvitationStatus

SECRET = b"test-secret"


async def test_batch_tokens_are_random_link_safe_and_stored_only_as_hashes(session) -> None:
    batch, issued = await invitations.create_batch(
        session, SECRET, survey_key="citizen", segments={"benefit": "kontanthjaelp"}, count=50, created_by="t"
    )
    await session.commit()
    tokens = [i.token for i in issued]
    assert len(set(tokens)) == 50
    assert all(is_token_shaped(t) and len(t) <= 64 for t in tokens)
    assert all(len(t) * 6 >= 128 for t in tokens)  # base64url: 6 bits a character
    stored = (await session.scalars(select(Invitation))).all()
    assert {row.token_hash for row in stored} == {token_hash(SECRET, t) for t in tokens}
    assert not any(t in row.token_hash for row in stored for t in tokens)
    assert {row.batch_id for row in stored} == {batch.id}


async def test_status_follows_expiry_revocation_and_uses(session) -> None:
    now = utcnow()
    _, (one,) = await invitations.create_batch(
        session,
        SECRET,
        survey_key="citizen",
        segments={},
        count=1,
        created_by="t",
        expires_in=timedelta(days=1),
        max_uses=1,
        now=now,
    )
    found = await invitations.find_invitation(session, SECRET, one.token)
    assert invitations.invitation_status(found, now) is InvitationStatus.OK
    assert invitations.invitation_status(found, now + timedelta(days=2)) is InvitationStatus.EXPIRED
    assert await invitations.claim_use(session, found.id) is True
    assert await invitations.claim_use(session, found.id) is False  # single use: the second claim fails
    await session.refresh(found)
    assert invitations.invitation_status(found, now) is InvitationStatus.USED_UP
    assert await invitations.revoke_batch(session, found.batch_id) == 1
    await session.refresh(found)
    assert invitations.invitation_status(found, now) is InvitationStatus.REVOKED


async def test_unknown_and_malformed_tokens_find_nothing(session) -> None:
    assert await invitations.find_invitation(session, SECRET, "nope") is None
    assert await invitations.find_invitation(session, SECRET, "x" * 65) is None
    assert await invitations.find_invitation(session, SECRET, "'; DROP TABLE invitations; --") is None
    assert invitations.invitation_status(None) is InvitationStatus.UNKNOWN


async def test_multi_use_invitations_count_every_use(session) -> None:
    _, (poster,) = await invitations.create_batch(
        session, SECRET, survey_key="employer", segments={}, count=1, created_by="t", max_uses=None
    )
    found = await invitations.find_invitation(session, SECRET, poster.token)
    for _ in range(3):
        assert await invitations.claim_use(session, found.id) is True
    summaries = await invitations.list_batches(session)
    assert summaries[0].used == 3


def test_pseudonyms_are_stable_keyed_and_do_not_contain_the_id() -> None:
    assert pseudonym(SECRET, 123456789) == pseudonym(SECRET, 123456789)
    assert pseudonym(SECRET, 123456789) != pseudonym(b"other", 123456789)
    assert "123456789" not in pseudonym(SECRET, 123456789)
    assert token_hash(SECRET, "abc") != pseudonym(SECRET, 0)
