"""Every interface text of tilfreds, in gettext catalogues (``.po``) handled with Babel.

Two domains: ``respondent`` (what citizens and companies read, in the bot and the answering pages; every
language) and ``staff`` (the staff pages). ``message(domain, lang, key, **values)`` is the one way to get a
text; the channels wrap it in their own short helper (``bot.texts.t``, ``tilfreds.web.i18n.translate``).

Rules a text follows:
- ``{name}`` placeholders are filled from ``values``; numbers and dates are written the local way.
- A text with plural forms picks its form from the ``count`` value ("1 invitation", "2 invitationer").
- Right-to-left: ``direction(lang)`` gives the page direction; plain-text channels (Telegram) wrap numbers and
  Latin words in Unicode isolates with ``isolate`` (see ``bidi``).

This package imports nothing else of tilfreds, so the bot, the web pages and the CLI can all use it.
See ``translations/README.md`` for translators.
"""

from __future__ import annotations

from datetime import date, datetime
from numbers import Number

from babel.dates import format_date as _format_date
from babel.numbers import format_decimal

from .bidi import isolate, strip_marks
from .catalogues import Coverage, compiled, coverage, lookup
from .registry import (
    DEFAULT_LANGUAGE,
    DOMAINS,
    RESPONDENT,
    SOURCE_LANGUAGE,
    STAFF,
    Language,
    accept_language,
    choose_language,
    codes,
    direction,
    language,
    languages,
    name_for_reader,
)

__all__ = [
    "Coverage",
    "coverage",
    "DEFAULT_LANGUAGE",
    "DOMAINS",
    "RESPONDENT",
    "SOURCE_LANGUAGE",
    "STAFF",
    "Language",
    "accept_language",
    "choose_language",
    "codes",
    "compiled",
    "direction",
    "format_date",
    "format_number",
    "isolate",
    "language",
    "languages",
    "message",
    "name_for_reader",
    "strip_marks",
]


def format_number(lang: str, number: Number, digits: int | None = None) -> str:
    """``1234.5`` as the language writes it ("1.234,5" in Danish); ``digits`` fixes the decimals.

    Digits stay 0–9 in every language, like the numbers on the answer buttons, so a number reads the same in
    a message and on a button."""
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(number, format=pattern, locale=_locale(lang), numbering_system="latn")


def format_date(lang: str, day: date | datetime, form: str = "long") -> str:
    """A date as the language writes it ("2. marts 2026", "2 March 2026")."""
    return _format_date(day, format=form, locale=_locale(lang))


def _locale(lang: str) -> str:
    return lang if lang in codes() or lang in codes(STAFF) else DEFAULT_LANGUAGE


def _shown(lang: str, value: object) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return format_number(lang, value)
    if isinstance(value, datetime | date):
        return format_date(lang, value)
    return value


def message(domain: str, lang: str, key: str, **values: object) -> str:
    """The text ``key`` of ``domain`` in ``lang`` (Danish when it lacks one), with ``values`` filled in.

    Raises KeyError for a key the Danish catalogue does not have: a typo must not reach a person.
    """
    if lang not in codes(domain):
        lang = DEFAULT_LANGUAGE
    count = values.get("count")
    text = lookup(domain, lang, key, count if isinstance(count, int) else None)
    if values:
        text = text.format(**{name: _shown(lang, value) for name, value in values.items()})
    return text
