"""The rate limiter's pacing and the local Bot API server's referee for Telegram's send limits."""

from __future__ import annotations

import asyncio

import aiohttp

from bot.sending import Pacer
from tests.botapi import BotApiServer, SendLimits


async def test_pacer_never_puts_more_than_its_limit_in_one_second() -> None:
    pacer = Pacer(per_second=10, min_gap=0.005)
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def send() -> None:
        await pacer.wait()
        times.append(loop.time())

    await asyncio.gather(*(send() for _ in range(25)))
    assert len(times) == 25
    busiest = max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
    assert busiest <= 10
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.005 - 1e-3


async def test_referee_refuses_a_second_message_to_a_chat_within_a_second() -> None:
    async with BotApiServer(limits=SendLimits(overall=2, per_chat=1)) as server:
        for chat in (1, 2, 3):
            server.register_chat(chat)
        async with aiohttp.ClientSession() as client:

            async def send(chat: int) -> tuple[int, dict]:
                async with client.post(
                    f"{server.url}/bot{server.token}/sendMessage", json={"chat_id": chat, "text": "hej"}
                ) as reply:
                    return reply.status, await reply.json()

            assert (await send(1))[0] == 200
            status, body = await send(1)  # same chat at once
            assert status == 429 and body["parameters"]["retry_after"] == 1
            assert (await send(2))[0] == 200
            assert (await send(3))[0] == 429  # third message overall within one second
        assert server.rate_limited == 2
