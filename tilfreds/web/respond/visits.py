"""What every respondent page shares: the process's state, the wrapper around each route (rate limit, language,
headers), and working out which invitation, browser and response a request is about."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from db import answering
from db.keys import browser_pseudonym
from db.models import Invitation, Response
from db.repo import invitations, responses
from db.writes import write_turn
from tilfreds.web.auth import client_address, is_https
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.respond import browser as browsers
from tilfreds.web.respond.pages import problem, secure
from tilfreds.web.respond.ratelimit import RateLimit
from tilfreds.web.respond.texts import LANGUAGE_COOKIE, LANGUAGES, page_language

CHANNEL = "web"
OPEN = responses.OPEN


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
                finish_page(request, exc, lang)
                raise
        finish_page(request, response, lang)
        return response

    return wrapped


def finish_page(request: web.Request, response: web.StreamResponse, lang: str) -> None:
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


def page_lang(request: web.Request) -> str:
    return request[LANG_KEY]


def paths_of(token: str) -> dict[str, str]:
    base = f"/s/{token}"
    return {"landing": base, "question": f"{base}/q", "thanks": f"{base}/tak", "delete": f"{base}/slet"}


async def read_form(request: web.Request) -> dict[str, str] | None:
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


async def find_visit(request: web.Request, session: AsyncSession, *, lock: bool = False) -> Visit:
    """The invitation, this browser and its response, in one statement. With ``lock`` (a post that changes
    the response) the response is locked for the transaction, and a visit without one finds no invitation
    either."""
    token = request.match_info["token"]
    secret = settings_of(request).secret()
    browser = browsers.browser_id(request)
    if browser is None:
        return Visit(token, await invitations.find_invitation(session, secret, token), None, None)
    pseudonym = browser_pseudonym(secret, browser)
    invitation, response = await invitations.find_with_response(session, secret, token, pseudonym, lock=lock)
    return Visit(token, invitation, browser, response)


def next_page_of(visit: Visit) -> str | None:
    """Where this browser's own response sends it: its current question, or the thank-you."""
    if visit.response is None:
        return None
    paths = paths_of(visit.token)
    if visit.response.status == OPEN:
        return paths["question"]
    if visit.response.status == "completed":
        return paths["thanks"]
    return None


def refusal_page(request: web.Request, reason: str) -> web.Response:
    return problem(request, page_lang(request), f"token_{reason}", status=404 if reason == "unknown" else 410)


def tampered_page(request: web.Request, token: str, key: str = "form_tampered") -> web.Response:
    return problem(
        request,
        page_lang(request),
        key,
        status=400,
        title_key="form_problem_title",
        survey_path=paths_of(token)["question"],
    )


async def posted(request: web.Request) -> tuple[str, dict[str, str]] | web.Response:
    """This browser's id and the posted form, or the kind page when either is missing (no cookie, not a form)."""
    token = request.match_info["token"]
    browser = browsers.browser_id(request)
    if browser is None:
        landing = paths_of(token)["landing"]
        return problem(request, page_lang(request), "cookies_needed", status=400, survey_path=landing)
    form = await read_form(request)
    if form is None:
        return tampered_page(request, token)
    return browser, form


@contextlib.asynccontextmanager
async def writing(request: web.Request, browser: str) -> AsyncIterator[AsyncSession]:
    """A transaction to change this browser's answers in: one request per browser at a time, and on SQLite
    one writer of this process at a time (``write_turn``); committed when the block ends without an error."""
    database = database_of(request)
    async with request.app[STATE].lock(browser), write_turn(database), database.sessions.begin() as session:
        yield session
