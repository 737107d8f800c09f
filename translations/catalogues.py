"""Read the ``.po`` catalogues and compile them to ``.mo`` in memory when first used.

The catalogues are keyed ("monolingual" gettext, as Weblate calls it): a ``msgid`` is a stable key such as
``button_start``, and ``en`` holds the English text translators work from. Compiling at start, from the files
in the package, means there is one way to get the texts and no compiled file that can go stale; reading eight
small catalogues takes a few milliseconds, once per process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from .registry import DEFAULT_LANGUAGE, po_path


@dataclass(frozen=True)
class Compiled:
    """One language's catalogue of one domain: the compiled texts and which keys exist."""

    translations: Translations
    keys: frozenset[str]  # keys with a text in this language (fuzzy entries do not count)
    plural_keys: frozenset[str]  # keys whose text has plural forms ("1 invitation" / "2 invitations")
    all_keys: frozenset[str]  # every key listed, translated or not


def read_catalogue(domain: str, code: str) -> Catalog:
    """The parsed ``.po`` file (for tools and checks)."""
    with po_path(domain, code).open("rb") as handle:
        return read_po(handle, locale=code, domain=domain)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not message.fuzzy and all(strings)


@cache
def compiled(domain: str, code: str) -> Compiled:
    """The catalogue compiled to ``.mo`` and loaded, falling back to Danish for a missing text."""
    catalog = read_catalogue(domain, code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = Translations(buffer, domain=domain)
    messages = [m for m in catalog if m.id]
    if code != DEFAULT_LANGUAGE:
        translations.add_fallback(compiled(domain, DEFAULT_LANGUAGE).translations)
    return Compiled(
        translations=translations,
        keys=frozenset(_key(m) for m in messages if _translated(m)),
        plural_keys=frozenset(_key(m) for m in messages if m.pluralizable),
        all_keys=frozenset(_key(m) for m in messages),
    )


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


def lookup(domain: str, code: str, key: str, count: int | None) -> str:
    """The raw text for ``key`` (the plural form for ``count`` when the text has plural forms)."""
    catalogue = compiled(domain, code)
    default = compiled(domain, DEFAULT_LANGUAGE)
    if key not in default.keys:
        raise KeyError(f"no text {key!r} in the {domain!r} catalogue")
    if key in default.plural_keys:
        return catalogue.translations.ngettext(key, key, 1 if count is None else count)
    return catalogue.translations.gettext(key)


@dataclass(frozen=True)
class Coverage:
    """How much of a domain one language has: ``missing`` lists ``(key, line in the .po file)``."""

    code: str
    translated: int
    total: int
    missing: tuple[tuple[str, int | None], ...]


def coverage(domain: str, code: str) -> Coverage:
    """Which of the Danish keys ``code`` has a (non-fuzzy) text for, for ``tilfreds surveys check``."""
    danish = compiled(domain, DEFAULT_LANGUAGE).keys
    catalog = read_catalogue(domain, code)
    lines = {_key(m): m.lineno for m in catalog if m.id}
    have = compiled(domain, code).keys
    missing = tuple((key, lines.get(key)) for key in sorted(danish - have))
    return Coverage(code, len(danish) - len(missing), len(danish), missing)
