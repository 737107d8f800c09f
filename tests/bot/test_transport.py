"""The aiohttp transport under python-telegram-bot, against the local Bot API server over real HTTP.

The conversation tests use it for every request; these check what they do not reach: uploads,
errors a person never sees (a refused connection, a read timeout), and the pool's lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.transport import AiohttpRequest
from tests.bot.conftest import free_port
from tests.botapi import BotApiServer


def bot_for(url: str, token: str, **request: float) -> Bot:
    return Bot(token, base_url=f"{url}/bot", request=AiohttpRequest(**request))


async def test_a_message_with_buttons_and_danish_text_arrives_as_sent(server: BotApiServer) -> None:
    events = server.register_chat(42)
    async with bot_for(server.url, server.token) as bot:
        sent = await bot.send_message(
            42,
            "Hvor tilfreds er du? «5 – Meget tilfreds» 🙂",
            reply_markup={"inline_keyboard": [[{"text": "5 – Meget tilfreds", "callback_data": "a1:7:q1:5"}]]},
        )
    event = await events.get()
    assert event.text == "Hvor tilfreds er du? «5 – Meget tilfreds» 🙂"
    assert event.buttons == [{"text": "5 – Meget tilfreds", "callback_data": "a1:7:q1:5"}]
    assert sent.message_id == event.message_id and sent.chat.id == 42


async def test_a_document_is_uploaded_as_multipart_with_its_name(server: BotApiServer) -> None:
    events = server.register_chat(42)
    content = b"aar;andel\n2025;0,83\n" * 5000
    async with bot_for(server.url, server.token) as bot:
        await bot.send_document(42, document=content, filename="rapport-2025.csv", caption="Årsrapport")
    event = await events.get()
    assert (event.kind, event.text) == ("document", "rapport-2025.csv")
    [call] = server.calls_of("sendDocument")
    assert call.params["document"] == {"filename": "rapport-2025.csv", "size": len(content)}
    assert call.params["caption"] == "Årsrapport"


async def test_telegrams_errors_become_ptbs_exceptions(server: BotApiServer) -> None:
    server.register_chat(42)
    server.fail_next("sendMessage", status=429, retry_after=3)
    async with bot_for(server.url, server.token) as bot:
        with pytest.raises(RetryAfter) as limited:
            await bot.send_message(42, "hej")
        with pytest.raises(BadRequest, match="empty"):
            await bot.send_message(42, " ")
    assert limited.value._retry_after.total_seconds() == 3


async def test_a_refused_connection_is_a_network_error() -> None:
    bot = bot_for(f"http://127.0.0.1:{free_port()}", "123456:TEST-token")
    with pytest.raises(NetworkError, match="aiohttp"):
        await bot.initialize()  # getMe
    await bot.shutdown()


async def test_an_answer_later_than_the_read_timeout_is_timed_out(server: BotApiServer) -> None:
    server.register_chat(42)
    async with bot_for(server.url, server.token, read_timeout=0.3) as bot:
        server.delay_next("sendMessage", 1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(42, "hej")
        # A longer timeout for one call, as getUpdates asks for: the same late answer now arrives.
        server.delay_next("sendMessage", 0.6)
        sent = await bot.send_message(42, "hej igen", read_timeout=3.0)
    assert sent.text == "hej igen"


async def test_the_pool_closes_at_shutdown_and_opens_again(server: BotApiServer) -> None:
    server.register_chat(42)
    request = AiohttpRequest()
    bot = Bot(server.token, base_url=f"{server.url}/bot", request=request)
    await bot.initialize()
    await bot.shutdown()
    with pytest.raises(RuntimeError, match="shut down"):
        await request.do_request(f"{server.url}/bot{server.token}/getMe", "POST")
    await bot.initialize()
    assert (await bot.send_message(42, "igen")).text == "igen"
    await bot.shutdown()


async def test_requests_go_through_the_proxy_the_environment_names(
    server: BotApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job centre's network may reach Telegram only through a proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)."""
    request_lines: list[str] = []

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_lines.append(head.split(b"\r\n", 1)[0].decode())
        target = urlsplit(request_lines[-1].split()[1])
        up_reader, up_writer = await asyncio.open_connection(target.hostname, target.port)
        up_writer.write(head)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    proxy = await asyncio.start_server(forward, "127.0.0.1", 0)
    port = proxy.sockets[0].getsockname()[1]
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    try:
        async with bot_for(server.url, server.token) as bot:
            assert bot.username == server.username  # getMe, answered through the proxy
    finally:
        proxy.close()
    assert request_lines == [f"POST {server.url}/bot{server.token}/getMe HTTP/1.1"]
