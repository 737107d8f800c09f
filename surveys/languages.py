"""Which language to answer in, and which way it is written."""

from __future__ import annotations

from collections.abc import Sequence

from .model import DEFAULT_LANGUAGE

# Scripts written right to left among the languages the employment plan's integration goal names
# (Arabic, Dari/Farsi) and their neighbours; channels use this to set text direction.
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "ps", "ur", "he", "ckb"})


def text_direction(lang: str) -> str:
    """``"rtl"`` for right-to-left languages, otherwise ``"ltr"``."""
    return "rtl" if lang.lower().split("-")[0] in RTL_LANGUAGES else "ltr"


def choose_language(available: Sequence[str], requested: str | None) -> str:
    """Pick the survey language for a client language code such as Telegram's ``"en-GB"``.

    An exact match wins, then the base language; otherwise Danish (or the survey's first language).
    """
    if requested:
        requested = requested.lower().replace("_", "-")
        for candidate in (requested, requested.split("-")[0]):
            if candidate in available:
                return candidate
    if DEFAULT_LANGUAGE in available:
        return DEFAULT_LANGUAGE
    return available[0]
