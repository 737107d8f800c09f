"""The staff pages' words: the ``staff`` catalogue of ``translations`` (``translations/*/LC_MESSAGES/staff.po``).

A new text is a new entry in ``translations/da/LC_MESSAGES/staff.po`` and ``…/en/…`` (or
``python -m translations.tools add staff FILE``; see translations/README.md). The chosen language lives in a
cookie; Danish is the default.
"""

from __future__ import annotations

from aiohttp import web

from translations import DEFAULT_LANGUAGE, STAFF, codes, compiled, language, message

LANGUAGES = codes(STAFF)
LANGUAGE_COOKIE = "tilfreds_lang"
LANGUAGE_NAMES = {code: language(code).name for code in LANGUAGES}


def translate(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (Danish when missing), with ``{name}`` placeholders filled in."""
    return message(STAFF, lang, key, **values)


def has_text(key: str) -> bool:
    """Whether the staff catalogue has a text for ``key`` (for keys built from data, like ``opt_dk``)."""
    return key in compiled(STAFF, DEFAULT_LANGUAGE).keys


def request_language(request: web.Request) -> str:
    lang = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE
