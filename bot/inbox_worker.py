"""Processes the durable inbox: one chat's updates in order, different chats at once.

An update is taken from the inbox, handled and marked processed in one transaction; only after
that commit are the replies sent. A crash before the commit leaves the update waiting (it is
handled again at the next start); a crash after it has stored the answer exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import log_failure
from bot.updates import Incoming
from db.database import Database
from db.repo import inbox
from db.writes import write_session

log = logging.getLogger(__name__)


Handler = Callable[[AsyncSession, Incoming], Awaitable[list[Any]]]
Deliver = Callable[[list[Any]], Awaitable[None]]
GiveUp = Callable[[Incoming], list[Any]]


class InboxWorker:
    """Drains the inbox. ``wake(chats)`` after storing updates of those chats; a periodic scan catches
    everything else: updates left from before a restart, updates another worker stored, updates whose
    handling failed and is retried."""

    def __init__(
        self,
        database: Database,
        handle: Handler,
        deliver: Deliver,
        *,
        concurrency: int = 16,
        scan_interval: float = 1.0,
        max_attempts: int = 5,
        give_up: GiveUp | None = None,
    ) -> None:
        self.database = database
        self.handle = handle
        self.deliver = deliver
        self.scan_interval = scan_interval
        self.max_attempts = max_attempts
        self.give_up = give_up
        self._slots = asyncio.Semaphore(concurrency)
        self._active: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()  # chats told of new updates while being drained
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self, chats: Iterable[str]) -> None:
        """New updates were stored for ``chats``: drain them now, without waiting for a scan."""
        for chat_key in chats:
            self._drain_soon(chat_key)

    def _drain_soon(self, chat_key: str) -> None:
        if self._stopping:
            return
        if chat_key in self._active:
            self._again.add(chat_key)  # the drain looks once more before it ends
        else:
            self._active[chat_key] = asyncio.create_task(self._drain(chat_key))

    def start(self) -> None:
        self._stopping = False
        self._loop_task = asyncio.create_task(self._run(), name="tilfreds-inbox")

    async def stop(self, timeout: float = 10.0) -> None:
        """Finish the updates being handled now, then stop; waiting ones stay in the inbox."""
        self._stopping = True
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        tasks = list(self._active.values())
        if tasks:
            _done, still = await asyncio.wait(tasks, timeout=timeout)
            for task in still:
                task.cancel()
            await asyncio.gather(*still, return_exceptions=True)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await self._scan()
            except Exception as exc:
                log_failure(log, "inbox scan failed; retrying in %.1fs", exc, self.scan_interval, level=logging.WARNING)
            await asyncio.sleep(self.scan_interval)

    async def _scan(self) -> None:
        async with self.database.sessions() as session:
            chats = await inbox.pending_chats(session, max_attempts=self.max_attempts)
        for chat_key in chats:
            if chat_key not in self._active:
                self._drain_soon(chat_key)

    async def _drain(self, chat_key: str) -> None:
        """Handle one chat's waiting updates, oldest first, one at a time."""
        try:
            while not self._stopping:
                self._again.discard(chat_key)
                async with self._slots:
                    more = await self._process_next(chat_key)
                # No await between this test and leaving _active: a wake() after it starts a new drain.
                if not more and chat_key not in self._again:
                    break
        finally:
            self._active.pop(chat_key, None)
            self._again.discard(chat_key)

    async def _process_next(self, chat_key: str) -> bool:
        """Handle the chat's oldest waiting update; True if another one is known to wait."""
        update_id: int | None = None
        incoming: Incoming | None = None
        try:
            async with write_session(self.database) as session:
                row, more = await inbox.next_pending(session, chat_key)
                if row is None:
                    return False
                update_id = row.update_id
                payload = row.payload or {}
                if not await inbox.mark_processed(session, update_id):
                    return True  # another worker took it
                incoming = Incoming.from_payload(update_id, payload)
                replies = await self.handle(session, incoming)
        except Exception as exc:
            # Never log the update itself: it holds what the person wrote.
            log_failure(log, "update %s failed: %s", exc, update_id, type(exc).__name__)
            if update_id is not None and await self._record_failure(update_id, type(exc).__name__):
                await self._apologise(incoming)
            self._again.discard(chat_key)  # the drain ends here; the scan tries again later
            return False
        try:
            await self.deliver(replies)
        except Exception as exc:
            log_failure(
                log,
                "sending the replies to update %s failed: %s",
                exc,
                update_id,
                type(exc).__name__,
                level=logging.WARNING,
            )
        return more

    async def _record_failure(self, update_id: int, error: str) -> bool:
        """Count the failed attempt; True if the update was given up."""
        try:
            async with write_session(self.database) as session:
                gave_up = await inbox.record_failure(session, update_id, error, max_attempts=self.max_attempts)
        except Exception as exc:
            log_failure(log, "could not record the failure of update %s", exc, update_id, level=logging.WARNING)
            return False
        if gave_up:
            log.error("update %s given up after %d attempts", update_id, self.max_attempts)
        return gave_up

    async def _apologise(self, incoming: Incoming | None) -> None:
        if incoming is None or self.give_up is None:
            return
        try:
            await self.deliver(self.give_up(incoming))
        except Exception as exc:
            log_failure(log, "could not apologise for update %s", exc, incoming.update_id, level=logging.WARNING)
