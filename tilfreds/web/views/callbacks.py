"""The call-back list ("Ring mig op"): who asked to be contacted, for which survey and team, and whether
someone has called. Nothing here links a request to an answer; the list is the only place contacts are shown,
and showing it is not logged with the contacts."""

from __future__ import annotations

from aiohttp import web

from db.repo import callbacks as repo
from db.writes import write_session
from tilfreds.web.i18n import request_language
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.middleware import page
from tilfreds.web.render import render
from tilfreds.web.surveys_view import staff_surveys
from tilfreds.web.views.invitations import actor


@page
async def callback_list(request: web.Request) -> web.StreamResponse:
    lang = request_language(request)
    settings = settings_of(request)
    async with database_of(request).sessions() as session:
        found = await repo.requests(session)
    titles = {survey.key: survey.title for survey in staff_surveys(lang)}
    teams = {
        value: label
        for survey in staff_surveys(lang)
        for segment in survey.segments
        if segment.key == repo.TEAM_SEGMENT
        for value, label in segment.choices
    }
    return render(
        request,
        "callbacks.html",
        section="callbacks",
        open_requests=[r for r in found if r.handled_at is None],
        handled=[r for r in found if r.handled_at is not None],
        titles=titles,
        teams=teams,
        handled_days=settings.callback_handled_days,
        max_days=settings.callback_max_days,
        done=request.query.get("done") == "1",
    )


@page
async def mark_handled(request: web.Request) -> web.StreamResponse:
    data = await request.post()
    try:
        request_id = int(str(data.get("request")))
    except ValueError:
        raise web.HTTPBadRequest(text="Choose a request.\n") from None
    async with write_session(database_of(request)) as session:
        changed = await repo.mark_handled(session, request_id, by=actor(request))
    raise web.HTTPSeeOther("/staff/callbacks?done=1" if changed else "/staff/callbacks")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/callbacks", callback_list)
    app.router.add_post("/callbacks/handled", mark_handled)
