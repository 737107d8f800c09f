"""One gentle reminder for an unfinished survey, never a second; long-untouched ones are abandoned.

:func:`run` is the job the scheduler calls (every few minutes). ``reminded_at`` is committed
before the reminder is sent, so even a crash in between cannot lead to a second one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot import callbacks
from bot.inbox_worker import write_turn
from bot.replies import Reply, Send
from bot.texts import t
from db.database import Database
from db.models import utcnow
from db.repo import inbox, responses

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderPolicy:
    remind_after: timedelta = timedelta(hours=24)
    abandon_after: timedelta = timedelta(days=14)
    withdrawal_window: timedelta = timedelta(days=30)
    inbox_keep: timedelta = timedelta(days=2)  # Telegram re-sends an update for 24 h at most


@dataclass(frozen=True)
class Outcome:
    reminded: int
    abandoned: int
    unlinked: int


async def run(database: Database, deliver: Callable[[list[Reply]], Awaitable[None]],
              policy: ReminderPolicy | None = None) -> Outcome:
    """Abandon stale responses, send due reminders, end withdrawal windows, forget old inbox rows."""
    policy = policy or ReminderPolicy()
    now = utcnow()
    async with write_turn(database), database.sessions() as session, session.begin():
        abandoned = await responses.abandon_stale(session, now - policy.abandon_after)
        due = await responses.due_for_reminder(session, now - policy.remind_after)
        reminders: list[Reply] = []
        for response in due:
            response.reminded_at = now
            if response.chat_ref is not None:
                button = (t(response.language, "button_continue"), callbacks.resume(response.id))
                reminders.append(Send(response.chat_ref, t(response.language, "reminder"), [[button]]))
        unlinked = await responses.cut_links(session, now - policy.withdrawal_window)
        await inbox.purge_processed(session, now - policy.inbox_keep)
    for reply in reminders:
        try:
            await deliver([reply])
        except Exception as exc:  # one blocked chat must not stop the others
            log.info("a reminder was not delivered: %s", type(exc).__name__)
    if reminders or abandoned or unlinked:
        log.info("reminders: %d sent, %d abandoned, %d unlinked after the withdrawal window",
                 len(reminders), abandoned, unlinked)
    return Outcome(len(reminders), abandoned, unlinked)
