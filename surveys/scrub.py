"""Remove personal data from free text before it is stored (docs/privacy.md).

CPR numbers, e-mail addresses and phone numbers become ``[CPR]``, ``[EMAIL]`` and ``[TELEFON]``.
The rules lean towards scrubbing: a number that looks like a CPR number is treated as one (no modulus-11
check, which many valid CPR numbers fail since 2007), and any 8-digit number written the way Danish phone
numbers are written is treated as a phone number. Years ("2026"), amounts ("1.500 kr") and times
("10.30-11.45") stay.

A scrubbed text can be slightly longer than the original (8 digits become the 9 characters of
``[TELEFON]``), at most by a ninth.
"""

from __future__ import annotations

import re
import unicodedata

CPR_PLACEHOLDER = "[CPR]"
EMAIL_PLACEHOLDER = "[EMAIL]"
PHONE_PLACEHOLDER = "[TELEFON]"

# Invisible characters someone could put inside a number to slip it past the patterns.
_INVISIBLE = "\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f"
# Joiners are real parts of words in Persian (ZWNJ) and of emoji (ZWJ); they are only removed next to
# ASCII characters or digits, where they never belong.
_JOINERS = "\u200c\u200d"
_INVISIBLE_RUN = re.compile(f"[{_INVISIBLE}{_JOINERS}]+")

# Bidi embeddings and overrides can make stored text display as something else; the isolates and the
# LRM/RLM marks that right-to-left writers use stay.
_BIDI_OVERRIDES = "\u202a\u202b\u202c\u202d\u202e"

_SPACE = "[ \u00a0\u2007\u2009\u202f\u3000]"  # a space, also the non-breaking and thin ones
_DASH = "[-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d]"

_CPR = re.compile(rf"(?<!\d)(\d\d)(\d\d)\d\d(?:{_SPACE}?{_DASH}{_SPACE}?|{_SPACE})?\d{{4}}(?!\d)")

_EMAIL = re.compile(
    r"(?<![\w.%+-])[\w.%+-]+"
    r"(?:\s?@\s?|\s?[\[(]\s?(?:at|snabel-a)\s?[\])]\s?)"
    r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.[^\W\d_]{2,}(?![\w-])"
)

# Danish numbers: 8 digits not starting with 0 (that starts international calls), written
# as 12345678, 12 34 56 78 (or with dots or dashes, the same separator throughout) or 1234 5678.
_DK_BODY = (
    rf"(?:[1-9]\d{{7}}"
    rf"|[1-9]\d(?P<sep>{_SPACE}|[.]|{_DASH})\d\d(?P=sep)\d\d(?P=sep)\d\d"
    rf"|[1-9]\d{{3}}(?:{_SPACE}|{_DASH})\d{{4}})"
)
_DK_PREFIX = rf"(?:(?:\+|00){_SPACE}?45{_SPACE}?{_DASH}?{_SPACE}?)"
_DK_PHONE = re.compile(rf"(?<![\d+])(?P<prefix>{_DK_PREFIX})?(?P<body>{_DK_BODY})(?!\d)")

# International numbers: + or 00, a country code, 8-15 digits in all, loosely grouped ("+44 (0)20 7946 0958").
_INTL_PHONE = re.compile(rf"(?<![\d+])(?:\+|00){_SPACE}?[1-9](?:(?:{_SPACE}|[./]|{_DASH})?\(?\d\)?)+")

_YEAR = re.compile(r"(?:19|20)\d\d")


def strip_control(text: str) -> str:
    """Remove control characters, keeping line breaks; tabs become spaces, ``\\r\\n`` becomes ``\\n``.

    Also drops lone surrogates (they cannot be stored as UTF-8) and bidi overrides.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    kept = []
    for char in text:
        if char == "\n":
            kept.append(char)
        elif char == "\t":
            kept.append(" ")
        elif char in _BIDI_OVERRIDES or unicodedata.category(char) in ("Cc", "Cs"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


def strip_invisible(text: str) -> str:
    """Remove zero-width and other invisible characters (joiners only next to ASCII or digits)."""

    def replace(match: re.Match[str]) -> str:
        run = match.group()
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if all(c in _JOINERS for c in run) and not any(c.isascii() or c.isdecimal() for c in before + after):
            return run
        return ""

    return _INVISIBLE_RUN.sub(replace, text)


def _cpr(match: re.Match[str]) -> str:
    day, month = int(match.group(1)), int(match.group(2))
    return CPR_PLACEHOLDER if 1 <= day <= 31 and 1 <= month <= 12 else match.group()


def _dk_phone(match: re.Match[str]) -> str:
    body = match.group("body")
    halves = re.split(rf"{_SPACE}|{_DASH}", body) if len(body) == 9 else []
    if not match.group("prefix") and len(halves) == 2 and all(_YEAR.fullmatch(h) for h in halves):
        return body  # "2025-2026" is a span of years
    return PHONE_PLACEHOLDER


def _intl_phone(match: re.Match[str]) -> str:
    digits = sum(c.isdecimal() for c in match.group())
    return PHONE_PLACEHOLDER if 8 <= digits <= 15 else match.group()


def scrub_text(text: str) -> str:
    """Replace CPR numbers, e-mail addresses and phone numbers with placeholders.

    Control and invisible characters are removed first so they cannot hide a number. CPR numbers go
    before phone numbers: a 10-digit CPR number must not end up as a phone number plus two digits.
    """
    text = strip_invisible(strip_control(text))
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    text = _CPR.sub(_cpr, text)
    text = _INTL_PHONE.sub(_intl_phone, text)
    return _DK_PHONE.sub(_dk_phone, text)
