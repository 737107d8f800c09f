"""Staff accounts, failed logins and web sessions.

Passwords arrive here already hashed (argon2id, see ``tilfreds/web/passwords.py``); session ids arrive
as keyed hashes. Nothing in these tables can be replayed as a password or a cookie.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import LoginAttempt, StaffSession, StaffUser, utcnow
from db.repo.affected import rows_affected

LOGIN_ATTEMPTS_KEPT = timedelta(days=1)  # the nightly retention job forgets older login attempts


class DuplicateUser(ValueError):
    """A staff account with this username exists already."""


def normalize_username(username: str) -> str:
    """Usernames compare case-insensitively and without surrounding spaces."""
    return username.strip().lower()


async def get_user(session: AsyncSession, username: str) -> StaffUser | None:
    return await session.scalar(select(StaffUser).where(StaffUser.username == normalize_username(username)))


async def create_user(session: AsyncSession, username: str, password_hash: str) -> StaffUser:
    name = normalize_username(username)
    if await get_user(session, name) is not None:
        raise DuplicateUser(f"a staff account named {name!r} exists already")
    user = StaffUser(username=name, password_hash=password_hash, created_at=utcnow())
    session.add(user)
    await session.flush()
    return user


async def list_users(session: AsyncSession) -> list[StaffUser]:
    return list(await session.scalars(select(StaffUser).order_by(StaffUser.username)))


async def disable_user(session: AsyncSession, username: str, now: datetime | None = None) -> StaffUser | None:
    """Disable an account and end its sessions. None if there is no such account."""
    user = await get_user(session, username)
    if user is None:
        return None
    if user.disabled_at is None:
        user.disabled_at = now or utcnow()
    await session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    await session.flush()
    return user


async def set_password_hash(session: AsyncSession, user_id: int, password_hash: str) -> None:
    await session.execute(update(StaffUser).where(StaffUser.id == user_id).values(password_hash=password_hash))


async def record_login(session: AsyncSession, user_id: int, now: datetime | None = None) -> None:
    await session.execute(update(StaffUser).where(StaffUser.id == user_id).values(last_login_at=now or utcnow()))


# --- failed logins -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecentAttempts:
    """Login attempts within the window, the one just recorded included."""

    attempt_id: int
    by_pair: int  # this account from this address
    by_address: int  # any account from this address
    by_account: int  # this account from any address


def _lock_key(kind: str, value: str) -> int:
    """A PostgreSQL advisory lock key (signed 64 bits) for one account or one address."""
    digest = hashlib.sha256(f"tilfreds-login:{kind}:{value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def record_attempt(
    session: AsyncSession, username: str, address: str, window: timedelta, now: datetime | None = None
) -> RecentAttempts:
    """Record a login attempt *before* its password is checked, and count the recent ones, atomically.

    Attempts for one account or from one address are serialised: on PostgreSQL by transaction-scoped
    advisory locks (taken in a fixed order, so two logins never wait for each other in a circle), on
    SQLite because the insert comes first and takes the database's one write lock. Either way a login
    that commits later counts every attempt committed before it — concurrent guesses cannot all see
    "no failures yet". The caller commits before checking the password, so no lock is held meanwhile.
    """
    now = now or utcnow()
    name, address = normalize_username(username)[:64], address[:64]
    if session.get_bind().dialect.name == "postgresql":
        for key in sorted({_lock_key("account", name), _lock_key("address", address)}):
            await session.execute(select(func.pg_advisory_xact_lock(key)))
    row = LoginAttempt(username=name, address=address, at=now)
    session.add(row)
    await session.flush()
    recent = LoginAttempt.at > now - window

    async def count(*where: Any) -> int:
        return int(await session.scalar(select(func.count(LoginAttempt.id)).where(recent, *where)) or 0)

    return RecentAttempts(
        attempt_id=row.id,
        by_pair=await count(LoginAttempt.username == name, LoginAttempt.address == address),
        by_address=await count(LoginAttempt.address == address),
        by_account=await count(LoginAttempt.username == name),
    )


async def clear_attempts(session: AsyncSession, username: str, address: str) -> int:
    """A successful login forgets this account's attempts from this address (others' stay counted)."""
    return await rows_affected(
        session,
        delete(LoginAttempt).where(
            LoginAttempt.username == normalize_username(username)[:64], LoginAttempt.address == address[:64]
        ),
    )


async def purge_attempts(session: AsyncSession, older_than: datetime) -> int:
    """Forget login attempts older than ``older_than`` (the retention job does this, not the login)."""
    return await rows_affected(session, delete(LoginAttempt).where(LoginAttempt.at < older_than))


# --- sessions ------------------------------------------------------------------------------------


async def create_session(
    session: AsyncSession, user_id: int, token_hash: str, expires_at: datetime, now: datetime | None = None
) -> StaffSession:
    now = now or utcnow()
    row = StaffSession(token_hash=token_hash, user_id=user_id, created_at=now, last_seen_at=now, expires_at=expires_at)
    session.add(row)
    await session.flush()
    return row


async def find_session(
    session: AsyncSession, token_hash: str, now: datetime | None = None
) -> tuple[StaffSession, StaffUser] | None:
    """The live session with this hash and its (enabled) user, or None."""
    row = (
        await session.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSession.user_id)
            .where(
                StaffSession.token_hash == token_hash,
                StaffSession.expires_at > (now or utcnow()),
                StaffUser.disabled_at.is_(None),
            )
        )
    ).first()
    return (row[0], row[1]) if row else None


async def touch_session(session: AsyncSession, session_id: int, last_seen_at: datetime, expires_at: datetime) -> None:
    await session.execute(
        update(StaffSession)
        .where(StaffSession.id == session_id)
        .values(last_seen_at=last_seen_at, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )


async def delete_session(session: AsyncSession, token_hash: str) -> int:
    return await rows_affected(session, delete(StaffSession).where(StaffSession.token_hash == token_hash))


async def purge_sessions(session: AsyncSession, now: datetime | None = None) -> int:
    return await rows_affected(session, delete(StaffSession).where(StaffSession.expires_at <= (now or utcnow())))
