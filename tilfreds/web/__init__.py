"""The staff web pages under ``/staff``: login, invitations with QR sheets, results and downloads.

Server-rendered HTML (jinja2, autoescaped), no JavaScript needed, Danish first with English beside it.
``setup_staff(app)`` mounts everything as one sub-application, so its login gate and CSRF check cover
every staff route and nothing else (``/healthz`` and the Telegram webhook stay as they are).
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

STATIC_DIR = Path(__file__).parent / "static"


async def _to_start(request: web.Request) -> web.StreamResponse:
    raise web.HTTPMovedPermanently("/staff/")


def setup_staff(app: web.Application) -> web.Application:
    """Mount the staff pages on ``app`` at ``/staff``; returns the sub-application."""
    from tilfreds.web.middleware import staff_gate
    from tilfreds.web.views import callbacks, comments, invitations, results, session

    staff = web.Application(middlewares=[staff_gate])
    session.add_routes(staff)
    invitations.add_routes(staff)
    results.add_routes(staff)
    comments.add_routes(staff)
    callbacks.add_routes(staff)
    staff.router.add_static("/static", STATIC_DIR, append_version=False)
    app.router.add_get("/staff", _to_start)
    app.add_subapp("/staff", staff)
    return staff
