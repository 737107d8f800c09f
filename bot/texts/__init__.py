"""UI strings, one YAML file per language (Danish first). Survey wording lives in ``surveys/``.

A language is added by adding ``<code>.yaml`` with every key of ``da.yaml``; ``direction: rtl``
marks right-to-left scripts (Arabic, Dari/Farsi), whose messages are wrapped in Unicode
isolates so numbers and commands keep their order.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_LANGUAGE = "da"
_DIR = Path(__file__).parent
_RLI, _PDI = "\u2067", "\u2069"  # right-to-left isolate … pop directional isolate


@cache
def catalogue(language: str) -> dict[str, str]:
    path = _DIR / f"{language}.yaml"
    if not path.exists():
        return {}
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): str(v) for k, v in data.items()}


@cache
def _languages() -> tuple[str, ...]:
    codes = sorted(p.stem for p in _DIR.glob("*.yaml"))
    return tuple(sorted(codes, key=lambda c: c != DEFAULT_LANGUAGE))


def languages() -> list[str]:
    """Codes of every UI language, Danish first."""
    return list(_languages())


def is_rtl(language: str) -> bool:
    return catalogue(language).get("direction") == "rtl"


def t(language: str, key: str, **values: object) -> str:
    """The string ``key`` in ``language`` (falling back to Danish), with ``values`` filled in."""
    text = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    if values:
        text = text.format(**values)
    return f"{_RLI}{text}{_PDI}" if is_rtl(language) else text


def pick_language(language_code: str | None, available: list[str] | None = None) -> str:
    """The UI language for Telegram's ``language_code`` ("en-GB" → "en"); Danish when unknown."""
    available = available or languages()
    if language_code:
        base = language_code.split("-")[0].lower()
        if base in available:
            return base
    return DEFAULT_LANGUAGE
