"""Numbers as Danish (78,2 %; 1.429) or English (78.2%; 1,429) readers expect them."""

from __future__ import annotations

from translations import format_number


def number(value: float | int | None, digits: int = 0, *, lang: str) -> str:
    if value is None:
        return ""
    return format_number(lang, round(value, digits), digits=digits)


def pct(value: float | None, digits: int = 0, *, lang: str) -> str:
    """0.7820 → "78 %" (da) or "78%" (en)."""
    if value is None:
        return ""
    shown = number(value * 100, digits, lang=lang)
    return f"{shown} %" if lang == "da" else f"{shown}%"


def interval(low: float | None, high: float | None, *, lang: str) -> str:
    if low is None or high is None:
        return ""
    return f"{pct(low, lang=lang)}–{pct(high, lang=lang)}"


def points(value: float | None, *, lang: str) -> str:
    """A change in percentage points with its sign: +3,3 / −0,9."""
    if value is None:
        return ""
    text = number(abs(value) * 100, 1, lang=lang)
    return ("+" if value >= 0 else "−") + text
