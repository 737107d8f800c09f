"""The two bots the cost-per-answer benchmark compares, each run as its own process.

    python -m bench.bots tilfreds <bot api url> <token> <database url>
    python -m bench.bots echo <bot api url> <token>
    python -m bench.bots echo-aiohttp <bot api url> <token>

``tilfreds``: the real Telegram channel (long polling, durable inbox, inbox worker, rate limiter,
conversation) with send limits raised so they do not pace the run. ``echo``: a bare
python-telegram-bot echo bot (``examples/echobot.py``): a text is sent back; a button press is
answered and its data sent back. ``echo-aiohttp``: the same echo bot over tilfreds' transport
(``bot.transport.AiohttpRequest``): what any python-telegram-bot bot costs here at best. Each prints
``ready`` once polling and stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
from pathlib import Path


async def _until_terminated() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    print("ready", flush=True)
    await stop.wait()


async def run_tilfreds(url: str, token: str, database_url: str) -> None:
    from bot.channel import ChannelOptions, TelegramChannel
    from bot.sending import SendLimits
    from db.database import Database
    from tilfreds.settings import Settings

    options = ChannelOptions(
        limits=SendLimits(overall_per_second=100_000, per_chat_per_second=100_000, per_chat_burst=1000),
        polling_timeout=10,
    )
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            telegram_token=token,
            telegram_api_url=url,  # type: ignore[call-arg]
            secret_key="bench-secret",
            data_dir=Path(tmp),
            database_url=database_url,
        )
        database = Database(database_url)
        channel = TelegramChannel(settings.bot_config(), database, None, options)
        await channel.start()
        try:
            await _until_terminated()
        finally:
            await channel.stop()
            await database.dispose()


async def run_echo(url: str, token: str, transport: str = "httpx") -> None:
    from telegram import Update
    from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)  # type: ignore[union-attr]

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()  # type: ignore[union-attr]
        await context.bot.send_message(update.effective_chat.id, query.data or "?")  # type: ignore[union-attr]

    builder = Application.builder().token(token).base_url(f"{url}/bot")
    if transport == "aiohttp":
        from bot.transport import AiohttpRequest

        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(read_timeout=20.0))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=10)  # type: ignore[union-attr]
        try:
            await _until_terminated()
        finally:
            await app.updater.stop()  # type: ignore[union-attr]
            await app.stop()


def main(argv: list[str]) -> None:
    kind, url, token, *rest = argv
    if kind == "tilfreds":
        asyncio.run(run_tilfreds(url, token, rest[0]))
    elif kind == "echo":
        asyncio.run(run_echo(url, token))
    elif kind == "echo-aiohttp":
        asyncio.run(run_echo(url, token, "aiohttp"))
    else:
        raise SystemExit(f"unknown bot {kind!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
