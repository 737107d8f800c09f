"""Staff accounts, failed logins and web sessions.

Passwords arrive here already hashed (argon2id, see ``tilfreds/web/passwords.py``); session ids arrive
as keyed hashes. Nothing in these tables can be replayed as a password or a cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import LoginAttempt, StaffSession, StaffUser, utcnow


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
class RecentFailures:
    by_username: int
    by_address: int


async def record_failure(session: AsyncSession, username: str, address: str, now: datetime | None = None) -> None:
    session.add(LoginAttempt(username=normalize_username(username)[:64], address=address[:64], at=now or utcnow()))
    await session.flush()


async def recent_failures(
    session: AsyncSession, username: str, address: str, window: timedelta, now: datetime | None = None
) -> RecentFailures:
    """Failed logins within ``window`` for this account and, separately, from this address."""
    since = (now or utcnow()) - window
    recent = LoginAttempt.at > since
    by_username = await session.scalar(
        select(func.count(LoginAttempt.id)).where(recent, LoginAttempt.username == normalize_username(username)[:64])
    )
    by_address = await session.scalar(
        select(func.count(LoginAttempt.id)).where(recent, LoginAttempt.address == address[:64])
    )
    return RecentFailures(int(by_username or 0), int(by_address or 0))


async def purge_failures(session: AsyncSession, older_than: datetime) -> int:
    result = await session.execute(delete(LoginAttempt).where(LoginAttempt.at < older_than))
    return result.rowcount


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
    result = await session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash))
    return result.rowcount


async def purge_sessions(session: AsyncSession, now: datetime | None = None) -> int:
    result = await session.execute(delete(StaffSession).where(StaffSession.expires_at <= (now or utcnow())))
    return result.rowcount
