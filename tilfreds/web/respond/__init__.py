"""The web answering channel: invitations answered in the browser under ``/s/<token>``, no JavaScript.

A thin adapter like the bot: parse the form, call the survey engine and ``db/answering.py``, render. Pages:
``/s/<token>`` (welcome: answer here, or in Telegram), ``/s/<token>/q`` (the current question),
``/s/<token>/tak`` (thanks), ``/s/<token>/slet`` (withdraw), ``/privatliv`` and ``/tilgaengelighed``.
Words live in ``texts.py``; templates and CSS beside this file.
"""

from __future__ import annotations

from aiohttp import web

from tilfreds.web.respond.pages import STATIC_DIR
from tilfreds.web.respond.ratelimit import RateLimit
from tilfreds.web.respond.views import STATE, RespondState


def setup_respond(app: web.Application, rate: RateLimit | None = None) -> None:
    """Add the respondent pages to ``app`` (the main application, beside ``/healthz`` and ``/staff``)."""
    from tilfreds.web.respond import views

    app[STATE] = RespondState(rate=rate or RateLimit())
    app.router.add_get("/privatliv", views.privacy)
    app.router.add_get("/tilgaengelighed", views.accessibility)
    app.router.add_static("/assets/respond", STATIC_DIR, append_version=False)
    app.router.add_get(r"/s/{token:[A-Za-z0-9_-]{1,64}}", views.landing)
    app.router.add_post(r"/s/{token:[A-Za-z0-9_-]{1,64}}", views.start)
    app.router.add_get(r"/s/{token:[A-Za-z0-9_-]{1,64}}/q", views.show_question)
    app.router.add_post(r"/s/{token:[A-Za-z0-9_-]{1,64}}/q", views.answer)
    app.router.add_get(r"/s/{token:[A-Za-z0-9_-]{1,64}}/tak", views.thanks)
    app.router.add_get(r"/s/{token:[A-Za-z0-9_-]{1,64}}/slet", views.confirm_delete)
    app.router.add_post(r"/s/{token:[A-Za-z0-9_-]{1,64}}/slet", views.delete)
