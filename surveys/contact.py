"""'Ring mig op': the phone number or e-mail a respondent types when they ask to be contacted.

Pure validation, shared by both channels. A Danish number is 8 digits (spaces, dashes and a +45/0045 prefix
allowed) and is kept as ``+45 12 34 56 78``; another country's number needs its ``+`` or ``00`` prefix and
8–15 digits in all. An e-mail is one address of at most 254 characters with a dot in its domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .scrub import strip_control

MAX_CONTACT = 254
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
_SEPARATORS = re.compile(r"[\s().\-‐‑–]")


class InvalidContact(ValueError):
    """Not a phone number or e-mail; ``reason`` is "empty", "too_long" or "unreadable"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone" | "email"
    value: str


def parse_contact(text: str) -> Contact:
    """The contact in ``text``, normalised; raises :class:`InvalidContact` with a reason otherwise."""
    cleaned = strip_control(text or "").strip()
    if not cleaned:
        raise InvalidContact("empty")
    if len(cleaned) > MAX_CONTACT:
        raise InvalidContact("too_long")
    if "@" in cleaned:
        if _EMAIL.fullmatch(cleaned):
            return Contact("email", cleaned)
        raise InvalidContact("unreadable")
    digits = _SEPARATORS.sub("", cleaned)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"(?:\+45)?\d{8}", digits):
        local = digits[-8:]
        return Contact("phone", "+45 " + " ".join(local[i : i + 2] for i in range(0, 8, 2)))
    if re.fullmatch(r"\+[1-9]\d{7,14}", digits):
        return Contact("phone", digits)
    raise InvalidContact("unreadable")
