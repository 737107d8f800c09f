"""The bot's words: the ``respondent`` catalogue of ``translations`` as plain Telegram text.

Survey wording lives in the survey definitions; everything else a person reads in the chat is here, by key.
In Arabic and Farsi every number and Latin word is wrapped in a Unicode isolate, so "3/8" or "/privacy"
keeps its place in a right-to-left line (Telegram has no ``dir`` attribute to lean on).
"""

from __future__ import annotations

from translations import (
    DEFAULT_LANGUAGE,
    RESPONDENT,
    choose_language,
    codes,
    direction,
    isolate,
    language,
    message,
)

__all__ = ["DEFAULT_LANGUAGE", "is_rtl", "language_name", "languages", "local", "pick_language", "t"]


def languages() -> list[str]:
    """Codes of every language a respondent can choose, Danish first."""
    return list(codes(RESPONDENT))


def language_name(code: str) -> str:
    """The language's name in itself: "Dansk", "Українська", "العربية"."""
    return language(code).name


def is_rtl(lang: str) -> bool:
    return direction(lang) == "rtl"


def local(lang: str, text: str) -> str:
    """Any text shown in ``lang`` (survey wording too) made safe for its direction."""
    return isolate(direction(lang), text)


def t(lang: str, key: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (falling back to Danish), with ``values`` filled in.

    A text with plural forms takes its form from ``count`` ("1 spørgsmål", "2 питання", "5 питань"); numbers
    are written the language's way ("1.000 tegn").
    """
    text = message(RESPONDENT, lang, key, local_numbers=True, **values)
    return local(lang, text)


def pick_language(language_code: str | None, available: list[str] | tuple[str, ...] | None = None) -> str:
    """The language for Telegram's ``language_code`` ("uk-UA" → "uk"); Danish when we do not have it."""
    return choose_language(language_code, available if available is not None else codes(RESPONDENT))
