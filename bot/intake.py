"""Storing incoming updates: reduced (see :mod:`bot.updates`) and written to the inbox in one commit.

Both ways in — the webhook and long polling — go through :func:`store`, and only acknowledge
the updates (2xx, or moving the offset) after it returned.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Update

from bot.inbox_worker import write_turn
from bot.updates import reduce_update
from db.database import Database
from db.keys import chat_key
from db.repo import inbox


async def store(database: Database, secret: bytes, updates: Iterable[Update]) -> int:
    """Write the updates the bot acts on to the inbox and commit. Returns how many were new.

    Raises whatever the database raises: the caller must then not acknowledge the updates.
    """
    rows = []
    for update in updates:
        incoming = reduce_update(update)
        if incoming is not None:
            rows.append((update.update_id, chat_key(secret, incoming.chat_id), incoming.to_payload()))
    if not rows:
        return 0
    async with write_turn(database, urgent=True), database.sessions() as session, session.begin():
        return await inbox.add(session, rows)
