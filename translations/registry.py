"""Which languages exist, what each is called in itself, which way it is written and who checked it.

A language exists when its folder ``<code>/`` holds ``LC_MESSAGES/respondent.po``: adding a language is adding
files. Its own name and direction come from the Unicode CLDR data that Babel ships (``ar`` → "العربية",
right to left); ``<code>/language.yaml`` says whether a native speaker has reviewed it, and may override the
name or direction for a language CLDR does not know.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

ROOT = Path(__file__).resolve().parent
DEFAULT_LANGUAGE = "da"  # the fallback for a missing text, and for people whose language we do not have
SOURCE_LANGUAGE = "en"  # the text translators translate from (shown beside every key)
RESPONDENT = "respondent"  # what citizens and companies see, in every channel
STAFF = "staff"  # the staff pages
PAGES = "pages"  # the answering pages in the browser (/s/), around the survey wording
DOMAINS = (RESPONDENT, STAFF, PAGES)
REVIEWED = "reviewed"
DRAFT = "draft"


@dataclass(frozen=True)
class Language:
    """One language: ``name`` in its own script, ``direction`` "ltr"/"rtl", ``review`` "reviewed" or "draft"."""

    code: str
    name: str
    direction: str
    review: str
    review_note: str = ""

    @property
    def is_draft(self) -> bool:
        return self.review != REVIEWED

    @property
    def html(self) -> dict[str, str]:
        """The ``lang`` and ``dir`` attributes for a page or element in this language."""
        return {"lang": self.code, "dir": self.direction}


def po_path(domain: str, code: str) -> Path:
    return ROOT / code / "LC_MESSAGES" / f"{domain}.po"


@cache
def _codes(domain: str) -> tuple[str, ...]:
    found = sorted(path.parents[1].name for path in ROOT.glob(f"*/LC_MESSAGES/{domain}.po"))
    # Danish first, English second, then the rest by code: the order of every language list.
    return tuple(sorted(found, key=lambda c: (c != DEFAULT_LANGUAGE, c != SOURCE_LANGUAGE, c)))


def codes(domain: str = RESPONDENT) -> tuple[str, ...]:
    """The codes of the languages that have a catalogue for ``domain``, Danish first."""
    return _codes(domain)


@cache
def language(code: str) -> Language:
    """What we know about the language ``code``. Raises LookupError for a language without files."""
    if not any(code in _codes(domain) for domain in DOMAINS):
        raise LookupError(f"no language {code!r}; languages: {', '.join(_codes(RESPONDENT))}")
    info_path = ROOT / code / "language.yaml"
    info = yaml.safe_load(info_path.read_text(encoding="utf-8")) if info_path.exists() else None
    info = info or {}
    try:
        locale = Locale.parse(code)
        name, direction = locale.get_display_name(code) or code, locale.character_order
    except (UnknownLocaleError, ValueError):
        name, direction = code, "left-to-right"
    name = str(info.get("name") or name[:1].upper() + name[1:])
    direction = str(info.get("direction") or ("rtl" if direction == "right-to-left" else "ltr"))
    return Language(
        code=code,
        name=name,
        direction=direction,
        review=str(info.get("review", DRAFT)),
        review_note=str(info.get("note", "")).strip(),
    )


def name_for_reader(code: str, reader: str) -> str:
    """The language's name for a reader of ``reader``, with its own name beside it: "Arabisk (العربية)"."""
    own = language(code).name if code in _codes(RESPONDENT) else code
    try:
        local = Locale.parse(code).get_display_name(reader) or own
    except (UnknownLocaleError, ValueError):
        local = own
    local = local[:1].upper() + local[1:]
    return local if local == own else f"{local} ({own})"


def languages(domain: str = RESPONDENT) -> tuple[Language, ...]:
    """Every language of ``domain``, Danish first: the list a language switch shows."""
    return tuple(language(code) for code in _codes(domain))


def direction(code: str) -> str:
    """``"rtl"`` for a language written right to left (Arabic, Farsi), otherwise ``"ltr"``."""
    try:
        return language(base(code)).direction
    except LookupError:
        return "ltr"


def base(code: str) -> str:
    """``"en-GB"``/``"en_GB"`` → ``"en"``."""
    return code.lower().replace("_", "-").split("-")[0]


def choose_language(requested: str | None, available: tuple[str, ...] | list[str] | None = None) -> str:
    """The language for a client's code (Telegram's ``language_code``, a browser's first choice).

    An exact match wins, then the base language (``"uk-UA"`` → ``"uk"``); otherwise Danish, or the first
    available language when Danish is not among them.
    """
    available = tuple(available) if available is not None else codes()
    if requested:
        wanted = requested.lower().replace("_", "-")
        for candidate in (wanted, base(wanted)):
            if candidate in available:
                return candidate
    return DEFAULT_LANGUAGE if DEFAULT_LANGUAGE in available or not available else available[0]


def accept_language(header: str | None, available: tuple[str, ...] | list[str] | None = None) -> str:
    """The best language for an HTTP ``Accept-Language`` header (``"uk-UA,uk;q=0.9,en;q=0.5"``)."""
    available = tuple(available) if available is not None else codes()
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            choices.append((-quality, index, tag))
    for _, _, tag in sorted(choices):
        for candidate in (tag.lower(), base(tag)):
            if candidate in available:
                return candidate
    return choose_language(None, available)
