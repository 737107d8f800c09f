"""Sending within Telegram's limits: ~30 messages/s overall and ~1 message/s per chat.

PTB's ``AIORateLimiter`` limits group chats only; a survey runs in private chats, so this
limiter keeps a bucket for every chat (any request with a ``chat_id``) and one overall. A 429
pauses all sending for its ``retry_after`` and the request is tried again, a bounded number of times.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import partial
from typing import Any

from aiolimiter import AsyncLimiter
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

from bot.replies import Buttons, Edit, Reply, Toast

log = logging.getLogger(__name__)

# Requests that answer a person at once; never delayed by the per-chat bucket.
_UNLIMITED = {
    "answerCallbackQuery",
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "setMyCommands",
}


@dataclass(frozen=True)
class SendLimits:
    """How fast the bot may send. Defaults follow Telegram's FAQ."""

    overall_per_second: float = 30.0
    # Share of the overall limit used: room for the network's jitter, which can squeeze sends that left
    # evenly spaced into one of Telegram's seconds (bench/RESULTS.md: send rate).
    overall_pace: float = 0.95
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3  # a question after an edit may go at once; the average stays at the rate
    max_retries: int = 3  # after a 429


class Pacer:
    """At most ``per_second`` sends in any one second, none closer than ``min_gap``: ``await pacer.wait()``.

    Counted over the times sends actually went, one waiter at a time, so nothing bursts after a quiet
    spell (a bucket that holds 30 sends 30 at once and 30 more within the second: 429s), while a waiter
    the event loop wakes late can still use the rest of its second (plain spacing loses that time for
    good: 20 msg/s of 30 on a busy machine). The gap keeps even a catch-up spread out.
    """

    def __init__(self, per_second: int, min_gap: float) -> None:
        self.per_second = max(1, per_second)
        self.min_gap = min_gap
        self._sent: deque[float] = deque()
        self._turn = asyncio.Lock()

    async def wait(self) -> None:
        async with self._turn:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                while self._sent and self._sent[0] <= now - 1.0:
                    self._sent.popleft()
                delay = self._sent[-1] + self.min_gap - now if self._sent else 0.0
                if len(self._sent) >= self.per_second:
                    delay = max(delay, self._sent[0] + 1.0 - now)
                if delay <= 0:
                    break
                await asyncio.sleep(delay)
            self._sent.append(now)

    def pause(self, seconds: float) -> None:
        """No send before ``seconds`` from now (after a 429's ``retry_after``)."""
        until = asyncio.get_running_loop().time() + seconds
        self._sent.clear()
        self._sent.append(until - self.min_gap)


class ChatRateLimiter(BaseRateLimiter[int]):
    """Throttles every chat (private chats too) and the bot overall; honours 429 ``retry_after``."""

    def __init__(self, limits: SendLimits | None = None) -> None:
        self.limits = limits or SendLimits()
        self._overall = Pacer(
            int(self.limits.overall_per_second * self.limits.overall_pace), min_gap=0.8 / self.limits.overall_per_second
        )
        self._chats: dict[int | str, AsyncLimiter] = {}
        self._resume = asyncio.Event()
        self._resume.set()
        self.retries = 0  # 429s honoured so far (for logs and tests)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _chat_limiter(self, chat_id: int | str) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) > 4096:  # forget idle chats so the map stays small
                for key, idle in list(self._chats.items()):
                    if idle.has_capacity(idle.max_rate):
                        del self._chats[key]
            burst = max(1, self.limits.per_chat_burst)
            limiter = AsyncLimiter(burst, burst / self.limits.per_chat_per_second)
            self._chats[chat_id] = limiter
        return limiter

    async def _overall_slot(self) -> None:
        """The next overall slot; a slot that fell inside a 429 pause is given up for a later one, so the
        senders held up by the pause do not all go at once when it ends."""
        while True:
            await self._resume.wait()
            await self._overall.wait()
            if self._resume.is_set():
                return

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        max_retries = self.limits.max_retries if rate_limit_args is None else rate_limit_args
        chat_id = None if endpoint in _UNLIMITED else data.get("chat_id")  # None: not limited per chat
        for attempt in range(max_retries + 1):
            await self._resume.wait()
            try:
                if chat_id is None:
                    return await callback(*args, **kwargs)
                async with self._chat_limiter(chat_id):
                    await self._overall_slot()
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == max_retries:
                    log.warning("%s: still rate limited after %d retries", endpoint, max_retries)
                    raise
                delay = exc._retry_after.total_seconds()  # the property warns about int/timedelta
                self.retries += 1
                log.info("%s: rate limited by Telegram, waiting %.1fs", endpoint, delay)
                # Everyone waits: Telegram's 429 concerns the whole bot, not just this chat.
                self._resume.clear()
                self._overall.pause(delay + 0.05)
                try:
                    await asyncio.sleep(delay + 0.05)
                finally:
                    self._resume.set()
        raise AssertionError("unreachable")  # pragma: no cover


async def with_network_retries(
    make_call: Callable[[], Coroutine[Any, Any, Any]], *, tries: int = 3, first_delay: float = 0.2
) -> Any:
    """Retry a Bot API call on network errors and 5xx (Telegram's ``NetworkError``), with backoff."""
    delay = first_delay
    for attempt in range(tries):
        try:
            return await make_call()
        except (BadRequest, Forbidden):
            raise
        except NetworkError:
            if attempt == tries - 1:
                raise
            await asyncio.sleep(delay)
            delay *= 2
    return None  # pragma: no cover


def _markup(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in buttons]
    )


async def deliver(bot: Bot, replies: list[Reply]) -> None:
    """Send replies in order. A failed edit or toast (even after its retries) does not stop the messages after it."""
    for reply in replies:
        try:
            if isinstance(reply, Toast):
                await bot.answer_callback_query(reply.callback_id, text=reply.text)
            elif isinstance(reply, Edit):
                await with_network_retries(
                    partial(
                        bot.edit_message_text,
                        reply.text,
                        chat_id=reply.chat_id,
                        message_id=reply.message_id,
                        reply_markup=_markup(reply.buttons),
                    )
                )
            else:
                await with_network_retries(
                    partial(bot.send_message, reply.chat_id, reply.text, reply_markup=_markup(reply.buttons))
                )
        except BadRequest as exc:
            # "message is not modified", an old callback query, a deleted message: nothing to repair.
            log.info("%s not delivered: %s", type(reply).__name__, exc.message.split(":")[0])
        except Forbidden:
            log.info("%s not delivered: the person blocked the bot", type(reply).__name__)
            return
        except TelegramError as exc:
            # Retries are spent (5xx, timeouts, 429). A lost toast or edit is cosmetic: the next
            # question must still be sent. A lost message is the caller's to log.
            if not isinstance(reply, (Toast, Edit)):
                raise
            log.warning("%s not delivered: %s", type(reply).__name__, type(exc).__name__)
