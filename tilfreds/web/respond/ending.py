"""The end of a survey and the pages around it: thanks, "slet mine svar" (asked first), the privacy page and
the accessibility statement."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from db.keys import browser_pseudonym
from db.models import utcnow
from db.repo import responses
from surveys import (
    localize,
)
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

# -- the end: thanks, and withdrawing ----------------------------------------------------------------


@respondent_page
async def thanks(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    async with database_of(request).sessions() as session:
        visit = await find_visit(request, session)
        if visit.response is None or visit.response.status != "completed":
            raise web.HTTPSeeOther(next_page_of(visit) or paths_of(visit.token)["landing"])
        survey = await state.versions.get(session, visit.response.survey_version_id)
    lang = page_lang(request)
    return render(
        request,
        "thanks.html",
        lang,
        survey_title=localize(survey.title, lang),
        thanks_text=localize(survey.thanks, lang),
        withdrawal_days=settings_of(request).withdrawal_days,
        delete_path=paths_of(visit.token)["delete"],
    )


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
        **_contact(request),
    )


@respondent_page
async def accessibility(request: web.Request) -> web.StreamResponse:
    return render(request, "accessibility.html", page_lang(request), **_contact(request))
