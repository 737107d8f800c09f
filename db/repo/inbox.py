"""The durable inbox: updates are stored before they are acknowledged, then processed from here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import InboxUpdate, utcnow
from db.repo.affected import rows_affected

MAX_ERROR = 500


async def add(session: AsyncSession, rows: list[tuple[int, str, dict[str, Any]]]) -> int:
    """Store ``(update_id, chat_key, payload)`` rows; an ``update_id`` already there is left alone.

    Returns how many rows were new.
    """
    if not rows:
        return 0
    values = [
        {"update_id": uid, "chat_key": key, "payload": payload, "received_at": utcnow(), "attempts": 0}
        for uid, key, payload in rows
    ]
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(InboxUpdate).values(values).on_conflict_do_nothing(index_elements=["update_id"])
    changed = await rows_affected(session, statement)
    await session.flush()
    return max(changed, 0)


async def pending_chats(session: AsyncSession, *, max_attempts: int, limit: int = 500) -> list[str]:
    """Chats with unprocessed updates, the chat with the oldest waiting update first."""
    oldest = func.min(InboxUpdate.update_id)
    result = await session.execute(
        select(InboxUpdate.chat_key, oldest)
        .where(
            InboxUpdate.processed_at.is_(None), InboxUpdate.attempts < max_attempts, InboxUpdate.chat_key.is_not(None)
        )
        .group_by(InboxUpdate.chat_key)
        .order_by(oldest)
        .limit(limit)
    )
    return [key for key, _ in result if key is not None]  # never None: filtered above


# The two statements of every update, built once: building an ORM statement (its clauses, its cache
# key) costs more than running it on SQLite (bench/RESULTS.md, cost per answer).
_NEXT_PENDING = (
    select(InboxUpdate)
    .where(InboxUpdate.chat_key == bindparam("chat_key"), InboxUpdate.processed_at.is_(None))
    .order_by(InboxUpdate.update_id)
    .limit(2)
    .with_for_update()
)
_MARK_PROCESSED = (
    update(InboxUpdate)
    .where(InboxUpdate.update_id == bindparam("which"), InboxUpdate.processed_at.is_(None))
    .values(processed_at=bindparam("now"), payload=None, attempts=InboxUpdate.attempts + 1, error=None)
    .execution_options(synchronize_session=False)
)


async def next_pending(session: AsyncSession, chat_key: str) -> tuple[InboxUpdate | None, bool]:
    """The oldest unprocessed update of one chat, locked for this transaction (PostgreSQL), and whether
    another one waits behind it (so the caller knows without asking again)."""
    rows = list(await session.scalars(_NEXT_PENDING, {"chat_key": chat_key}))
    return (rows[0] if rows else None), len(rows) > 1


async def mark_processed(session: AsyncSession, update_id: int, *, now: datetime | None = None) -> bool:
    """Mark an update processed and drop its payload; False if someone else already did."""
    return await rows_affected(session, _MARK_PROCESSED, {"which": update_id, "now": now or utcnow()}) == 1


async def record_failure(session: AsyncSession, update_id: int, error: str, *, max_attempts: int) -> bool:
    """Count a failed attempt. After ``max_attempts`` the update is given up: processed, payload dropped.

    Returns True if it was given up.
    """
    row = await session.get(InboxUpdate, update_id, with_for_update=True)
    if row is None or row.processed_at is not None:
        return False
    row.attempts += 1
    row.error = error[:MAX_ERROR]
    give_up = row.attempts >= max_attempts
    if give_up:
        row.processed_at = utcnow()
        row.payload = None
    await session.flush()
    return give_up


async def purge_processed(session: AsyncSession, before: datetime) -> int:
    """Forget processed updates received before ``before`` (Telegram re-sends for 24 h at most)."""
    return await rows_affected(
        session,
        delete(InboxUpdate)
        .where(InboxUpdate.processed_at.is_not(None), InboxUpdate.received_at < before)
        .execution_options(synchronize_session=False),
    )


async def counts(session: AsyncSession) -> dict[str, int]:
    """How many updates are waiting and how many were processed (for health checks and tests)."""
    waiting = await session.scalar(select(func.count()).where(InboxUpdate.processed_at.is_(None)))
    done = await session.scalar(select(func.count()).where(InboxUpdate.processed_at.is_not(None)))
    return {"waiting": int(waiting or 0), "processed": int(done or 0)}
