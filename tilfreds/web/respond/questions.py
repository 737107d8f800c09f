"""The welcome, starting a response, and one question per page: parse the form, call the engine and
``db/answering.py``, render.

Nothing is kept in memory between requests: the response's current question in the database is the
state, as in Telegram. Every answer is committed before the browser is redirected to the next page
(post/redirect/get), so a reload never posts twice and a crash loses nothing that was acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from bot.links import UsernameUnknown, bot_username, deep_link
from db import answering
from db.keys import browser_pseudonym
from db.models import Response
from db.repo import responses
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
from tilfreds.web.auth import is_https
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.respond import browser as browsers
from tilfreds.web.respond.pages import render
from tilfreds.web.respond.texts import t
from tilfreds.web.respond.visits import (
    CHANNEL,
    OPEN,
    STATE,
    Visit,
    find_visit,
    next_page_of,
    page_lang,
    paths_of,
    posted,
    refusal_page,
    respondent_page,
    tampered_page,
    writing,
)

MAX_TEXT_BYTES = 20_000  # far beyond any survey's limit: more is not a person typing


async def _telegram_link(request: web.Request, token: str) -> str | None:
    """The same invitation as a Telegram deep link, when the Telegram channel is on."""
    from tilfreds.web.keys import TELEGRAM_KEY

    if request.config_dict[TELEGRAM_KEY] == "off":
        return None
    cache = request.app[STATE].telegram
    if "username" not in cache:
        settings = settings_of(request)
        try:
            cache["username"] = await bot_username(
                settings.telegram_bot_username, settings.bot_token() or None, settings.telegram_api_url
            )
        except UsernameUnknown:
            cache["username"] = None
    username = cache["username"]
    return deep_link(username, token) if username else None


# -- the landing page (the welcome) and starting -----------------------------------------------------


@respondent_page
async def landing(request: web.Request) -> web.StreamResponse:
    async with database_of(request).sessions() as session:
        visit = await find_visit(request, session)
        if (target := next_page_of(visit)) is not None:
            raise web.HTTPSeeOther(target)
        refused = await answering.refusal(session, visit.invitation, CHANNEL)
    if refused is not None or visit.invitation is None:
        return refusal_page(request, refused.reason if refused else "unknown")
    settings = settings_of(request)
    lang = page_lang(request)
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
        action=paths_of(visit.token)["landing"],
        form_field=browsers.FORM_FIELD,
        form_token=browsers.form_token(settings.secret(), browser, f"i{visit.invitation.id}"),
        telegram_link=await _telegram_link(request, visit.token),
    )
    if visit.browser is None:
        browsers.remember_browser(page, browser, secure=is_https(request, settings))
    return page


@respondent_page
async def start(request: web.Request) -> web.StreamResponse:
    checked = await posted(request)
    if isinstance(checked, web.Response):
        return checked
    browser, form = checked
    token = request.match_info["token"]
    secret = settings_of(request).secret()
    state = request.app[STATE]
    async with writing(request, browser) as session:
        visit = await find_visit(request, session)
        if (target := next_page_of(visit)) is not None:
            raise web.HTTPSeeOther(target)  # a second click on the button, or a second tab
        if visit.invitation is None:
            return refusal_page(request, "unknown")
        if not browsers.form_token_ok(secret, browser, f"i{visit.invitation.id}", form.get(browsers.FORM_FIELD)):
            return tampered_page(request, token, "form_foreign")
        refused = await answering.refusal(session, visit.invitation, CHANNEL)
        if refused is not None:
            return refusal_page(request, refused.reason)
        started = await answering.start_response(
            session,
            visit.invitation,
            browser_pseudonym(secret, browser),
            state.versions,
            channel=CHANNEL,
            language=page_lang(request),
        )
        if started is None:
            return refusal_page(request, "used_up")
        _respondent, response = started
        survey = await state.versions.get(session, response.survey_version_id)
        first = next_question(survey, {})
        responses.move_to(response, first.id if first else None)
    raise web.HTTPSeeOther(paths_of(token)["question"])


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
    lang = page_lang(request)
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
        # Short labels are written for staff (Danish and English): in other languages the title uses the question.
        short=question.short.get(survey_lang) or localize(question.text, survey_lang),
        options=options,
        text=text,
        index=index,
        total=total,
        can_go_back=previous_question(survey, answers, question.id) is not None,
        notice=extra.notice,
        error=t(lang, extra.error, **extra.error_values) if extra.error else None,
        action=paths_of(visit.token)["question"],
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
        visit = await find_visit(request, session)
        if visit.response is None or visit.response.status != OPEN:
            raise web.HTTPSeeOther(next_page_of(visit) or paths_of(visit.token)["landing"])
        survey = await state.versions.get(session, visit.response.survey_version_id)
        answers = await answering.answer_values(session, visit.response.id)
    current = _current(survey, answers, visit.response)
    if current is None:
        raise web.HTTPSeeOther(paths_of(visit.token)["thanks"])
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
    checked = await posted(request)
    if isinstance(checked, web.Response):
        return checked
    browser, form = checked
    token = request.match_info["token"]
    state = request.app[STATE]
    secret = settings_of(request).secret()
    async with writing(request, browser) as session:
        visit = await find_visit(request, session, lock=True)
        response = visit.response
        if response is None or form.get("response") != str(response.id):
            return tampered_page(request, token)
        if not browsers.form_token_ok(secret, browser, f"r{response.id}", form.get(browsers.FORM_FIELD)):
            return tampered_page(request, token, "form_foreign")
        if response.status != OPEN:
            raise web.HTTPSeeOther(next_page_of(visit) or paths_of(token)["landing"])
        survey = await state.versions.get(session, response.survey_version_id)
        lang = page_lang(request)
        if lang in survey.languages and response.language != lang:  # answering in the language now shown
            response.language = lang  # (staff see it); set only when it changes: a no-op write still flushes
        answers = await answering.answer_values(session, response.id)
        question = survey.question(form.get("question", ""))
        action = form.get("action", "answer")
        current = _current(survey, answers, response)
        if question is None or action not in ("answer", "back", "skip") or current is None:
            return tampered_page(request, token)
        if question.id != current.id:
            given = answers.get(question.id)
            if given is None:
                return tampered_page(request, token)  # a question not yet reached
            if action == "answer" and _same_answer(given, form):
                raise web.HTTPSeeOther(paths_of(token)["question"])
            notice = QuestionPage(notice="already_answered", status=409)
            return _question_page(request, visit, survey, answers, current, notice)
        if action == "back":
            earlier = previous_question(survey, answers, question.id)
            if earlier is None:
                return tampered_page(request, token)
            responses.move_to(response, earlier.id)
            done = False
        else:
            value = _value(question, form, action)
            if isinstance(value, QuestionPage):
                if value.status == 400 and value.error is None:
                    return tampered_page(request, token)
                return _question_page(request, visit, survey, answers, question, value)
            done = await answering.record_answer(session, response, survey, question, value, answers) is None
    # Only after the commit (raising inside the block would roll it back): the next page.
    raise web.HTTPSeeOther(paths_of(token)["thanks" if done else "question"])


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
