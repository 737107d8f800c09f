"""One rule for every text cell a spreadsheet will open: it must never become a formula (OWASP: CSV injection).

Segment values, labels and free text can come from people: a value like ``=HYPERLINK("https://…","Klik")``
or ``@SUM(…)`` in a cell Excel or LibreOffice opens would run as a formula. :func:`neutralise` puts an
apostrophe before any text that starts like one — ``=``, ``+``, ``-``, ``@``, tab or carriage return — so it
is shown as the text it is. Every export (report csv/xlsx, raw csv/xlsx, link lists, comments) writes its
cells through it; numbers and dates pass unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet must show it: text that starts like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutral_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(value) for value in values]
