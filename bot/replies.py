"""What the bot does in reply to an update, as plain data: handlers return these, the channel sends them.

Keeping replies as data lets the inbox worker commit the answer first and send afterwards, and
lets the conversation logic be tested without a network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Buttons = list[list[tuple[str, str]]]  # rows of (label, callback data)


@dataclass(frozen=True)
class Send:
    chat_id: int
    text: str
    buttons: Buttons = field(default_factory=list)


@dataclass(frozen=True)
class Edit:
    """Replace a message's text and buttons (no buttons: they are removed)."""

    chat_id: int
    message_id: int
    text: str
    buttons: Buttons = field(default_factory=list)


@dataclass(frozen=True)
class Toast:
    """Answer a button press (Telegram requires it); ``text`` shows as a short notice."""

    callback_id: str
    text: str | None = None


Reply = Send | Edit | Toast
