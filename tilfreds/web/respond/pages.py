"""Rendering the respondent pages: their own jinja2 environment (autoescaped), the catalogue and ``<html>``'s
``lang``/``dir``, the security headers of the staff pages, and the kind page every refusal uses."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web

from tilfreds.web.middleware import SECURITY_HEADERS
from tilfreds.web.render import template_environment
from tilfreds.web.respond.texts import LANGUAGE_NAMES, html_attributes, t

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

_environment = template_environment(TEMPLATES_DIR)


def render(request: web.Request, template: str, lang: str, *, status: int = 200, **context: Any) -> web.Response:
    """A page in ``lang``: every template gets ``t``, ``html`` (lang and dir) and a link to every language,
    each named in its own script, the current one marked."""
    page = _environment.get_template(template).render(
        lang=lang,
        html=html_attributes(lang),
        t=partial(t, lang),
        languages=LANGUAGE_NAMES,
        path=request.path,
        **context,
    )
    return web.Response(text=page, status=status, content_type="text/html", charset="utf-8")


def problem(
    request: web.Request,
    lang: str,
    message_key: str,
    *,
    status: int,
    title_key: str = "problem_title",
    survey_path: str | None = None,
    **values: Any,
) -> web.Response:
    """The kind page for anything refused: what happened and what to do, never a stack trace."""
    return render(
        request,
        "problem.html",
        lang,
        status=status,
        title_key=title_key,
        message=t(lang, message_key, **values),
        survey_path=survey_path,
    )


def secure(response: web.StreamResponse) -> None:
    """The staff pages' security headers, and no caching: a page may hold a person's answer."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "no-store")
