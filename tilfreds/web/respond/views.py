"""The respondent pages' handlers: parse the request, call the engine and ``db/answering.py``, render.

Nothing is kept in memory between requests: the response's current question in the database is the
state, as in Telegram. Every answer is committed before the browser is redirected to the next page
(post/redirect/get), so a reload never posts twice and a crash loses nothing that was acknowledged.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.inbox_worker import write_turn
from bot.links import UsernameUnknown, bot_username, deep_link
from db import answering
from db.keys import browser_pseudonym
from db.models import Invitation, Response, utcnow
from db.repo import invitations, responses
from surveys import (
    SKIP_OPTION,
    AnswerValue,
    InvalidAnswer,
    Question,
    Survey,
    applicable_questions,
    get_survey,
    localize,
    next_question,
    previous_question,
    progress,
    validate_choice,
    validate_text,
)
from tilfreds.web.auth import client_address, is_https
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.respond import browser as browsers
from tilfreds.web.respond.pages import problem, render, secure
from tilfreds.web.respond.ratelimit import RateLimit
from tilfreds.web.respond.texts import LANGUAGE_COOKIE, LANGUAGES, page_language, t

CHANNEL = "web"
OPEN = responses.OPEN
MAX_TEXT_BYTES = 20_000  # far beyond any survey's limit: more is not a person typing


@dataclass
class RespondState:
    """What the respondent pages keep for the process: caches and the rate limit, no answers."""

    rate: RateLimit = field(default_factory=RateLimit)
    versions: answering.SurveyVersions = field(default_factory=answering.SurveyVersions)
    telegram: dict[str, str | None] = field(default_factory=dict)
    locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(default_factory=weakref.WeakValueDictionary)

    def lock(self, browser: str) -> asyncio.Lock:
        """One request at a time per browser: a double-click or a second tab waits its turn."""
        found = self.locks.get(browser)
        if found is None:
            found = self.locks[browser] = asyncio.Lock()
        return found


STATE = web.AppKey("respond_state", RespondState)
LANG_KEY = web.RequestKey("respond_lang", str) if hasattr(web, "RequestKey") else "respond_lang"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def respondent_page(handler: Handler) -> Handler:
    """Rate limit, language, kind pages for oversized posts, security headers: around every respondent route."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        lang = page_language(request)
        request[LANG_KEY] = lang
        settings = settings_of(request)
        response: web.StreamResponse
        if not request.app[STATE].rate.allow(client_address(request, settings)):
            response = problem(request, lang, "rate_limited", status=429, title_key="rate_title")
            response.headers["Retry-After"] = "60"
        else:
            try:
                response = await handler(request)
            except web.HTTPRequestEntityTooLarge:
                response = problem(request, lang, "form_too_large", status=413, title_key="form_problem_title")
            except web.HTTPException as exc:
                _finish(request, exc, lang)
                raise
        _finish(request, response, lang)
        return response

    return wrapped


def _finish(request: web.Request, response: web.StreamResponse, lang: str) -> None:
    secure(response)
    if request.query.get("lang") in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            path="/",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=is_https(request, settings_of(request)),
        )


def _lang(request: web.Request) -> str:
    return request[LANG_KEY]


def _paths(token: str) -> dict[str, str]:
    base = f"/s/{token}"
    return {"landing": base, "question": f"{base}/q", "thanks": f"{base}/tak", "delete": f"{base}/slet"}


async def _form(request: web.Request) -> dict[str, str] | None:
    """The posted fields as text, or None if the body is not a form a browser would send."""
    try:
        data = await request.post()
    except (UnicodeDecodeError, ValueError):
        return None
    fields: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str) or key in fields:
            return None  # a file, or a field given twice
        fields[key] = value
    return fields


@dataclass
class Visit:
    """What a request is about: the invitation, this browser and its response to it (any of them may be missing)."""

    token: str
    invitation: Invitation | None
    browser: str | None
    response: Response | None


async def _visit(request: web.Request, session: AsyncSession, *, lock: bool = False) -> Visit:
    token = request.match_info["token"]
    secret = settings_of(request).secret()
    invitation = await invitations.find_invitation(session, secret, token)
    browser = browsers.browser_id(request)
    response = None
    if invitation is not None and browser is not None:
        respondent = await responses.find_respondent(session, browser_pseudonym(secret, browser))
        if respondent is not None:
            response = await responses.response_from_invitation(session, respondent.id, invitation.id)
            if response is not None and lock:
                response = await responses.lock_response(session, response.id)
    return Visit(token, invitation, browser, response)


def _where(visit: Visit) -> str | None:
    """Where this browser's own response sends it: its current question, or the thank-you."""
    if visit.response is None:
        return None
    paths = _paths(visit.token)
    if visit.response.status == OPEN:
        return paths["question"]
    if visit.response.status == "completed":
        return paths["thanks"]
    return None


def _refused(request: web.Request, reason: str) -> web.Response:
    return problem(request, _lang(request), f"token_{reason}", status=404 if reason == "unknown" else 410)


def _tampered(request: web.Request, token: str, key: str = "form_tampered") -> web.Response:
    return problem(
        request,
        _lang(request),
        key,
        status=400,
        title_key="form_problem_title",
        survey_path=_paths(token)["question"],
    )


async def _telegram_link(request: web.Request, token: str) -> str | None:
    """The same invitation as a Telegram deep link, when the Telegram channel is on."""
    from tilfreds.app import TELEGRAM_KEY

    if request.config_dict[TELEGRAM_KEY] == "off":
        return None
    cache = request.app[STATE].telegram
    if "username" not in cache:
        settings = settings_of(request)
        try:
            cache["username"] = await bot_username(
                settings.telegram_bot_username, settings.telegram_token, settings.telegram_api_url
            )
        except UsernameUnknown:
            cache["username"] = None
    username = cache["username"]
    return deep_link(username, token) if username else None


# -- the landing page (the welcome) and starting -----------------------------------------------------


@respondent_page
async def landing(request: web.Request) -> web.StreamResponse:
    async with database_of(request).sessions() as session:
        visit = await _visit(request, session)
        if (where := _where(visit)) is not None:
            raise web.HTTPSeeOther(where)
        refused = await answering.refusal(session, visit.invitation, CHANNEL)
    if refused is not None or visit.invitation is None:
        return _refused(request, refused.reason if refused else "unknown")
    settings = settings_of(request)
    lang = _lang(request)
    survey = get_survey(visit.invitation.survey_key)
    browser = visit.browser or browsers.new_browser_id()
    page = render(
        request,
        "landing.html",
        lang,
        survey_title=localize(survey.title, lang),
        intro=localize(survey.intro, lang),
        organisation=settings.organisation_name,
        count=len(applicable_questions(survey, {})),
        action=_paths(visit.token)["landing"],
        form_field=browsers.FORM_FIELD,
        form_token=browsers.form_token(settings.secret(), browser, f"i{visit.invitation.id}"),
        telegram_link=await _telegram_link(request, visit.token),
    )
    if visit.browser is None:
        browsers.remember_browser(page, browser, secure=is_https(request, settings))
    return page


@respondent_page
async def start(request: web.Request) -> web.StreamResponse:
    browser = browsers.browser_id(request)
    token = request.match_info["token"]
    if browser is None:
        return problem(request, _lang(request), "cookies_needed", status=400, survey_path=_paths(token)["landing"])
    form = await _form(request)
    if form is None:
        return _tampered(request, token)
    database = database_of(request)
    secret = settings_of(request).secret()
    state = request.app[STATE]
    async with state.lock(browser), write_turn(database), database.sessions.begin() as session:
        visit = await _visit(request, session)
        if (where := _where(visit)) is not None:
            raise web.HTTPSeeOther(where)  # a second click on the button, or a second tab
        if visit.invitation is None:
            return _refused(request, "unknown")
        if not browsers.form_token_ok(secret, browser, f"i{visit.invitation.id}", form.get(browsers.FORM_FIELD)):
            return _tampered(request, token, "form_foreign")
        refused = await answering.refusal(session, visit.invitation, CHANNEL)
        if refused is not None:
            return _refused(request, refused.reason)
        started = await answering.start_response(
            session,
            visit.invitation,
            browser_pseudonym(secret, browser),
            state.versions,
            channel=CHANNEL,
            language=_lang(request),
        )
        if started is None:
            return _refused(request, "used_up")
        _respondent, response = started
        survey = await state.versions.get(session, response.survey_version_id)
        first = next_question(survey, {})
        responses.move_to(response, first.id if first else None)
    raise web.HTTPSeeOther(_paths(token)["question"])


# -- one question per page -------------------------------------------------------------------------


@dataclass
class QuestionPage:
    """What the question page shows besides the question: a notice, an error, what was typed."""

    notice: str | None = None
    error: str | None = None
    error_values: dict[str, int] = field(default_factory=dict)
    typed: str | None = None
    status: int = 200


def _question_page(
    request: web.Request,
    visit: Visit,
    survey: Survey,
    answers: dict[str, AnswerValue],
    question: Question,
    extra: QuestionPage,
) -> web.Response:
    assert visit.response is not None and visit.browser is not None
    lang = _lang(request)
    survey_lang = lang if lang in survey.languages else "da"
    index, total = progress(survey, answers, question)
    given = answers.get(question.id)
    options = [
        {"id": o.id, "label": localize(o.label, survey_lang), "checked": given is not None and given.option == o.id}
        for o in question.options
    ]
    text = extra.typed if extra.typed is not None else (given.text if given is not None and given.text else "")
    return render(
        request,
        "question.html",
        lang,
        status=extra.status,
        survey_title=localize(survey.title, survey_lang),
        question=question,
        question_text=localize(question.text, survey_lang),
        short=localize(question.short, survey_lang) if question.short else localize(question.text, survey_lang),
        options=options,
        text=text,
        index=index,
        total=total,
        can_go_back=previous_question(survey, answers, question.id) is not None,
        notice=extra.notice,
        error=t(lang, extra.error, **extra.error_values) if extra.error else None,
        action=_paths(visit.token)["question"],
        response_id=visit.response.id,
        form_field=browsers.FORM_FIELD,
        form_token=browsers.form_token(settings_of(request).secret(), visit.browser, f"r{visit.response.id}"),
    )


def _current(survey: Survey, answers: dict[str, AnswerValue], response: Response) -> Question | None:
    found = survey.question(response.current_question) if response.current_question else None
    return found or next_question(survey, answers)


@respondent_page
async def show_question(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    async with database_of(request).sessions() as session:
        visit = await _visit(request, session)
        if visit.response is None or visit.response.status != OPEN:
            raise web.HTTPSeeOther(_where(visit) or _paths(visit.token)["landing"])
        survey = await state.versions.get(session, visit.response.survey_version_id)
        answers = await answering.answer_values(session, visit.response.id)
    current = _current(survey, answers, visit.response)
    if current is None:
        raise web.HTTPSeeOther(_paths(visit.token)["thanks"])
    return _question_page(request, visit, survey, answers, current, QuestionPage())


def _same_answer(given: AnswerValue, form: dict[str, str]) -> bool:
    """Whether a re-sent form says what is already stored (a double-click, a reload that re-posts)."""
    if form.get("action", "answer") == "skip":
        return given.option == SKIP_OPTION
    if "option" in form:
        return given.option == form["option"]
    return given.text is not None and "text" in form


@respondent_page
async def answer(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    browser = browsers.browser_id(request)
    if browser is None:
        return problem(request, _lang(request), "cookies_needed", status=400, survey_path=_paths(token)["landing"])
    form = await _form(request)
    if form is None:
        return _tampered(request, token)
    database = database_of(request)
    state = request.app[STATE]
    secret = settings_of(request).secret()
    async with state.lock(browser), write_turn(database), database.sessions.begin() as session:
        visit = await _visit(request, session, lock=True)
        response = visit.response
        if response is None or form.get("response") != str(response.id):
            return _tampered(request, token)
        if not browsers.form_token_ok(secret, browser, f"r{response.id}", form.get(browsers.FORM_FIELD)):
            return _tampered(request, token, "form_foreign")
        if response.status != OPEN:
            raise web.HTTPSeeOther(_where(visit) or _paths(token)["landing"])
        survey = await state.versions.get(session, response.survey_version_id)
        answers = await answering.answer_values(session, response.id)
        question = survey.question(form.get("question", ""))
        action = form.get("action", "answer")
        current = _current(survey, answers, response)
        if question is None or action not in ("answer", "back", "skip") or current is None:
            return _tampered(request, token)
        if question.id != current.id:
            given = answers.get(question.id)
            if given is None:
                return _tampered(request, token)  # a question not yet reached
            if action == "answer" and _same_answer(given, form):
                raise web.HTTPSeeOther(_paths(token)["question"])
            notice = QuestionPage(notice="already_answered", status=409)
            return _question_page(request, visit, survey, answers, current, notice)
        if action == "back":
            earlier = previous_question(survey, answers, question.id)
            if earlier is None:
                return _tampered(request, token)
            responses.move_to(response, earlier.id)
            done = False
        else:
            value = _value(question, form, action)
            if isinstance(value, QuestionPage):
                if value.status == 400 and value.error is None:
                    return _tampered(request, token)
                return _question_page(request, visit, survey, answers, question, value)
            done = await answering.record_answer(session, response, survey, question, value, answers) is None
    # Only after the commit (raising inside the block would roll it back): the next page.
    raise web.HTTPSeeOther(_paths(token)["thanks" if done else "question"])


def _value(question: Question, form: dict[str, str], action: str) -> AnswerValue | QuestionPage:
    """What to store for the posted form, or the page to show instead (an error the person can fix, or
    a bare 400 page for a form no browser would send)."""
    tampered = QuestionPage(status=400)
    if action == "skip":
        try:
            return validate_choice(question, SKIP_OPTION)
        except InvalidAnswer:
            return tampered
    if question.kind == "text":
        typed = form.get("text")
        if typed is None or len(typed.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES or "\x00" in typed:
            return tampered
        try:
            return validate_text(question, typed.replace("\r\n", "\n"))
        except InvalidAnswer as exc:
            if exc.reason == "too_long":
                limits = {"length": exc.length or 0, "max": exc.limit or 0}
                return QuestionPage(error="error_too_long", error_values=limits, typed=typed, status=400)
            return QuestionPage(error="error_empty", typed=typed, status=400)
    option = form.get("option")
    if option is None:
        return QuestionPage(error="error_choose_or_skip" if question.optional else "error_choose", status=400)
    try:
        return validate_choice(question, option)
    except InvalidAnswer:
        return tampered


# -- the end: thanks, and withdrawing ----------------------------------------------------------------


@respondent_page
async def thanks(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    async with database_of(request).sessions() as session:
        visit = await _visit(request, session)
        if visit.response is None or visit.response.status != "completed":
            raise web.HTTPSeeOther(_where(visit) or _paths(visit.token)["landing"])
        survey = await state.versions.get(session, visit.response.survey_version_id)
    lang = _lang(request)
    return render(
        request,
        "thanks.html",
        lang,
        survey_title=localize(survey.title, lang),
        thanks_text=localize(survey.thanks, lang),
        withdrawal_days=settings_of(request).withdrawal_days,
        delete_path=_paths(visit.token)["delete"],
    )


async def _withdrawable(request: web.Request, session: AsyncSession) -> tuple[Visit, int | None]:
    """The visit and this browser's respondent id if it has answers that can still be withdrawn."""
    visit = await _visit(request, session)
    if visit.browser is None:
        return visit, None
    secret = settings_of(request).secret()
    respondent = await responses.find_respondent(session, browser_pseudonym(secret, visit.browser))
    if respondent is None or not await responses.count_linked(session, respondent.id):
        return visit, None
    return visit, respondent.id


@respondent_page
async def confirm_delete(request: web.Request) -> web.StreamResponse:
    async with database_of(request).sessions() as session:
        visit, respondent_id = await _withdrawable(request, session)
    lang = _lang(request)
    settings = settings_of(request)
    if respondent_id is None or visit.browser is None:
        return render(request, "deleted.html", lang, message=t(lang, "delete_nothing", days=settings.withdrawal_days))
    return render(
        request,
        "delete.html",
        lang,
        action=_paths(visit.token)["delete"],
        back=_paths(visit.token)["landing"],
        form_field=browsers.FORM_FIELD,
        form_token=browsers.form_token(settings.secret(), visit.browser, f"d{respondent_id}"),
    )


@respondent_page
async def delete(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    form = await _form(request)
    if form is None:
        return _tampered(request, token)
    database = database_of(request)
    settings = settings_of(request)
    browser = browsers.browser_id(request)
    lang = _lang(request)
    if browser is None:
        return render(request, "deleted.html", lang, message=t(lang, "delete_nothing", days=settings.withdrawal_days))
    async with request.app[STATE].lock(browser), write_turn(database), database.sessions.begin() as session:
        visit, respondent_id = await _withdrawable(request, session)
        if respondent_id is None:
            message = t(lang, "delete_nothing", days=settings.withdrawal_days)
            return render(request, "deleted.html", lang, message=message)
        if not browsers.form_token_ok(settings.secret(), browser, f"d{respondent_id}", form.get(browsers.FORM_FIELD)):
            return _tampered(request, token, "form_foreign")
        window_start = utcnow() - timedelta(days=settings.withdrawal_days)
        count = await responses.delete_for_respondent(session, respondent_id, window_start)
    page = render(request, "deleted.html", lang, message=t(lang, "deleted", count=count))
    browsers.forget_browser(page)
    return page


# -- statements --------------------------------------------------------------------------------------


def _contact(request: web.Request) -> dict[str, str | None]:
    settings = settings_of(request)
    return {
        "organisation": settings.organisation_name,
        "email": settings.contact_email,
        "phone": settings.contact_phone,
    }


@respondent_page
async def privacy(request: web.Request) -> web.StreamResponse:
    settings = settings_of(request)
    return render(
        request,
        "privacy.html",
        _lang(request),
        months=settings.retention_months,
        days=settings.withdrawal_days,
        min_cell=settings.min_cell_size,
        **_contact(request),
    )


@respondent_page
async def accessibility(request: web.Request) -> web.StreamResponse:
    return render(request, "accessibility.html", _lang(request), **_contact(request))
