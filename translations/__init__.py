"""Every interface text of tilfreds, in gettext catalogues (``.po``) handled with Babel.

Two domains: ``respondent`` (what citizens and companies read, in the bot and the answering pages; every
language) and ``staff`` (the staff pages). ``message(domain, lang, key, **values)`` is the one way to get a
text; the channels wrap it in their own short helper (``bot.texts.t``, ``tilfreds.web.i18n.translate``).

Rules a text follows:
- ``{name}`` placeholders are filled from ``values``; with ``local_numbers=True`` numbers and dates are written
  the local way (the bot does so for every respondent text; staff templates format theirs with ``num``, since
  an id or a year must not become "1.234").
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
    PAGES,
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
    "PAGES",
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
    "local_values",
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


def local_values(lang: str, values: dict[str, object]) -> dict[str, object]:
    """``values`` with numbers and dates written the way ``lang`` writes them (for texts whose numbers are all
    quantities, like the respondent texts; an id or a year must not become "1.234")."""
    shown: dict[str, object] = {}
    for name, value in values.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = format_number(lang, value)
        elif isinstance(value, datetime | date):
            value = format_date(lang, value)
        shown[name] = value
    return shown


def message(domain: str, lang: str, key: str, *, local_numbers: bool = False, **values: object) -> str:
    """The text ``key`` of ``domain`` in ``lang`` (Danish when it lacks one), with ``values`` filled in.

    A text with plural forms picks its form from an int ``count``. With ``local_numbers`` numbers and dates
    are written the language's way (see ``local_values``); otherwise values are shown as given. Raises
    KeyError for a key the Danish catalogue does not have: a typo must not reach a person.
    """
    if lang not in codes(domain):
        lang = DEFAULT_LANGUAGE
    count = values.get("count")
    text = lookup(domain, lang, key, count if isinstance(count, int) and not isinstance(count, bool) else None)
    if not values:
        return text
    return text.format(**(local_values(lang, values) if local_numbers else values))
