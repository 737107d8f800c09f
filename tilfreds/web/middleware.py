"""The gate in front of every ``/staff`` route: who is asking, may they, and did the form come from us.

Routes say what they are with :func:`public`, :func:`page` (the default) or :func:`download`:
- an anonymous request for a page is sent to the login (and back afterwards);
- an anonymous request for a download gets 401, never a login page pretending to be a file;
- every POST must carry the CSRF token of its page, or it gets 403 and nothing happens.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from aiohttp import web

from tilfreds.web import auth
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.render import render

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SECURITY_HEADERS = {
    # Inline SVG is markup, not script: no page needs JavaScript, so none may run.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class Access(enum.Enum):
    PUBLIC = "public"
    PAGE = "page"
    DOWNLOAD = "download"


# The function attribute a handler's access kind is kept in (read back by access_of).
_ACCESS_ATTRIBUTE = "staff_access"


def _mark(kind: Access) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        setattr(handler, _ACCESS_ATTRIBUTE, kind)  # a Callable type declares no attributes of its own
        return handler

    return decorate


public = _mark(Access.PUBLIC)
page = _mark(Access.PAGE)
download = _mark(Access.DOWNLOAD)


def access_of(request: web.Request, handler: Handler) -> Access:
    if isinstance(request.match_info.route.resource, web.StaticResource):
        return Access.PUBLIC
    access: Access = getattr(handler, _ACCESS_ATTRIBUTE, Access.PAGE)
    return access


def login_url(next_path: str | None = None) -> str:
    if not next_path or next_path.startswith("/staff/login"):
        return "/staff/login"
    return f"/staff/login?next={quote(next_path, safe='')}"


@web.middleware
async def staff_gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    settings = settings_of(request)
    secret = settings.secret()
    request[auth.IDENTITY_KEY] = await auth.load_identity(request, database_of(request), secret)
    seed = request.cookies.get(auth.CSRF_COOKIE) or ""
    new_seed = None
    if request[auth.IDENTITY_KEY] is None and not (16 <= len(seed) <= 64):
        new_seed = seed = auth.new_csrf_seed()
    request[auth.CSRF_SEED_KEY] = seed

    try:
        response = await _guarded(request, handler, secret)
    except web.HTTPException as exc:
        _finish(request, exc, new_seed)
        raise
    _finish(request, response, new_seed)
    return response


async def _guarded(request: web.Request, handler: Handler, secret: bytes) -> web.StreamResponse:
    kind = access_of(request, handler)
    if kind is not Access.PUBLIC and auth.identity(request) is None:
        if kind is Access.DOWNLOAD:
            return web.Response(status=401, text="Log in first: /staff/login\n")
        raise web.HTTPSeeOther(login_url(request.path_qs if request.method == "GET" else None))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        form = await request.post()
        if not auth.csrf_ok(request, secret, form.get(auth.CSRF_FIELD)):
            return render(request, "error.html", status=403, message_key="csrf_failed")
    return await handler(request)


def _finish(request: web.Request, response: web.StreamResponse, new_seed: str | None) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not isinstance(request.match_info.route.resource, web.StaticResource):
        response.headers.setdefault("Cache-Control", "no-store")
    if new_seed is not None:
        auth.set_cookie(response, request, settings_of(request), auth.CSRF_COOKIE, new_seed)
