"""Bulk inserts for seeding and benchmarks: plain executemany, with ids reserved up front.

RETURNING with guaranteed row order costs one statement per row on SQLite, so ids are reserved
first (a sequence range on PostgreSQL; the next free ids inside the write transaction on SQLite)
and written explicitly.

On SQLite the rows go to the driver as tuples, each value converted by its column type's own bind
processor once per distinct object (a response's answers share its timestamp, an invitation and its
response share the segments): SQLAlchemy's per-row parameter processing was half the CPU of
``tilfreds demo seed`` (bench/RESULTS.md).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Answer, Base, Invitation, InvitationBatch, Response


async def reserve_ids(session: AsyncSession, model: type[Base], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``'s table."""
    table = model.__table__
    if count <= 0:
        return []
    if (await session.connection()).dialect.name == "postgresql":
        result = await session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table.name, "n": count},
        )
        return list(result)
    start = (await session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1
    return list(range(start, start + count))


async def _insert_rows(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """``INSERT`` many rows, all with the same keys (see the module docstring)."""
    if not rows:
        return
    connection = await session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        await session.execute(insert(table), rows)
        return
    names = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    converted: dict[tuple[int, int], Any] = {}

    def value(index: int, raw: Any) -> Any:
        process = processors[index]
        if process is None or raw is None or isinstance(raw, str | int | float):
            return raw if process is None or raw is None else process(raw)
        key = (id(process), id(raw))
        if key not in converted:
            converted[key] = process(raw)
        return converted[key]

    params = [tuple(value(i, row[name]) for i, name in enumerate(names)) for row in rows]
    columns = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
    marks = ", ".join("?" for _ in names)
    await connection.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", params)


async def insert_batch(session: AsyncSession, **values: Any) -> int:
    return (await session.scalars(insert(InvitationBatch).returning(InvitationBatch.id), [values])).one()


async def insert_invitations(session: AsyncSession, rows: list[dict[str, Any]]) -> list[int]:
    ids = await reserve_ids(session, Invitation, len(rows))
    if rows:
        await _insert_rows(session, Invitation.__table__, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


async def insert_responses(
    session: AsyncSession, responses: list[dict[str, Any]], answers: list[list[dict[str, Any]]]
) -> list[int]:
    """Insert responses and, for each, its answers (``answers[i]`` belongs to ``responses[i]``)."""
    ids = await reserve_ids(session, Response, len(responses))
    if not responses:
        return ids
    await _insert_rows(session, Response.__table__, [{**row, "id": i} for row, i in zip(responses, ids, strict=True)])
    rows = [
        {**answer, "response_id": response_id}
        for response_id, response_answers in zip(ids, answers, strict=True)
        for answer in response_answers
    ]
    await _insert_rows(session, Answer.__table__, rows)
    return ids
