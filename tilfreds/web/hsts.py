"""``Strict-Transport-Security`` on every answer that went out over https (ASVS 9.1.1, 14.4.5).

Only over https: a browser ignores the header on plain http, and a test server or a first install on
http://localhost must not be pinned to https. Behind a proxy, https is what the trusted proxy says
(``TILFREDS_TRUST_PROXY``, see ``tilfreds.web.auth.is_https``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from tilfreds.web.auth import is_https
from tilfreds.web.keys import SETTINGS_KEY

HSTS = "max-age=31536000"  # one year; not includeSubDomains: other hosts of the organisation are not ours to pin


@web.middleware
async def strict_transport(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if is_https(request, request.app[SETTINGS_KEY]):
            exc.headers.setdefault("Strict-Transport-Security", HSTS)
        raise
    if is_https(request, request.app[SETTINGS_KEY]):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
