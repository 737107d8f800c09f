"""Keep numbers and Latin words in place inside right-to-left text.

In an Arabic or Farsi message, a run such as ``3/8``, ``/privacy`` or ``CPR`` is wrapped in a left-to-right
isolate (LRI … PDI), so the bidirectional algorithm lays it out on its own and it cannot swap places with its
neighbours; each line starts with a right-to-left mark so a line that begins with a number still reads from
the right. Telegram renders these marks invisibly; left-to-right languages are returned unchanged.
"""

from __future__ import annotations

import re

LRI, FSI, PDI, RLM = "\u2066", "\u2068", "\u2069", "\u200f"
_MARKS = re.compile(f"[{LRI}{FSI}{PDI}{RLM}]")
# A run of Latin letters, digits and the signs that join them ("3/8", "/privacy", "e-mail", "CPR-nummer"),
# possibly several words separated by single spaces ("Jobcenter Fredericia").
_LETTER = "0-9A-Za-zÀ-ɏ"
_WORD = rf"[/@#+(]?[{_LETTER}](?:[{_LETTER}_./:@+\-–%]*[{_LETTER}%])?"
_LATIN_RUN = re.compile(rf"{_WORD}(?: {_WORD})*")


def isolate_latin(text: str) -> str:
    """``text`` (right-to-left) with every Latin or numeric run isolated and every line marked RTL."""
    plain = _MARKS.sub("", text)
    wrapped = _LATIN_RUN.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", plain)
    return "\n".join(f"{RLM}{line}" if line.strip() else line for line in wrapped.split("\n"))


def isolate(direction: str, text: str) -> str:
    """``text`` made safe for its direction: unchanged for ``"ltr"``, isolated runs for ``"rtl"``."""
    return isolate_latin(text) if direction == "rtl" else text


def strip_marks(text: str) -> str:
    """``text`` without the invisible direction marks (for comparing what people read)."""
    return _MARKS.sub("", text)
