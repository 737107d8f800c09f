"""Every word the respondent pages show (survey wording aside, which lives in ``surveys/``), and the page language.

The words are the ``pages`` catalogue of ``translations`` (``translations/<code>/LC_MESSAGES/pages.po``): a
language is offered in the browser as soon as it has that file. ``html_attributes`` gives ``lang`` and ``dir``
for ``<html>`` (right-to-left scripts get ``dir="rtl"``).
"""

from __future__ import annotations

from aiohttp import web

from translations import DEFAULT_LANGUAGE, PAGES, accept_language, codes, language, message

LANGUAGES = codes(PAGES)
LANGUAGE_COOKIE = "tilfreds_lang"  # the same choice as on the staff pages
LANGUAGE_NAMES = {code: language(code).name for code in LANGUAGES}


def t(lang: str, key: str, **values: object) -> str:
    """The string ``key`` in ``lang`` (Danish when missing), with ``values`` filled in."""
    return message(PAGES, lang, key, **values)


def page_language(request: web.Request) -> str:
    """``?lang=`` first, then the remembered choice, then the browser's Accept-Language; Danish otherwise."""
    asked = request.query.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    return accept_language(request.headers.get("Accept-Language"), LANGUAGES)


def html_attributes(lang: str) -> dict[str, str]:
    """``lang`` and ``dir`` for a page's ``<html>`` element."""
    return language(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).html
