"""Bulk inserts for seeding and benchmarks: many rows per statement, ids returned in order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Answer, Invitation, InvitationBatch, Response


async def insert_batch(session: AsyncSession, **values: Any) -> int:
    return (await session.scalars(insert(InvitationBatch).returning(InvitationBatch.id), [values])).one()


async def insert_invitations(session: AsyncSession, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    result = await session.scalars(insert(Invitation).returning(Invitation.id, sort_by_parameter_order=True), rows)
    return list(result)


async def insert_responses(
    session: AsyncSession, responses: list[dict[str, Any]], answers: list[list[dict[str, Any]]]
) -> list[int]:
    """Insert responses and, for each, its answers (``answers[i]`` belongs to ``responses[i]``)."""
    if not responses:
        return []
    ids = list(
        await session.scalars(insert(Response).returning(Response.id, sort_by_parameter_order=True), responses)
    )
    rows = [
        {**answer, "response_id": response_id}
        for response_id, response_answers in zip(ids, answers, strict=True)
        for answer in response_answers
    ]
    if rows:
        await session.execute(insert(Answer), rows)
    return ids
