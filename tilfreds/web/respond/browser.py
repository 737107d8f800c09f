"""Who is answering in this browser: a random id in an ``HttpOnly``, ``SameSite=Lax`` cookie, never stored in clear.

The respondent pseudonym is its keyed hash (``db.keys.browser_pseudonym``), as a Telegram user id's is.
Every form carries a token bound to the browser and the response (or invitation) it is for, so a post
made on another site, or for another response, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from aiohttp import web

BROWSER_COOKIE = "tilfreds_respondent"
FORM_FIELD = "form_token"
COOKIE_DAYS = 60  # longer than the withdrawal window, so "delete my answers" still finds them
_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")


def new_browser_id() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits, 32 characters


def browser_id(request: web.Request) -> str | None:
    """The browser's id from its cookie, or None (no cookie yet, cookies blocked, or a malformed value)."""
    value = request.cookies.get(BROWSER_COOKIE, "")
    return value if _SHAPE.fullmatch(value) else None


def remember_browser(response: web.StreamResponse, browser: str, *, secure: bool) -> None:
    response.set_cookie(
        BROWSER_COOKIE,
        browser,
        path="/",
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


def forget_browser(response: web.StreamResponse) -> None:
    response.del_cookie(BROWSER_COOKIE, path="/")


def form_token(secret: bytes, browser: str, scope: str) -> str:
    """The token a form for ``scope`` (``"r<response id>"`` or ``"i<invitation id>"``) carries in this browser."""
    return hmac.new(secret, f"form:{browser}:{scope}".encode(), hashlib.sha256).hexdigest()[:32]


def form_token_ok(secret: bytes, browser: str, scope: str, submitted: object) -> bool:
    return isinstance(submitted, str) and hmac.compare_digest(form_token(secret, browser, scope), submitted)
