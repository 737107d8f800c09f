"""What the bot keeps of an incoming update: only what processing needs.

Telegram sends names, usernames and sometimes phone numbers with every update. Before an
update is written to the inbox it is reduced to an :class:`Incoming` — ids, the chat type, the
language code, the text or button data — so none of that ever reaches the database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from telegram import Update

from surveys import scrub_text
from surveys.scrub import strip_control

# Kinds of incoming events.
TEXT = "text"  # a plain text message (commands included)
CALLBACK = "callback"  # a button press
MEDIA = "media"  # sticker, photo, voice, document, contact, location, …
EDITED = "edited"  # an edited message: ignored, answers are not changed by editing old messages

MAX_TEXT = 5000  # a Telegram message is at most 4096 characters; anything longer is not from Telegram
MAX_UPDATE_ID = 2**63 - 1  # the inbox's BIGINT; Telegram's are far smaller
MAX_ID = 2**53  # Telegram: user and chat ids fit in 52 bits


class MalformedUpdate(ValueError):
    """An update whose fields have the wrong types or sizes: Telegram never sends it, so it is ignored."""


def _int(value: Any, limit: int, what: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if type(value) is not int or not -limit <= value <= limit:  # not bool, float or text
        raise MalformedUpdate(f"{what} is not an id")
    return value


def _text(value: Any, what: str, *, optional: bool = True) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise MalformedUpdate(f"{what} is not text")
    return value


@dataclass(frozen=True)
class Incoming:
    """One update, reduced. Private chats have ``chat_id == user_id``."""

    update_id: int
    kind: str
    chat_id: int
    chat_type: str
    user_id: int | None = None
    language_code: str | None = None
    text: str | None = None
    callback_id: str | None = None
    data: str | None = None
    message_id: int | None = None  # the message the pressed button was on
    text_length: int | None = None  # length of a free text as typed, before it was scrubbed on arrival
    # A message that is nothing but a phone number or e-mail, normalised: only the "Ring mig op" step reads it
    # (answers get the scrubbed ``text``); it leaves the inbox with the rest of the payload once processed.
    contact: str | None = None

    @property
    def private(self) -> bool:
        return self.chat_type == "private"

    def to_payload(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None and k != "update_id"}

    @classmethod
    def from_payload(cls, update_id: int, payload: dict[str, Any]) -> Incoming:
        fields = {k: payload.get(k) for k in cls.__dataclass_fields__ if k != "update_id"}
        return cls(update_id=update_id, **fields)


def arriving_text(text: str) -> tuple[str, int | None]:
    """A message's text as the inbox may keep it: free text scrubbed of CPR numbers, e-mail addresses and
    phone numbers before it is stored even for a moment, with its typed length; commands unchanged."""
    if text.startswith("/"):
        return text, None
    return scrub_text(text), len(strip_control(text).strip())


def contact_in(text: str) -> str | None:
    """The phone number or e-mail a message consists of, normalised; None for anything else."""
    from surveys.contact import InvalidContact, parse_contact

    if text.startswith("/"):
        return None
    try:
        return parse_contact(text).value
    except InvalidContact:
        return None


def reduce_update(update: Update) -> Incoming | None:
    """The part of ``update`` the bot acts on, or None for updates it ignores (channel posts, …).

    Raises :class:`MalformedUpdate` when a field it keeps has the wrong type or size (an id as text, a
    number as the message text, an object as button data, an ``update_id`` beyond 64 bits): nothing of
    such an update is stored.
    """
    try:
        incoming = _reduce(update)
    except (AttributeError, TypeError) as exc:  # a part missing or of the wrong kind (no sender, say)
        raise MalformedUpdate(type(exc).__name__) from None
    if incoming is not None:
        _check(incoming)
    return incoming


def _check(incoming: Incoming) -> None:
    _int(incoming.chat_id, MAX_ID, "chat.id")
    _int(incoming.user_id, MAX_ID, "from.id", optional=True)
    _int(incoming.message_id, MAX_ID, "message_id", optional=True)
    _text(incoming.chat_type, "chat.type", optional=False)
    _text(incoming.language_code, "language_code")
    _text(incoming.callback_id, "callback id")


def _reduce(update: Update) -> Incoming | None:
    _int(update.update_id, MAX_UPDATE_ID, "update_id")
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        if message is None:  # a button on an inline message: the bot never sends those
            return None
        return Incoming(
            update_id=update.update_id,
            kind=CALLBACK,
            chat_id=message.chat.id,
            chat_type=message.chat.type,
            user_id=query.from_user.id,
            language_code=query.from_user.language_code,
            callback_id=query.id,
            data=(_text(query.data, "callback data") or "")[:64],
            message_id=message.message_id,
        )
    if update.edited_message is not None:
        edited = update.edited_message
        if edited.chat.type != "private":
            return None
        return Incoming(
            update.update_id,
            EDITED,
            edited.chat.id,
            edited.chat.type,
            user_id=edited.from_user.id if edited.from_user else None,
        )
    message = update.message
    if message is None or message.chat.type != "private":
        return None  # only private chats get answers; group chatter is never stored
    user = message.from_user
    if user is None or user.is_bot:
        return None
    if message.text is not None:
        raw = _text(message.text, "message text")[:MAX_TEXT]
        text, typed = arriving_text(raw)
        contact = contact_in(raw)
        return Incoming(
            update.update_id,
            TEXT,
            message.chat.id,
            message.chat.type,
            user_id=user.id,
            language_code=user.language_code,
            text=text,
            text_length=typed,
            contact=contact,
        )
    return Incoming(
        update.update_id, MEDIA, message.chat.id, message.chat.type, user_id=user.id, language_code=user.language_code
    )
