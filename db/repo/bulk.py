"""Bulk inserts for seeding and benchmarks: plain executemany, with ids reserved up front.

RETURNING with guaranteed row order costs one statement per row on SQLite, so ids are reserved
first (a sequence range on PostgreSQL; the next free ids inside the write transaction on SQLite)
and written explicitly.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from db.models import Answer, Invitation, InvitationBatch, Response


async def reserve_ids(session: AsyncSession, model: type[DeclarativeBase], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``'s table."""
    table = model.__table__
    if count <= 0:
        return []
    if session.bind.dialect.name == "postgresql":
        result = await session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": count},
        )
        return list(result)
    start = (await session.scalar(select(func.coalesce(func.max(table.c.id), 0)))) + 1
    return list(range(start, start + count))


async def insert_batch(session: AsyncSession, **values: Any) -> int:
    return (await session.scalars(insert(InvitationBatch).returning(InvitationBatch.id), [values])).one()


async def insert_invitations(session: AsyncSession, rows: list[dict[str, Any]]) -> list[int]:
    ids = await reserve_ids(session, Invitation, len(rows))
    if rows:
        await session.execute(
            insert(Invitation.__table__), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)]
        )
    return ids


async def insert_responses(
    session: AsyncSession, responses: list[dict[str, Any]], answers: list[list[dict[str, Any]]]
) -> list[int]:
    """Insert responses and, for each, its answers (``answers[i]`` belongs to ``responses[i]``)."""
    ids = await reserve_ids(session, Response, len(responses))
    if not responses:
        return ids
    await session.execute(insert(Response.__table__), [{**row, "id": i} for row, i in zip(responses, ids, strict=True)])
    rows = [
        {**answer, "response_id": response_id}
        for response_id, response_answers in zip(ids, answers, strict=True)
        for answer in response_answers
    ]
    if rows:
        await session.execute(insert(Answer.__table__), rows)
    return ids
