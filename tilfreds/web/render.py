"""Server-rendered pages: one jinja2 environment (autoescape on) and the context every page gets."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tilfreds.web import auth, formatting
from tilfreds.web.i18n import LANGUAGE_NAMES, LANGUAGES, has_text, request_language, translate
from tilfreds.web.keys import settings_of

TEMPLATES_DIR = Path(__file__).parent / "templates"


def template_environment(directory: Path) -> Environment:
    """A jinja2 environment for one template folder: autoescaped, strict about undefined names."""
    return Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(["html"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_environment = template_environment(TEMPLATES_DIR)


def local_time(value: datetime | None, tz: str, with_time: bool = True) -> str:
    """``26.11.2026 14:05`` in the configured time zone (Danish date order); empty for None."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(tz))
    return local.strftime("%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y")


def render(request: web.Request, template: str, *, status: int = 200, **context: Any) -> web.Response:
    settings = settings_of(request)
    lang = request_language(request)
    other = next(code for code in LANGUAGES if code != lang)
    context.setdefault("section", None)
    page = _environment.get_template(template).render(
        lang=lang,
        other_lang=other,
        other_lang_name=LANGUAGE_NAMES[other],
        t=partial(translate, lang),
        staff=auth.identity(request),
        csrf_token=auth.csrf_token(request, settings.secret()),
        csrf_field=auth.CSRF_FIELD,
        path=request.path_qs,
        has_text=has_text,
        organisation=settings.organisation_name,
        has_logo=settings.organisation_logo is not None,
        when=partial(local_time, tz=settings.timezone),
        pct=partial(formatting.pct, lang=lang),
        num=partial(formatting.number, lang=lang),
        interval=partial(formatting.interval, lang=lang),
        points=partial(formatting.points, lang=lang),
        **context,
    )
    response = web.Response(text=page, status=status, content_type="text/html", charset="utf-8")
    return response
