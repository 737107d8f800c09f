"""Invitations: the form that creates a batch, the list of batches, and the batch's CSV and QR sheet.

Tokens are shown once: right after the batch is made they are held in memory (``issued.py``) for the
session that made them; the database keeps only their keyed hashes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

from analytics.exports.cells import neutral_row
from bot.links import UsernameUnknown
from db.inviting import InvitationRequest, issue, problems
from db.models import InvitationBatch, utcnow
from db.repo import audit, invitations
from db.writes import write_session
from tilfreds.links import LinkMaker, link_maker
from tilfreds.web import auth
from tilfreds.web.i18n import request_language
from tilfreds.web.issued import IssuedLink, IssuedLinks
from tilfreds.web.keys import database_of, settings_of
from tilfreds.web.middleware import download, page
from tilfreds.web.qr import qr_svg
from tilfreds.web.render import render
from tilfreds.web.surveys_view import segment_text, staff_surveys

ISSUED_KEY = web.AppKey("issued_links", IssuedLinks)
LINKS_KEY = web.AppKey("invitation_links", dict)
MAX_COUNT = 500
MAX_DAYS = 365
DEFAULT_COUNT = 20
DEFAULT_DAYS = 30

# The two lines on every printed invitation: how to answer, and what it costs the person.
SHEET_LINES = (
    "Scan koden med mobilen — så åbner Telegram.",
    "Det tager omkring 2 minutter, og du er anonym.",
)
SHEET_LINES_WEB = (
    "Scan koden med mobilen, og svar i browseren eller i Telegram.",
    "Det tager omkring 2 minutter, og du er anonym.",
)


@dataclass
class InvitationForm:
    survey_key: str
    segments: dict[str, str] = field(default_factory=dict)
    count: str = str(DEFAULT_COUNT)
    expires_days: str = str(DEFAULT_DAYS)
    uses: str = "single"
    errors: dict[str, str] = field(default_factory=dict)


def actor(request: web.Request) -> str:
    who = auth.identity(request)
    return f"web:{who.username}" if who else "web"


def owner(request: web.Request) -> str:
    who = auth.identity(request)
    assert who is not None  # pages behind the gate always have one
    return auth.session_hash(settings_of(request).secret(), who.session_id)


def _whole(text: str, low: int, high: int) -> int | None:
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


async def _links(request: web.Request) -> LinkMaker | None:
    """The links this installation makes (``tilfreds/links.py``), worked out once and remembered."""
    cache = request.config_dict[LINKS_KEY]
    if "maker" not in cache:
        try:
            cache["maker"] = await link_maker(settings_of(request))
        except UsernameUnknown:
            return None
    return cache["maker"]


def batch_status(batch: InvitationBatch, closed: bool, now: datetime) -> str:
    """The message key of a batch's state: closed by staff, expired, or open."""
    if closed:
        return "status_closed"
    if batch.expires_at is not None and batch.expires_at <= now:
        return "status_expired"
    return "status_open"


async def _page(
    request: web.Request,
    form: InvitationForm,
    *,
    status: int = 200,
    error: str | None = None,
    notice: dict[str, Any] | None = None,
) -> web.Response:
    lang = request_language(request)
    surveys = staff_surveys(lang)
    chosen = next((s for s in surveys if s.key == form.survey_key), surveys[0])
    async with database_of(request).sessions() as session:
        batches = await invitations.list_batches(session)
        closed = await invitations.closed_batch_ids(session, [b.batch.id for b in batches])
    by_key = {s.key: s for s in surveys}
    now = utcnow()
    rows = []
    for summary in batches:
        batch = summary.batch
        survey = by_key.get(batch.survey_key)
        status_key = batch_status(batch, batch.id in closed, now)
        rows.append(
            {
                "id": batch.id,
                "created_at": batch.created_at,
                "created_by": batch.created_by,
                "survey": survey.title if survey else batch.survey_key,
                "segments": segment_text(survey, batch.segments, lang) if survey else "",
                "count": batch.count,
                "multi": batch.max_uses is None,
                "used": summary.used,
                "responses": summary.responses,
                "expires_at": batch.expires_at,
                "status": status_key,
            }
        )
    settings = settings_of(request)
    links_impossible = not (settings.public_url or settings.telegram_bot_username or settings.telegram_token)
    return render(
        request,
        "invitations.html",
        status=status,
        section="invitations",
        surveys=surveys,
        survey=chosen,
        form=form,
        batches=rows,
        error=error,
        notice=notice,
        max_count=MAX_COUNT,
        links_impossible=links_impossible,
    )


@page
async def invitations_page(request: web.Request) -> web.StreamResponse:
    surveys = staff_surveys(request_language(request))
    key = request.query.get("survey", surveys[0].key)
    if key not in {s.key for s in surveys}:
        key = surveys[0].key
    notice = None
    if request.query.get("revoked", "").isdigit():
        notice = {"key": "revoked", "id": int(request.query["revoked"])}
    return await _page(request, InvitationForm(survey_key=key), notice=notice)


@page
async def create_batch(request: web.Request) -> web.StreamResponse:
    from surveys import UnknownSurvey, get_survey

    data = await request.post()
    lang = request_language(request)
    surveys = {s.key: s for s in staff_surveys(lang)}
    survey_key = str(data.get("survey", ""))
    if survey_key not in surveys:
        form = InvitationForm(survey_key=next(iter(surveys)))
        form.errors["survey"] = "error_survey"
        return await _page(request, form, status=400, error="form_has_errors")
    form = InvitationForm(
        survey_key=survey_key,
        segments={key: str(data.get(f"segment_{key}", "")) for key in surveys[survey_key].segment_keys},
        count=str(data.get("count", "")),
        expires_days=str(data.get("expires_days", "")),
        uses=str(data.get("uses", "")),
    )
    count = _whole(form.count, 1, MAX_COUNT)
    days = _whole(form.expires_days, 1, MAX_DAYS)
    if count is None:
        form.errors["count"] = "error_count"
    if days is None:
        form.errors["expires_days"] = "error_expires"
    if form.uses not in ("single", "multi"):
        form.errors["uses"] = "error_uses"
    try:
        survey = get_survey(survey_key)
    except UnknownSurvey:
        form.errors["survey"] = "error_survey"
        return await _page(request, form, status=400, error="form_has_errors")
    chosen = {k: v for k, v in form.segments.items() if v}
    invitation = InvitationRequest(
        survey_key=survey.key,
        segments=chosen,
        count=count or 0,
        expires_days=days or 0,
        max_uses=1 if form.uses == "single" else None,
    )
    for problem in problems(invitation):
        if problem.field.startswith("segment:"):
            form.errors["segment_" + problem.field.partition(":")[2]] = "error_segment"
    if form.errors:
        return await _page(request, form, status=400, error="form_has_errors")
    links = await _links(request)
    if links is None:
        return await _page(request, form, status=503, error="error_bot_username")

    settings = settings_of(request)
    async with write_session(database_of(request)) as session:
        batch, issued = await issue(session, settings.secret(), invitation, actor=actor(request), via="web")
    made = [IssuedLink(links(item.token).link, item.expires_at, item.max_uses) for item in issued]
    request.config_dict[ISSUED_KEY].put(batch.id, owner(request), survey.key, chosen, made)
    raise web.HTTPSeeOther(f"/staff/invitations/{batch.id}")


MAX_BATCH_ID = 2**31 - 1  # an INTEGER key


async def _batch(request: web.Request) -> InvitationBatch:
    try:
        batch_id = int(request.match_info["batch_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    if not 0 < batch_id <= MAX_BATCH_ID:  # the database could not even look it up
        raise web.HTTPBadRequest(text=f"Ukendt invitationsnummer / unknown batch number: {batch_id}\n")
    async with database_of(request).sessions() as session:
        batch = await session.get(InvitationBatch, batch_id)
    if batch is None:
        raise web.HTTPNotFound()
    return batch


@page
async def batch_page(request: web.Request) -> web.StreamResponse:
    batch = await _batch(request)
    lang = request_language(request)
    survey = next((s for s in staff_surveys(lang) if s.key == batch.survey_key), None)
    issued = request.config_dict[ISSUED_KEY].get(batch.id, owner(request))
    async with database_of(request).sessions() as session:
        closed = batch.id in await invitations.closed_batch_ids(session, [batch.id])
    return render(
        request,
        "batch.html",
        section="invitations",
        batch=batch,
        issued=issued,
        batch_state=batch_status(batch, closed, utcnow()),
        survey_title=survey.title if survey else batch.survey_key,
        segments=segment_text(survey, batch.segments, lang) if survey else "",
    )


@download
async def batch_csv(request: web.Request) -> web.StreamResponse:
    batch = await _batch(request)
    issued = request.config_dict[ISSUED_KEY].get(batch.id, owner(request))
    if issued is None:
        return web.Response(
            status=410,
            text="These links are no longer available: they are shown only for one "
            "hour after they are created. Create a new batch.\n",
        )
    out = io.StringIO()
    out.write("\ufeff")  # Excel needs the BOM to read UTF-8
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")  # Danish Excel splits on semicolons
    writer.writerow(["link", "survey", "segments", "expires_at", "max_uses"])
    segments = ",".join(f"{k}={v}" for k, v in issued.segments.items())
    for item in issued.links:
        writer.writerow(
            neutral_row(
                [
                    item.link,
                    issued.survey_key,
                    segments,
                    item.expires_at.isoformat() if item.expires_at else "",
                    item.max_uses if item.max_uses is not None else "",
                ]
            )
        )
    async with write_session(database_of(request)) as session:
        await audit.record(
            session,
            actor=actor(request),
            action="download",
            detail={"what": "invitation-links", "batch": batch.id, "format": "csv"},
            rows=len(issued.links),
        )
    return web.Response(
        body=out.getvalue().encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="invitationer-{batch.id}.csv"'},
    )


@page
async def batch_sheet(request: web.Request) -> web.StreamResponse:
    batch = await _batch(request)
    issued = request.config_dict[ISSUED_KEY].get(batch.id, owner(request))
    if issued is None:
        raise web.HTTPSeeOther(f"/staff/invitations/{batch.id}")
    survey = next((s for s in staff_surveys("da") if s.key == batch.survey_key), None)
    on_web = bool(settings_of(request).public_url)
    label = "QR-kode: åbner spørgeskemaet" if on_web else "QR-kode: åbner spørgeskemaet i Telegram"
    cards = [
        {
            "svg": qr_svg(item.link, label),
            "link": item.link,
            "expires_at": item.expires_at,
        }
        for item in issued.links
    ]
    async with write_session(database_of(request)) as session:
        await audit.record(
            session,
            actor=actor(request),
            action="download",
            detail={"what": "invitation-sheet", "batch": batch.id, "format": "html"},
            rows=len(cards),
        )
    return render(
        request,
        "sheet.html",
        batch=batch,
        cards=cards,
        lines=SHEET_LINES_WEB if on_web else SHEET_LINES,
        survey_title=survey.respondent_title if survey else "",
    )


@page
async def revoke(request: web.Request) -> web.StreamResponse:
    batch = await _batch(request)
    async with write_session(database_of(request)) as session:
        closed = await invitations.revoke_batch(session, batch.id)
        await audit.record(
            session,
            actor=actor(request),
            action="revoke",
            detail={"batch": batch.id, "survey": batch.survey_key},
            rows=closed,
        )
    raise web.HTTPSeeOther(f"/staff/invitations?revoked={batch.id}")


def add_routes(app: web.Application) -> None:
    app[ISSUED_KEY] = IssuedLinks()
    app[LINKS_KEY] = {}
    app.router.add_get("/invitations", invitations_page)
    app.router.add_post("/invitations", create_batch)
    app.router.add_get(r"/invitations/{batch_id:\d+}", batch_page)
    app.router.add_get(r"/invitations/{batch_id:\d+}/links.csv", batch_csv)
    app.router.add_get(r"/invitations/{batch_id:\d+}/sheet", batch_sheet)
    app.router.add_post(r"/invitations/{batch_id:\d+}/revoke", revoke)
