"""Text written into a spreadsheet cell must never run as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and LibreOffice as a
formula (CSV/formula injection, OWASP). Free text typed by respondents goes through :func:`neutralise` before it
is written to any csv or xlsx: such a value gets a leading apostrophe, which the spreadsheet shows as text.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``"=HYPERLINK(…)"`` → ``"'=HYPERLINK(…)"``; numbers, None and harmless text pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
