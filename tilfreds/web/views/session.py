"""Logging in and out, the start page and the language switch."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from aiohttp import web

from db.repo import staff as staff_repo
from db.writes import write_session
from tilfreds.web import auth, passwords, throttle
from tilfreds.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.middleware import public
from tilfreds.web.render import render

HOME = "/staff/overview"


def safe_next(value: str | None) -> str:
    """Only our own pages may be the target after login or a language switch (no open redirect)."""
    if not value:
        return HOME
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/staff/") or "\\" in value:
        return HOME
    if parts.path.startswith(("/staff/login", "/staff/logout", "/staff/lang")):
        return HOME
    return value


async def index(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther(HOME)


@public
async def login_form(request: web.Request) -> web.StreamResponse:
    if auth.identity(request) is not None:
        raise web.HTTPSeeOther(safe_next(request.query.get("next")))
    notice = "logged_out" if "logged_out" in request.query else None
    if notice is None and request.query.get("next"):
        notice = "session_expired"
    return render(
        request, "login.html", error=None, notice=notice, username="", next=safe_next(request.query.get("next"))
    )


@public
async def login(request: web.Request) -> web.StreamResponse:
    database = database_of(request)
    settings = settings_of(request)
    form = await request.post()
    username = str(form.get("username", ""))[:200]
    password = str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    address = auth.client_address(request, settings)

    def again(error: str, status: int) -> web.Response:
        return render(request, "login.html", status=status, error=error, notice=None, username=username, next=target)

    try:
        with passwords.VERIFIER.place():  # a flood is turned away here, before it costs a connection
            admission = await throttle.admit(database, username, address)
        if admission.refused:
            return again("login_throttled", 429)
        if admission.delay:  # the account is being guessed at from elsewhere: slower, without holding a place
            await asyncio.sleep(admission.delay)
        with passwords.VERIFIER.place():
            async with database.sessions() as session:
                user = await staff_repo.get_user(session, username) if username.strip() else None
            ok = await passwords.VERIFIER.verify(user.password_hash if user else None, password)
    except passwords.VerifierBusy:
        return again("login_busy", 429)
    if not ok or user is None or user.disabled_at is not None:
        return again("login_failed", 200)
    await throttle.succeeded(database, username, address)
    if passwords.needs_rehash(user.password_hash):
        async with write_session(database) as session:
            await staff_repo.set_password_hash(session, user.id, passwords.hash_password(password, check=False))
    response = web.HTTPSeeOther(target)
    await auth.start_session(request, response, database, settings, user.id)
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    response = web.HTTPSeeOther("/staff/login?logged_out=1")
    await auth.end_session(request, response, database_of(request), settings_of(request))
    raise response


@public
async def switch_language(request: web.Request) -> web.StreamResponse:
    lang = request.query.get("set", "")
    target = request.query.get("next")
    response = web.HTTPSeeOther(safe_next(target) if auth.identity(request) else "/staff/login")
    if lang in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            path=auth.COOKIE_PATH,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=auth.is_https(request, settings_of(request)),
        )
    raise response


@public
async def logo(request: web.Request) -> web.StreamResponse:
    """The organisation's logo (TILFREDS_ORGANISATION_LOGO), shown in the header of every staff page."""
    from tilfreds.settings import LOGO_TYPES

    path = settings_of(request).organisation_logo
    if path is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=path.read_bytes(),  # noqa: ASYNC240 - a small file, checked at start (≤ 512 kB)
        content_type=LOGO_TYPES[path.suffix.lower()],
        headers={"Cache-Control": "max-age=3600"},
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_get("/logo", logo)
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/lang", switch_language)
