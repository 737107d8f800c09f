"""``tilfreds run``: the bot, the HTTP server and the scheduler in one process."""

from __future__ import annotations

import asyncio
import contextlib

import click

from tilfreds.commands.support import settings_or_exit


@click.command()
def run() -> None:
    """Run the bot, the HTTP server (/healthz, webhook, staff pages) and the scheduler.

    Migrations are applied at start. Without TILFREDS_TELEGRAM_TOKEN the Telegram channel is off
    and the rest still runs.
    """
    from tilfreds.app import configure_logging, serve

    settings = settings_or_exit()
    configure_logging(settings.log_level)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings))
