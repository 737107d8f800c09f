"""Junk through the webhook with the right secret (ASVS 5.1.x): 200 "ignored", never a 5xx, nothing stored.

503 is kept for one thing only, a database that is down (``test_outage.py``): Telegram retries a 5xx for a
day, so answering it to an update that will never parse would only bring it back, again and again.
"""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import aiohttp
from hypothesis import strategies as st
from sqlalchemy import select

from bot.webhook import SECRET_HEADER, WEBHOOK_PATH
from db.models import InboxUpdate
from tests.bot.conftest import Harness
from tests.faults.test_fuzz import draw, started

HEADERS = {SECRET_HEADER: "hook-secret", "Content-Type": "application/json"}
USER = {"id": 4242, "is_bot": False, "first_name": "A", "language_code": "da"}
CHAT = {"id": 4242, "type": "private", "first_name": "A"}


def text_update(update_id: int = 500) -> dict[str, Any]:
    message = {"message_id": 7, "from": USER, "chat": CHAT, "date": 1_700_000_000, "text": "hej"}
    return {"update_id": update_id, "message": message}


def press_update(update_id: int = 501) -> dict[str, Any]:
    message = {"message_id": 8, "from": USER, "chat": CHAT, "date": 1_700_000_000, "text": "?"}
    query = {"id": "q1", "from": USER, "chat_instance": "c", "data": "a:1", "message": message}
    return {"update_id": update_id, "callback_query": query}


def changed(update: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(update)
    node = result
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return result


JUNK = {
    "JSON nested 1000 deep": '{"update_id": 600, "message": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}",
    "chat.id as text": changed(text_update(601), ("message", "chat", "id"), "abc"),
    "a number as the message text": changed(text_update(602), ("message", "text"), 5),
    "an object as button data": changed(press_update(603), ("callback_query", "data"), {"x": 1}),
    "update_id beyond 64 bits": text_update(2**70),
    "update_id as text": changed(text_update(), ("update_id",), "abc"),
    "update_id as a fraction": changed(text_update(), ("update_id",), 1.5),
    "update_id as true": changed(text_update(), ("update_id",), True),
    "a button press without a sender": changed(press_update(604), ("callback_query", "from"), None),
    "a date far beyond the calendar": changed(text_update(605), ("message", "date"), 10**30),
    "a list": [1, 2, 3],
    "a string": "hello",
}


async def stored_ids(harness: Harness) -> list[Any]:
    async with harness.database.sessions() as session:
        return list(await session.scalars(select(InboxUpdate.update_id)))


async def post(client: aiohttp.ClientSession, url: str, body: Any) -> tuple[int, str]:
    raw = body.encode() if isinstance(body, str) and body.startswith("{") else json.dumps(body).encode()
    async with client.post(url, data=raw, headers=HEADERS) as reply:
        return reply.status, await reply.text()


async def test_known_junk_is_acknowledged_as_ignored_and_nothing_is_stored(harness: Harness) -> None:
    await started(harness)
    url = f"http://127.0.0.1:{harness.port}{WEBHOOK_PATH}"
    async with aiohttp.ClientSession() as client:
        for name, body in JUNK.items():
            assert await post(client, url, body) == (200, "ignored"), name
        assert await post(client, url, text_update(700)) == (200, "ok")  # and a real one still gets in
    assert await stored_ids(harness) == [700]
    await harness.settled()


# Arbitrary JSON values: big and negative integers, floats, text, lists and objects, nested.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=2**62) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
PATHS = [
    ("update_id",),
    ("message",),
    ("message", "message_id"),
    ("message", "from"),
    ("message", "from", "id"),
    ("message", "from", "is_bot"),
    ("message", "from", "language_code"),
    ("message", "chat"),
    ("message", "chat", "id"),
    ("message", "chat", "type"),
    ("message", "date"),
    ("message", "text"),
    ("message", "entities"),
    ("callback_query", "id"),
    ("callback_query", "data"),
    ("callback_query", "from", "id"),
    ("callback_query", "message", "message_id"),
    ("callback_query", "message", "chat", "id"),
    ("edited_message",),
    ("channel_post",),
]


@st.composite
def bodies(draw_: Any) -> Any:
    """An update with one field replaced by any JSON value, or any JSON value at all."""
    if draw_(st.integers(0, 4)) == 0:
        return draw_(json_values)
    update = draw_(st.sampled_from([text_update, press_update]))(draw_(st.integers(10_000, 20_000)))
    path = draw_(st.sampled_from([p for p in PATHS if p[0] in update or len(p) == 1]))
    if len(path) > 1 and path[0] not in update:
        path = path[:1]
    return changed(update, path, draw_(json_values))


async def test_arbitrary_json_never_gets_a_5xx(harness: Harness) -> None:
    await started(harness)
    url = f"http://127.0.0.1:{harness.port}{WEBHOOK_PATH}"
    async with aiohttp.ClientSession() as client:
        for body in draw(bodies(), 300):
            status, text = await post(client, url, body)
            assert status == 200 and text in ("ok", "ignored"), body
    for update_id in await stored_ids(harness):
        assert type(update_id) is int and 0 <= update_id < 2**63
    await harness.settled(timeout=20)
    async with harness.database.sessions() as session:
        failed = list(await session.scalars(select(InboxUpdate.error).where(InboxUpdate.error.is_not(None))))
    assert failed == []  # what was stored could be handled


async def test_a_secret_header_of_invalid_utf8_is_refused_not_a_500(harness: Harness) -> None:
    await started(harness)
    body = json.dumps(text_update(800)).encode()
    request = (
        f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n".encode()
        + SECRET_HEADER.encode()
        + b": hook-secret\xff\xfe\r\n\r\n"  # bytes no client library would send, but a socket can
        + body
    )
    reader, writer = await asyncio.open_connection("127.0.0.1", harness.port)
    writer.write(request)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    assert status_line.split()[1] == b"403"
    assert await stored_ids(harness) == []
