"""The end of a survey and the pages around it: thanks, "slet mine svar" (asked first), the privacy page and
the accessibility statement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from db.keys import browser_pseudonym
from db.models import utcnow
from db.repo import callbacks, responses
from surveys import (
    localize,
)
from surveys.contact import InvalidContact
from surveys.model import with_organisation
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.respond import browser as browsers
from tilfreds.web.respond.pages import render
from tilfreds.web.respond.texts import t
from tilfreds.web.respond.visits import (
    STATE,
    Visit,
    find_visit,
    next_page_of,
    page_lang,
    paths_of,
    posted,
    respondent_page,
    tampered_page,
    writing,
)

# "Ring mig op" is offered on the thank-you page; later than this after finishing it is refused (as in Telegram).
CALLBACK_AFTER = timedelta(hours=24)


def local_date(moment: Any, tz: str) -> Any:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(tz)).date()


# -- the end: thanks, and withdrawing ----------------------------------------------------------------


@respondent_page
async def thanks(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    async with database_of(request).sessions() as session:
        visit = await find_visit(request, session)
        if visit.response is None or visit.response.status != "completed":
            raise web.HTTPSeeOther(next_page_of(visit) or paths_of(visit.token)["landing"])
        survey = await state.versions.get(session, visit.response.survey_version_id)
    return _thanks_page(request, visit, survey)


def _thanks_page(
    request: web.Request, visit: Visit, survey: Any, *, status: int = 200, **callback: Any
) -> web.Response:
    """The thank-you page, with the "Ring mig op" offer (``callback``: ``callback_error`` or ``callback_saved``)."""
    lang = page_lang(request)
    settings = settings_of(request)
    assert visit.response is not None
    offer: dict[str, Any] = {"callback_path": None, "callback_days": settings.callback_max_days}
    if visit.browser is not None:
        offer = {
            "callback_path": paths_of(visit.token)["thanks"] + "/ring",
            "form_field": browsers.FORM_FIELD,
            "callback_token": browsers.form_token(settings.secret(), visit.browser, f"cb{visit.response.id}"),
            "callback_days": settings.callback_max_days,
        }
    return render(
        request,
        "thanks.html",
        lang,
        status=status,
        survey_title=localize(survey.title, lang),
        thanks_text=with_organisation(localize(survey.thanks, lang), settings.organisation_name),
        withdrawal_days=settings.withdrawal_days,
        delete_path=paths_of(visit.token)["delete"],
        **offer,
        **{"callback_saved": False, "callback_error": None, **callback},
    )


@respondent_page
async def callback_request(request: web.Request) -> web.StreamResponse:
    """ "Ring mig op" from the thank-you page: the typed number or e-mail, stored apart from the answers by the
    same use case as the bot's (``db.repo.callbacks.request_callback``); never logged, never echoed back."""
    token = request.match_info["token"]
    settings = settings_of(request)
    checked = await posted(request)
    if isinstance(checked, web.Response):
        return checked
    browser, form = checked
    state = request.app[STATE]
    async with writing(request, browser) as session:
        visit = await find_visit(request, session)
        response = visit.response
        if response is None or response.status != "completed":
            raise web.HTTPSeeOther(next_page_of(visit) or paths_of(token)["landing"])
        if not browsers.form_token_ok(settings.secret(), browser, f"cb{response.id}", form.get(browsers.FORM_FIELD)):
            return tampered_page(request, token, "form_foreign")
        survey = await state.versions.get(session, response.survey_version_id)
        if utcnow() - (response.completed_at or utcnow()) > CALLBACK_AFTER:
            return _thanks_page(request, visit, survey, status=400, callback_error="callback_too_late")
        try:
            await callbacks.request_callback(
                session,
                survey_key=response.survey_key,
                segments=response.segments,
                contact_text=form.get("contact", ""),
                today=local_date(utcnow(), settings.timezone),
            )
        except InvalidContact as exc:
            return _thanks_page(request, visit, survey, status=400, callback_error=f"callback_invalid_{exc.reason}")
    return _thanks_page(request, visit, survey, callback_saved=True)


async def _withdrawable(request: web.Request, session: AsyncSession) -> tuple[Visit, int | None]:
    """The visit and this browser's respondent id if it has answers that can still be withdrawn."""
    visit = await find_visit(request, session)
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
    lang = page_lang(request)
    settings = settings_of(request)
    if respondent_id is None or visit.browser is None:
        return render(request, "deleted.html", lang, message=t(lang, "delete_nothing", days=settings.withdrawal_days))
    return render(
        request,
        "delete.html",
        lang,
        action=paths_of(visit.token)["delete"],
        back=paths_of(visit.token)["landing"],
        form_field=browsers.FORM_FIELD,
        form_token=browsers.form_token(settings.secret(), visit.browser, f"d{respondent_id}"),
    )


@respondent_page
async def delete(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    settings = settings_of(request)
    lang = page_lang(request)
    checked = await posted(request)
    if isinstance(checked, web.Response):
        if browsers.browser_id(request) is None:  # no cookie: nothing of this browser's to delete
            return render(
                request, "deleted.html", lang, message=t(lang, "delete_nothing", days=settings.withdrawal_days)
            )
        return checked
    browser, form = checked
    async with writing(request, browser) as session:
        visit, respondent_id = await _withdrawable(request, session)
        if respondent_id is None:
            message = t(lang, "delete_nothing", days=settings.withdrawal_days)
            return render(request, "deleted.html", lang, message=message)
        if not browsers.form_token_ok(settings.secret(), browser, f"d{respondent_id}", form.get(browsers.FORM_FIELD)):
            return tampered_page(request, token, "form_foreign")
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
        page_lang(request),
        months=settings.retention_months,
        days=settings.withdrawal_days,
        min_cell=settings.min_cell_size,
        callback_handled_days=settings.callback_handled_days,
        callback_max_days=settings.callback_max_days,
        **_contact(request),
    )


@respondent_page
async def accessibility(request: web.Request) -> web.StreamResponse:
    return render(request, "accessibility.html", page_lang(request), **_contact(request))
