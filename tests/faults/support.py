"""What the fault tests share: people who answer by value, waiting for a quiet system, reading the database."""

from __future__ import annotations

import asyncio
import inspect
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, text

from db.database import Database
from db.models import InboxUpdate
from tests.botapi import BotApiServer, BotEvent, Phone

ANSWER_DATA = re.compile(r"a1:(\d+):([a-z0-9_]+):([a-z0-9_]+)")


async def until(condition: Callable[[], Any], timeout: float = 30.0, every: float = 0.05) -> None:
    """Wait until ``condition()`` (a function, or a coroutine function) is true; fail after ``timeout``."""
    async with asyncio.timeout(timeout):
        while True:
            result = condition()
            if inspect.isawaitable(result):
                result = await result
            if result:
                return
            await asyncio.sleep(every)


def answer_button(phone: Phone, option: str) -> tuple[str, int]:
    """The callback data and message id of ``option`` on the newest question the phone has seen."""
    for message_id in sorted(phone.messages, reverse=True):
        for button in phone.messages[message_id].buttons:
            match = ANSWER_DATA.fullmatch(button.get("callback_data", ""))
            if match and match.group(3) == option:
                return button["callback_data"], message_id
    raise AssertionError(f"no answer button {option!r} on any message of chat {phone.chat_id}")


def press_option(phone: Phone, option: str) -> int:
    """Answer the newest question with ``option`` (its id: "1".."5", "dk", "skip"); returns the update id."""
    data, message_id = answer_button(phone, option)
    return phone.press_data(data, message_id)


async def wait_message(phone: Phone, fragment: str, timeout: float = 30.0) -> BotEvent:
    """The next message whose text has ``fragment``, skipping others (replies to earlier updates)."""
    async with asyncio.timeout(timeout):
        while True:
            event = await phone.next_event(timeout)
            if event.kind == "message" and fragment in (event.text or ""):
                return event


def drain(phone: Phone) -> list[BotEvent]:
    """Take every event already waiting in the phone's queue."""
    taken = []
    while not phone.events.empty():
        event = phone.events.get_nowait()
        phone.seen.append(event)
        if event.kind in {"message", "edit"} and event.message_id is not None:
            phone.messages[event.message_id] = event
        taken.append(event)
    return taken


def polling_offset(server: BotApiServer) -> int:
    """The highest offset the bot has confirmed with getUpdates: updates below it are acknowledged."""
    offsets = [int(c.params.get("offset") or 0) for c in server.calls_of("getUpdates")]
    return max(offsets, default=0)


def acknowledged(server: BotApiServer, pushed: set[int]) -> set[int]:
    """The pushed updates Telegram would now forget: webhook answered 2xx, or polling moved past them."""
    offset = polling_offset(server)
    webhook_ok = {uid for uid, status in server.webhook_attempts if 200 <= status < 300}
    return {uid for uid in pushed if uid < offset or uid in webhook_ok}


async def inbox_waiting(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).where(InboxUpdate.processed_at.is_(None))) or 0)


async def quiet(server: BotApiServer, database: Database, pushed: set[int], timeout: float = 30.0) -> None:
    """Wait until every pushed update was acknowledged, stored and processed."""
    async with asyncio.timeout(timeout):
        while True:
            if acknowledged(server, pushed) == pushed and not await inbox_waiting(database):
                return
            await asyncio.sleep(0.1)


# Columns that record when, not what: left out when two databases are compared.
TIMESTAMPS = {
    "received_at",
    "processed_at",
    "created_at",
    "started_at",
    "updated_at",
    "completed_at",
    "answered_at",
    "frozen_at",
    "reminded_at",
    "expires_at",
    "revoked_at",
    "at",
}
TABLES = [
    "survey_versions",
    "invitation_batches",
    "invitations",
    "respondents",
    "responses",
    "answers",
    "inbox_updates",
    "report_snapshots",
    "audit_log",
    "job_runs",
]


async def table_contents(
    database: Database, tables: list[str] = TABLES, ignore: set[str] = TIMESTAMPS
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (timestamps left out), sorted: two databases compare with ``==``."""
    contents = {}
    async with database.sessions() as session:
        for table in tables:
            result = await session.execute(text(f"SELECT * FROM {table}"))  # noqa: S608 - fixed names
            columns = result.keys()
            keys = [k for k in columns if k not in ignore]
            rows = [tuple(_plain(row._mapping[k]) for k in keys) for row in result]
            contents[table] = sorted(rows, key=repr)
    return contents


def _plain(value: Any) -> Any:
    """JSON columns come back as text on SQLite and as objects on PostgreSQL: compare them as objects."""
    if isinstance(value, str) and value[:1] in "{[":
        import json

        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
