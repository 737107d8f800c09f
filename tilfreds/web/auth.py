"""Who is asking: signed session cookies, CSRF tokens and login throttling.

- The session cookie holds a random id and its HMAC signature. The database keeps only a keyed hash of the
  id (``staff_sessions``), so a copy of the database cannot be turned into a working cookie. Every login makes
  a new id; logout deletes the row, so the old cookie is dead even if someone kept it.
- CSRF tokens are an HMAC of the session id (logged in) or of a random ``tilfreds_csrf`` cookie (the login
  form), checked on every POST by the middleware.
- Throttling of logins is :mod:`tilfreds.web.throttle`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from db.database import Database
from db.models import utcnow
from db.repo import staff as staff_repo
from db.writes import write_session
from tilfreds.settings import Settings

SESSION_COOKIE = "tilfreds_staff"
CSRF_COOKIE = "tilfreds_csrf"
COOKIE_PATH = "/staff"
CSRF_FIELD = "csrf_token"

SESSION_IDLE = timedelta(hours=2)  # without a request for this long, the session ends
SESSION_MAX = timedelta(hours=12)  # a working day, then log in again
TOUCH_EVERY = timedelta(minutes=1)  # how often a request may write last_seen_at

# Typed request keys where aiohttp has them (3.12+), plain strings before.
_RequestKey = getattr(web, "RequestKey", None)
IDENTITY_KEY = _RequestKey("tilfreds_staff", object) if _RequestKey else "tilfreds.staff"
CSRF_SEED_KEY = _RequestKey("tilfreds_csrf_seed", str) if _RequestKey else "tilfreds.csrf_seed"


@dataclass(frozen=True)
class Identity:
    """The logged-in staff member of a request."""

    user_id: int
    username: str
    session_id: str  # the random id from the cookie; never stored in clear


def _bytes(text: str) -> bytes:
    # Cookies and form fields can hold any character, lone surrogates included (aiohttp decodes headers
    # with surrogateescape): encode them all rather than fail with a 500.
    return text.encode("utf-8", "surrogatepass")


def _mac(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, _bytes(f"{purpose}:{value}"), hashlib.sha256).hexdigest()


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of bytes (``compare_digest`` refuses non-ASCII ``str``)."""
    return hmac.compare_digest(_bytes(given), _bytes(expected))


def session_hash(secret: bytes, session_id: str) -> str:
    """What ``staff_sessions.token_hash`` holds for a session id."""
    return _mac(secret, "staff-session", session_id)


def sign_session(secret: bytes, session_id: str) -> str:
    return f"{session_id}.{_mac(secret, 'staff-cookie', session_id)}"


def unsign_session(secret: bytes, cookie: str | None) -> str | None:
    """The session id from a cookie whose signature holds, else None."""
    if not cookie or cookie.count(".") != 1:
        return None
    session_id, signature = cookie.split(".")
    if not session_id or not _same(signature, _mac(secret, "staff-cookie", session_id)):
        return None
    return session_id


def forwarded(request: web.Request, header: str) -> str:
    """What the trusted proxy put in ``header``: the rightmost entry.

    Proxies append (nginx's ``$proxy_add_x_forwarded_for``) or replace (Caddy) these headers; either way
    the entry at the right is the proxy's own, and anything to its left is whatever the client sent.
    """
    return request.headers.get(header, "").rsplit(",", 1)[-1].strip()


def is_https(request: web.Request, settings: Settings) -> bool:
    """Whether the browser reached us over https (directly, or through a trusted proxy that says so)."""
    if request.secure:
        return True
    return settings.trust_proxy and forwarded(request, "X-Forwarded-Proto").lower() == "https"


def client_address(request: web.Request, settings: Settings) -> str:
    """The address login throttling counts: the peer, or behind a trusted proxy the address it saw."""
    if settings.trust_proxy:
        address = forwarded(request, "X-Forwarded-For")
        if address:
            return address[:64]
    return (request.remote or "unknown")[:64]


def set_cookie(response: web.StreamResponse, request: web.Request, settings: Settings, name: str, value: str) -> None:
    response.set_cookie(
        name, value, path=COOKIE_PATH, httponly=True, samesite="Lax", secure=is_https(request, settings)
    )


def clear_cookie(response: web.StreamResponse, name: str) -> None:
    response.del_cookie(name, path=COOKIE_PATH)


def session_expiry(created_at: datetime, now: datetime) -> datetime:
    return min(created_at + SESSION_MAX, now + SESSION_IDLE)


async def load_identity(request: web.Request, database: Database, secret: bytes) -> Identity | None:
    """The staff member whose live session the request's cookie names; extends an idle session."""
    session_id = unsign_session(secret, request.cookies.get(SESSION_COOKIE))
    if session_id is None:
        return None
    now = utcnow()
    async with database.sessions() as session:
        found = await staff_repo.find_session(session, session_hash(secret, session_id), now=now)
    if found is None:
        return None
    row, user = found
    if now - row.last_seen_at >= TOUCH_EVERY:  # a write at most once a minute, in the write turn
        async with write_session(database) as session:
            await staff_repo.touch_session(session, row.id, now, session_expiry(row.created_at, now))
    return Identity(user_id=user.id, username=user.username, session_id=session_id)


async def start_session(
    request: web.Request, response: web.StreamResponse, database: Database, settings: Settings, user_id: int
) -> None:
    """A new session (always a new id: no fixation) for a user who just proved their password."""
    secret = settings.secret()
    old = unsign_session(secret, request.cookies.get(SESSION_COOKIE))
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    async with write_session(database) as session:
        if old is not None:
            await staff_repo.delete_session(session, session_hash(secret, old))
        await staff_repo.purge_sessions(session, now=now)
        await staff_repo.create_session(
            session, user_id, session_hash(secret, session_id), session_expiry(now, now), now=now
        )
        await staff_repo.record_login(session, user_id, now=now)
    set_cookie(response, request, settings, SESSION_COOKIE, sign_session(secret, session_id))


async def end_session(
    request: web.Request, response: web.StreamResponse, database: Database, settings: Settings
) -> None:
    secret = settings.secret()
    session_id = unsign_session(secret, request.cookies.get(SESSION_COOKIE))
    if session_id is not None:
        async with write_session(database) as session:
            await staff_repo.delete_session(session, session_hash(secret, session_id))
    clear_cookie(response, SESSION_COOKIE)


def identity(request: web.Request) -> Identity | None:
    return request.get(IDENTITY_KEY)


def csrf_token(request: web.Request, secret: bytes) -> str:
    """The token every form of this page carries: bound to the session, or to the anonymous CSRF cookie."""
    who = identity(request)
    if who is not None:
        return _mac(secret, "csrf-session", who.session_id)
    return _mac(secret, "csrf-anonymous", request[CSRF_SEED_KEY])


def csrf_ok(request: web.Request, secret: bytes, submitted: object) -> bool:
    if not isinstance(submitted, str) or not submitted:
        return False
    if identity(request) is None and not request.get(CSRF_SEED_KEY):
        return False
    return _same(submitted, csrf_token(request, secret))


def new_csrf_seed() -> str:
    return secrets.token_urlsafe(24)
