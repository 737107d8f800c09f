"""The web answering channel: invitations answered in the browser under ``/s/<token>``, no JavaScript.

A thin adapter like the bot: parse the form, call the survey engine and ``db/answering.py``, render.
Pages: ``/s/<token>`` (the welcome: answer here, or in Telegram), ``/s/<token>/q`` (the current question),
``/s/<token>/tak`` (thanks), ``/s/<token>/slet`` (withdraw), ``/privatliv`` and ``/tilgaengelighed``.
Modules: ``visits.py`` (what every page shares), ``questions.py`` (welcome, start, questions), ``ending.py``
(thanks, withdrawal, statements), ``texts.py`` (every word, and the page language), ``browser.py`` (the
cookie and form tokens), ``ratelimit.py``, ``pages.py`` (rendering); templates and CSS beside them.
"""

from __future__ import annotations

from aiohttp import web

from tilfreds.web.respond.pages import STATIC_DIR
from tilfreds.web.respond.ratelimit import RateLimit
from tilfreds.web.respond.visits import STATE, RespondState

TOKEN = r"/s/{token:[A-Za-z0-9_-]{1,64}}"


def setup_respond(app: web.Application, rate: RateLimit | None = None) -> None:
    """Add the respondent pages to ``app`` (the main application, beside ``/healthz`` and ``/staff``)."""
    from tilfreds.web.respond import ending, questions

    app[STATE] = RespondState(rate=rate or RateLimit())
    app.router.add_get("/privatliv", ending.privacy)
    app.router.add_get("/tilgaengelighed", ending.accessibility)
    app.router.add_static("/assets/respond", STATIC_DIR, append_version=False)
    app.router.add_get(TOKEN, questions.landing)
    app.router.add_post(TOKEN, questions.start)
    app.router.add_get(TOKEN + "/q", questions.show_question)
    app.router.add_post(TOKEN + "/q", questions.answer)
    app.router.add_get(TOKEN + "/tak", ending.thanks)
    app.router.add_post(TOKEN + "/tak/ring", ending.callback_request)
    app.router.add_get(TOKEN + "/slet", ending.confirm_delete)
    app.router.add_post(TOKEN + "/slet", ending.delete)
