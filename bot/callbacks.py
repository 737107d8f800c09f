"""Button data: short, versioned, and parsed strictly — the client sends it, so it is untrusted.

``a1:<response>:<question>:<option>`` answers, ``b1:<response>:<question>`` goes back,
``s1:<response>`` begins, ``c1:<response>`` continues after a pause, ``l1:<response>:<lang>``
changes the language (response 0: none open), ``d1:y`` / ``d1:n`` confirm or cancel /delete,
``r1:ask`` / ``r1:yes`` / ``r1:no`` are the "Ring mig op" step after the thanks.
Parsing only checks the shape; whether a press counts is decided against the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
_ID = r"[a-z0-9_]{1,16}"
_PATTERNS = {
    "a1": re.compile(rf"a1:(\d{{1,12}}):({_ID}):([a-z0-9_]{{1,12}})"),
    "b1": re.compile(rf"b1:(\d{{1,12}}):({_ID})"),
    "s1": re.compile(r"s1:(\d{1,12})"),
    "c1": re.compile(r"c1:(\d{1,12})"),
    "l1": re.compile(r"l1:(\d{1,12}):([a-z]{2,3})"),
    "d1": re.compile(r"d1:([yn])"),
    "r1": re.compile(r"r1:(ask|yes|no)"),
}


@dataclass(frozen=True)
class Press:
    action: str  # "answer", "back", "begin", "continue", "language", "delete", "callback"
    response_id: int = 0
    question_id: str = ""
    option: str = ""  # an option id, a language code, or "y"/"n"


_ACTIONS = {
    "a1": "answer",
    "b1": "back",
    "s1": "begin",
    "c1": "continue",
    "l1": "language",
    "d1": "delete",
    "r1": "callback",
}


def parse(data: str | None) -> Press | None:
    """The press this data describes, or None if it is not data this bot makes."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    match = _PATTERNS.get(data[:2])
    groups = match.fullmatch(data) if match else None
    if groups is None:
        return None
    action = _ACTIONS[data[:2]]
    parts = groups.groups()
    if action == "answer":
        return Press(action, int(parts[0]), parts[1], parts[2])
    if action == "back":
        return Press(action, int(parts[0]), parts[1])
    if action in {"begin", "continue"}:
        return Press(action, int(parts[0]))
    if action == "language":
        return Press(action, int(parts[0]), option=parts[1])
    return Press(action, option=parts[0])


def _checked(data: str) -> str:
    if len(data.encode()) > MAX_BYTES:  # ids are bounded by the survey loader; this is a last guard
        raise ValueError(f"callback data over {MAX_BYTES} bytes")
    return data


def answer(response_id: int, question_id: str, option: str) -> str:
    return _checked(f"a1:{response_id}:{question_id}:{option}")


def back(response_id: int, question_id: str) -> str:
    return _checked(f"b1:{response_id}:{question_id}")


def begin(response_id: int) -> str:
    return f"s1:{response_id}"


def resume(response_id: int) -> str:
    return f"c1:{response_id}"


def language(response_id: int, code: str) -> str:
    return f"l1:{response_id}:{code}"


def delete(confirm: bool) -> str:
    return "d1:y" if confirm else "d1:n"


def callback(step: str) -> str:
    """``ask`` (the button under the thanks), ``yes`` (consent given) or ``no``."""
    return f"r1:{step}"
