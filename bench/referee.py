"""The local Bot API server as a process of its own, enforcing Telegram's send limits.

    python -m bench.referee FIRST_CHAT COUNT [OVERALL PER_CHAT]

Prints its URL, serves until a line arrives on stdin, then prints every message call as JSON
(``[[method, status, at, chat_id], …]``) and exits. In its own process its clock is not held up
by the bot's work, as Telegram's is not.
"""

from __future__ import annotations

import asyncio
import json
import sys

from tests.botapi import BotApiServer, SendLimits

MESSAGES = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument"}


async def serve(first: int, count: int, limits: SendLimits) -> None:
    async with BotApiServer(limits=limits) as server:
        for chat in range(first, first + count):
            server.register_chat(chat)
        print(server.url, flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        calls = [[c.method, c.status, c.at, c.params.get("chat_id")] for c in server.calls if c.method in MESSAGES]
        print(json.dumps(calls), flush=True)


def main(argv: list[str]) -> None:
    first, count = int(argv[0]), int(argv[1])
    overall = float(argv[2]) if len(argv) > 2 else 30.0
    per_chat = float(argv[3]) if len(argv) > 3 else 1.0
    asyncio.run(serve(first, count, SendLimits(overall=overall, per_chat=per_chat)))


if __name__ == "__main__":
    main(sys.argv[1:])
