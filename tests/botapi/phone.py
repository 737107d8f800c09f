"""A phone: one person talking to the bot through the local Bot API server.

It sends what a Telegram client would send (text, commands, stickers, photos, voice, edits,
button presses) and waits, with a timeout, for what the bot does in its chat. Conversations
are written as tables, ``[(action, expected bot text fragment), …]`` (see :meth:`Phone.dialog`).

Like a person, the phone reads text without the invisible direction marks that keep numbers in place in
Arabic and Farsi (``translations.bidi``); ``event.text`` keeps them for tests that check them.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from typing import Any

from tests.botapi.server import BotApiServer, BotEvent
from translations import strip_marks

DEFAULT_TIMEOUT = 10.0
_query_ids = itertools.count(1)
_user_message_ids = itertools.count(1)


class Press(str):
    """An action meaning "press the button with this label" in a dialog table."""


class Phone:
    """One person (user id, first name, language) in a private chat, or in a group if ``chat_id`` says so."""

    def __init__(
        self,
        server: BotApiServer,
        user_id: int,
        *,
        first_name: str = "Test",
        language_code: str | None = "da",
        username: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> None:
        self.server = server
        self.user_id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username
        self.chat_id = chat_id if chat_id is not None else user_id
        self.chat_type = chat_type
        self.events = server.register_chat(self.chat_id, chat_type)
        self.seen: list[BotEvent] = []  # everything taken from the queue, in order
        self.messages: dict[int, BotEvent] = {}  # message id -> latest state as this phone saw it

    # -- sending -----------------------------------------------------------------------------

    def _user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        if self.username:
            user["username"] = self.username
        return user

    def _chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.chat_id, "type": self.chat_type}
        if self.chat_type == "private":
            chat["first_name"] = self.first_name
        else:
            chat["title"] = "A group"
        return chat

    def _message(self, **fields: Any) -> dict[str, Any]:
        return {
            "message_id": next(_user_message_ids),
            "from": self._user(),
            "chat": self._chat(),
            "date": int(time.time()),
            **fields,
        }

    def send(self, text: str, update_id: int | None = None) -> int:
        """Send a text message (a command if it starts with ``/``); returns the update id."""
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.server.push_update({"message": self._message(**fields)}, update_id)

    def send_sticker(self) -> int:
        sticker = {
            "file_id": "stk",
            "file_unique_id": "stk-u",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self.server.push_update({"message": self._message(sticker=sticker)})

    def send_photo(self, caption: str | None = None) -> int:
        photo = [{"file_id": "ph", "file_unique_id": "ph-u", "width": 90, "height": 90}]
        fields: dict[str, Any] = {"photo": photo}
        if caption:
            fields["caption"] = caption
        return self.server.push_update({"message": self._message(**fields)})

    def send_voice(self) -> int:
        voice = {"file_id": "vo", "file_unique_id": "vo-u", "duration": 3}
        return self.server.push_update({"message": self._message(voice=voice)})

    def send_contact(self, phone_number: str = "+4512345678") -> int:
        contact = {"phone_number": phone_number, "first_name": self.first_name, "user_id": self.user_id}
        return self.server.push_update({"message": self._message(contact=contact)})

    def edit(self, text: str) -> int:
        """An ``edited_message`` update: the person edited an earlier message."""
        message = self._message(text=text, edit_date=int(time.time()))
        return self.server.push_update({"edited_message": message})

    def press(self, label: str) -> int:
        """Press the button labelled ``label`` on the latest message that has it."""
        for event in reversed(list(self.messages.values())):
            for button in event.buttons:
                if strip_marks(button["text"]) == strip_marks(label):
                    return self.press_data(button["callback_data"], event.message_id)
        known = sorted({strip_marks(b["text"]) for e in self.messages.values() for b in e.buttons})
        raise AssertionError(f"no button {label!r} on any message; buttons seen: {known}")

    def press_data(self, data: str, message_id: int | None = None, update_id: int | None = None) -> int:
        """Send a callback query with any data (forged data included), as if from ``message_id``."""
        if message_id is None:
            message_id = max(self.messages) if self.messages else 1
        query_id = f"q{next(_query_ids)}"
        self.server._callbacks[query_id] = self.chat_id
        stored = self.server.message(self.chat_id, message_id) or {
            "message_id": message_id,
            "chat": self._chat(),
            "date": int(time.time()),
            "text": "…",
        }
        query = {
            "id": query_id,
            "from": self._user(),
            "chat_instance": f"ci{self.chat_id}",
            "data": data,
            "message": stored,
        }
        return self.server.push_update({"callback_query": query}, update_id)

    # -- receiving ---------------------------------------------------------------------------

    async def next_event(self, timeout: float = DEFAULT_TIMEOUT) -> BotEvent:
        try:
            event = await asyncio.wait_for(self.events.get(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"the bot did nothing in chat {self.chat_id} for {timeout}s; "
                f"last seen: {[(e.kind, (e.text or '')[:60]) for e in self.seen[-5:]]}"
            ) from None
        self.seen.append(event)
        if event.kind in {"message", "edit"} and event.message_id is not None:
            self.messages[event.message_id] = event
        elif event.kind == "delete" and event.message_id in self.messages:
            del self.messages[event.message_id]
        return event

    async def expect(self, kind: str, fragment: str = "", timeout: float = DEFAULT_TIMEOUT) -> BotEvent:
        """The next event of ``kind``; earlier events of other kinds are taken and kept in :attr:`seen`.

        Fails if that event's text lacks ``fragment``.
        """
        while True:
            event = await self.next_event(timeout)
            if event.kind == kind:
                seen = strip_marks(event.text or "")
                assert strip_marks(fragment) in seen, f"expected a {kind} containing {fragment!r}, got {seen!r}"
                return event

    async def expect_message(self, fragment: str = "", timeout: float = DEFAULT_TIMEOUT) -> BotEvent:
        return await self.expect("message", fragment, timeout)

    async def expect_edit(self, fragment: str = "", timeout: float = DEFAULT_TIMEOUT) -> BotEvent:
        return await self.expect("edit", fragment, timeout)

    async def expect_toast(self, fragment: str = "", timeout: float = DEFAULT_TIMEOUT) -> BotEvent:
        return await self.expect("toast", fragment, timeout)

    async def dialog(self, table: Sequence[tuple[str, str]], timeout: float = DEFAULT_TIMEOUT) -> None:
        """Play a conversation: each action (text, or :class:`Press`) must be followed by a bot
        message containing the expected fragment (the bot's next new message, not an edit)."""
        for step, (action, expected) in enumerate(table):
            if isinstance(action, Press):
                self.press(str(action))
            else:
                self.send(action)
            try:
                await self.expect_message(expected, timeout)
            except AssertionError as exc:
                raise AssertionError(f"step {step} ({action!r}): {exc}") from None


def press(label: str) -> Press:
    """Dialog-table shorthand for pressing a button."""
    return Press(label)
