"""Storing incoming updates: reduced (see :mod:`bot.updates`) and written to the inbox in one commit.

Both ways in — the webhook and long polling — go through :func:`store`, and only acknowledge
the updates (2xx, or moving the offset) after it returned.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from telegram import Update

from bot.updates import MalformedUpdate, reduce_update
from db.database import Database
from db.keys import chat_key
from db.repo import inbox
from db.writes import write_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stored:
    """What :func:`store` wrote: how many updates were new, and the chats they came from."""

    new: int = 0
    chats: frozenset[str] = field(default_factory=frozenset)  # keyed hashes, as the inbox holds them
    malformed: int = 0  # updates with fields of the wrong type or size: ignored, never stored


async def store(database: Database, secret: bytes, updates: Iterable[Update]) -> Stored:
    """Write the updates the bot acts on to the inbox and commit.

    Raises whatever the database raises: the caller must then not acknowledge the updates.
    """
    rows = []
    malformed = 0
    for update in updates:
        try:
            incoming = reduce_update(update)
        except MalformedUpdate as exc:
            log.warning("an update with malformed fields was ignored (%s)", exc)  # never the update itself
            malformed += 1
            continue
        if incoming is not None:
            rows.append((incoming.update_id, chat_key(secret, incoming.chat_id), incoming.to_payload()))
    if not rows:
        return Stored(malformed=malformed)
    async with write_session(database, urgent=True) as session:
        new = await inbox.add(session, rows)
    return Stored(new, frozenset(key for _uid, key, _payload in rows), malformed)
