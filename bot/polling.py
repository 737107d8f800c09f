"""Long polling: ``getUpdates`` in a loop. The offset moves past an update only after it was stored."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from telegram import Bot
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot import intake
from db.database import Database

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]


class Poller:
    def __init__(
        self,
        bot: Bot,
        database: Database,
        secret: bytes,
        on_stored: Callable[[Iterable[str]], None],
        *,
        timeout: int = 30,
        backoff_max: float = 30.0,
    ) -> None:
        self.bot = bot
        self.database = database
        self.secret = secret
        self.on_stored = on_stored
        self.timeout = timeout
        self.backoff_max = backoff_max
        self.offset: int | None = None

    async def run(self) -> None:
        """Poll until cancelled. Network and database trouble: wait (growing) and try again."""
        backoff = 0.5
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=self.offset, timeout=self.timeout, allowed_updates=ALLOWED_UPDATES
                )
            except InvalidToken:
                log.error("Telegram rejected the bot token; polling stopped (check TILFREDS_TELEGRAM_TOKEN)")
                return
            except RetryAfter as exc:
                await asyncio.sleep(exc._retry_after.total_seconds())
                continue
            except (Conflict, NetworkError, TimedOut) as exc:
                log.warning("getUpdates failed (%s); retrying in %.1fs", type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.backoff_max)
                continue
            if not updates:
                backoff = 0.5
                continue
            try:
                stored = await intake.store(self.database, self.secret, updates)
            except Exception as exc:
                # Not stored: keep the offset, so Telegram hands the same updates over again.
                log.error(
                    "could not store %d updates (%s); retrying in %.1fs", len(updates), type(exc).__name__, backoff
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.backoff_max)
                continue
            backoff = 0.5
            self.offset = updates[-1].update_id + 1
            self.on_stored(stored.chats)
