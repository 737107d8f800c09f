"""The comments page of a survey: what people wrote, newest first, with filters, search, themes and a download.

A comment is shown only when the selection it comes from (period, segment value, score, language, channel)
holds at least the minimum cell size of responses: below that, the score and the segment beside a comment
could point at a person. The page then says why and shows none; the download is refused the same way.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from db.repo import audit
from db.repo import comments as repo
from db.writes import write_session
from tilfreds.web.i18n import request_language, translate
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.middleware import download, page
from tilfreds.web.render import local_time, render
from tilfreds.web.views.invitations import actor
from tilfreds.web.views.results import FORMATS, chosen_filter, chosen_period, filter_groups, survey_or_404
from tilfreds.web.views.results import layout as layout_of

PAGE_SIZE = 25
SCORES = ("5", "4", "3", "2", "1", "dk")
CHANNELS = ("telegram", "web")
MAX_SEARCH = 100
MAX_THEME = 60


@dataclass(frozen=True)
class Choices:
    """What the page asked for, already checked; ``errors`` names what was refused."""

    period: Any
    where: tuple[str, str] | None
    score: str | None
    language: str | None
    channel: str | None
    search: str
    page: int
    errors: tuple[str, ...]

    def query(self, **changes: Any) -> str:
        """The query string of this selection (with ``changes``), for links and redirects."""
        values = {
            "period": self.period.label,
            "filter": "=".join(self.where) if self.where else "",
            "score": self.score or "",
            "language": self.language or "",
            "channel": self.channel or "",
            "q": self.search,
            "page": str(self.page),
        }
        values.update({k: str(v) for k, v in changes.items()})
        return urlencode({k: v for k, v in values.items() if v and not (k == "page" and v == "1")})


def _languages(survey_key: str) -> tuple[str, ...]:
    """The languages the survey can be answered in (from its definition)."""
    from surveys import get_survey

    return tuple(get_survey(survey_key).languages)


def read_choices(request: web.Request, survey: Any) -> Choices:
    period, period_error = chosen_period(request)
    where, filter_error = chosen_filter(request, [survey])
    errors = [e for e in (period_error, filter_error) if e]
    q = request.query
    score = q.get("score") or None
    if score is not None and score not in SCORES:
        score, errors = None, [*errors, "error_comment_choice"]
    language = q.get("language") or None
    if language is not None and language not in _languages(survey.key):
        language, errors = None, [*errors, "error_comment_choice"]
    channel = q.get("channel") or None
    if channel is not None and channel not in CHANNELS:
        channel, errors = None, [*errors, "error_comment_choice"]
    search = (q.get("q") or "").strip()[:MAX_SEARCH]
    try:
        number = max(1, min(int(q.get("page") or "1"), 100_000))
    except ValueError:
        number = 1
    return Choices(period, where, score, language, channel, search, number, tuple(dict.fromkeys(errors)))


def selection_of(request: web.Request, survey_key: str, choices: Choices) -> repo.Selection:
    from db.repo.aggregates import Bounds

    layout = layout_of(survey_key, "da")
    start, end = choices.period.utc_bounds(settings_of(request).timezone)
    return repo.Selection(
        bounds=Bounds(layout.key, layout.headline_id, start, end, choices.where),
        text_ids=tuple(item.id for item in layout.items_of("text")),
        score=choices.score,
        language=choices.language,
        channel=choices.channel,
        search=choices.search,
    )


@page
async def comments_page(request: web.Request) -> web.StreamResponse:
    from analytics.periods import local_date
    from db.models import utcnow
    from tilfreds.web.views.results import period_choices

    lang = request_language(request)
    survey = survey_or_404(request, lang)
    choices = read_choices(request, survey)
    settings = settings_of(request)
    selection = selection_of(request, survey.key, choices)
    async with database_of(request).sessions() as session:
        size = await repo.selection_size(session, selection)
        themes = await repo.themes(session, survey.key)
        allowed = size >= settings.min_cell_size
        total = await repo.comment_count(session, selection) if allowed else 0
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(choices.page, pages)
        shown = await repo.comments_page(session, selection, (number - 1) * PAGE_SIZE, PAGE_SIZE) if allowed else []
    return render(
        request,
        "comments.html",
        status=400 if choices.errors else 200,
        section="overview",
        survey=survey,
        choices=choices,
        errors=choices.errors,
        period_options=period_choices(local_date(utcnow(), settings.timezone), lang),
        filters=filter_groups([survey]),
        current_filter="=".join(choices.where) if choices.where else "",
        scores=SCORES,
        languages=_languages(survey.key),
        channels=CHANNELS,
        size=size,
        allowed=allowed,
        min_size=settings.min_cell_size,
        total=total,
        comments=shown,
        themes=themes,
        theme_names={theme.id: theme.name for theme in themes},
        page_number=number,
        pages=pages,
        here=choices.query(page=number),
    )


@download
async def comments_download(request: web.Request) -> web.StreamResponse:
    """The selection's comments as csv or xlsx (the same selection as the page, whatever its page number)."""
    from analytics.exports.comments import CommentLine, write_comments

    lang = request_language(request)
    survey = survey_or_404(request, lang)
    fmt = request.match_info["fmt"]
    if fmt not in ("csv", "xlsx"):
        raise web.HTTPNotFound()
    choices = read_choices(request, survey)
    if choices.errors:
        return web.Response(status=400, text=translate(lang, choices.errors[0]) + "\n")
    settings = settings_of(request)
    selection = selection_of(request, survey.key, choices)
    database = database_of(request)
    async with database.sessions() as session:
        if await repo.selection_size(session, selection) < settings.min_cell_size:
            return web.Response(status=403, text=translate(lang, "comments_too_few", min=settings.min_cell_size) + "\n")
        found = await repo.comments_all(session, selection)
        names = {theme.id: theme.name for theme in await repo.themes(session, survey.key)}
    lines = [
        CommentLine(
            date=local_time(c.answered_at, settings.timezone, with_time=False),
            score=translate(lang, "opt_dk") if c.score == "dk" else c.score,
            language=c.language,
            channel=c.channel,
            themes=", ".join(names[t] for t in c.themes if t in names),
            text=c.text,
        )
        for c in found
    ]
    stem = translate(lang, "comments_file")
    with tempfile.TemporaryDirectory(prefix="tilfreds-comments-") as folder:
        path = Path(folder) / f"{stem}-{survey.key}-{choices.period.label.replace(':', '_')}.{fmt}"
        rows = write_comments(lines, fmt, path, lang)
        body = path.read_bytes()  # noqa: ASYNC240 - a small file we just wrote
    async with write_session(database) as session:
        await audit.record(
            session,
            actor=actor(request),
            action="export",
            detail={
                "survey": survey.key,
                "period": choices.period.label,
                "format": fmt,
                "file": path.name,
                "kind": "comments",
                "selection": choices.query(page=1),
            },
            rows=rows,
        )
    return web.Response(
        body=body,
        content_type=FORMATS[fmt],
        charset="utf-8" if fmt == "csv" else None,
        headers={"Content-Disposition": f'attachment; filename="{path.name}"'},
    )


def _back(survey_key: str, data: Any) -> str:
    here = str(data.get("back") or "")
    return f"/staff/surveys/{survey_key}/comments" + (f"?{here}" if here and "\n" not in here else "")


@page
async def tag(request: web.Request) -> web.StreamResponse:
    """Tag or untag one comment with one theme of the same survey."""
    survey = survey_or_404(request, request_language(request))
    data = await request.post()
    try:
        answer_id, theme_id = int(str(data.get("answer"))), int(str(data.get("theme")))
    except ValueError:
        raise web.HTTPBadRequest(text="Choose a comment and a theme.\n") from None
    layout = layout_of(survey.key, "da")
    text_ids = [item.id for item in layout.items_of("text")]
    async with write_session(database_of(request)) as session:
        known = {theme.id for theme in await repo.themes(session, survey.key)}
        if theme_id not in known or not await repo.is_comment_of(session, survey.key, answer_id, text_ids):
            raise web.HTTPBadRequest(text="Unknown comment or theme.\n")
        await repo.set_tag(session, answer_id, theme_id, on=data.get("on") == "1", actor=actor(request))
    raise web.HTTPSeeOther(_back(survey.key, data) + f"#comment-{answer_id}")


@page
async def add_theme(request: web.Request) -> web.StreamResponse:
    survey = survey_or_404(request, request_language(request))
    data = await request.post()
    name = " ".join(str(data.get("name") or "").split())[:MAX_THEME]
    if name:
        async with write_session(database_of(request)) as session:
            await repo.add_theme(session, survey.key, name)
    raise web.HTTPSeeOther(_back(survey.key, data) + "#themes")


@page
async def remove_theme(request: web.Request) -> web.StreamResponse:
    survey = survey_or_404(request, request_language(request))
    data = await request.post()
    try:
        theme_id = int(str(data.get("theme")))
    except ValueError:
        raise web.HTTPBadRequest(text="Choose a theme.\n") from None
    async with write_session(database_of(request)) as session:
        await repo.remove_theme(session, survey.key, theme_id)
    raise web.HTTPSeeOther(_back(survey.key, data) + "#themes")


def add_routes(app: web.Application) -> None:
    app.router.add_get(r"/surveys/{survey:[a-z_]+}/comments", comments_page)
    app.router.add_get(r"/surveys/{survey:[a-z_]+}/comments.{fmt:[a-z]+}", comments_download)
    app.router.add_post(r"/surveys/{survey:[a-z_]+}/comments/tag", tag)
    app.router.add_post(r"/surveys/{survey:[a-z_]+}/themes", add_theme)
    app.router.add_post(r"/surveys/{survey:[a-z_]+}/themes/remove", remove_theme)
