"""One gentle reminder for an unfinished survey, never a second; long-untouched ones are abandoned.

:func:`run` is the job the scheduler calls (every few minutes). ``reminded_at`` is committed
before the reminder is sent, so even a crash in between cannot lead to a second one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot import callbacks
from bot.replies import Reply, Send
from bot.texts import t
from db.database import Database
from db.models import utcnow
from db.repo import inbox, responses
from db.writes import write_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderPolicy:
    remind_after: timedelta = timedelta(hours=24)
    abandon_after: timedelta = timedelta(days=14)
    inbox_keep: timedelta = timedelta(days=2)  # Telegram re-sends an update for 24 h at most
    # Reminders in flight at once: one at a time waits a round trip per message and reaches only
    # about three quarters of the allowed rate; the bot's rate limiter does the pacing.
    concurrency: int = 24


@dataclass(frozen=True)
class Outcome:
    reminded: int
    abandoned: int


async def run(
    database: Database, deliver: Callable[[list[Reply]], Awaitable[None]], policy: ReminderPolicy | None = None
) -> Outcome:
    """Abandon stale responses, send due reminders, forget old inbox rows.

    Cutting respondent links after the withdrawal window is the retention job's (``analytics.jobs``):
    it runs whether or not Telegram is on.
    """
    policy = policy or ReminderPolicy()
    now = utcnow()
    async with write_session(database) as session:
        abandoned = await responses.abandon_stale(session, now - policy.abandon_after)
        due = await responses.due_for_reminder(session, now - policy.remind_after)
        reminders: list[Reply] = []
        for response in due:
            response.reminded_at = now
            if response.chat_ref is not None:
                button = (t(response.language, "button_continue"), callbacks.resume(response.id))
                reminders.append(Send(response.chat_ref, t(response.language, "reminder"), [[button]]))
        await inbox.purge_processed(session, now - policy.inbox_keep)
    await _send_all(deliver, reminders, policy.concurrency)
    if reminders or abandoned:
        log.info("reminders: %d sent, %d abandoned", len(reminders), abandoned)
    return Outcome(len(reminders), abandoned)


async def _send_all(deliver: Callable[[list[Reply]], Awaitable[None]], replies: list[Reply], concurrency: int) -> None:
    """Send each reply on its own, ``concurrency`` at a time; one blocked chat does not stop the others."""
    slots = asyncio.Semaphore(max(1, concurrency))

    async def send(reply: Reply) -> None:
        async with slots:
            try:
                await deliver([reply])
            except Exception as exc:
                log.info("a reminder was not delivered: %s", type(exc).__name__)

    await asyncio.gather(*(send(reply) for reply in replies))
