"""The Telegram channel's lifecycle: the bot, the way updates come in, the inbox worker, reminders.

``tilfreds run`` builds it as ``TelegramChannel(settings, database, scheduler)``, calls
``setup_routes(app)`` before the HTTP server starts, ``await start()`` once it is up and
``await stop()`` at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from telegram import BotCommand
from telegram.error import TelegramError
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot import reminders
from bot.conversation import Conversation, Policy
from bot.inbox_worker import InboxWorker
from bot.polling import ALLOWED_UPDATES, Poller
from bot.replies import Reply
from bot.sending import ChatRateLimiter, SendLimits, deliver, with_network_retries
from bot.texts import t
from bot.webhook import WEBHOOK_PATH, WebhookRoute
from db.database import Database
from db.repo import survey_versions
from surveys import builtin_surveys
from tilfreds.settings import Settings

log = logging.getLogger(__name__)

COMMANDS = ["start", "help", "privacy", "language", "delete", "cancel"]
REMINDER_JOB_ID = "telegram-reminders"


@dataclass(frozen=True)
class ChannelOptions:
    """Tuning that is not a setting: defaults for production, tests make them fast."""

    limits: SendLimits = field(default_factory=SendLimits)
    reminders: reminders.ReminderPolicy = field(default_factory=reminders.ReminderPolicy)
    reminder_interval_minutes: int = 10
    polling_timeout: int = 30
    inbox_scan_interval: float = 1.0
    concurrency: int = 16
    policy: Policy = field(default_factory=Policy)


class TelegramChannel:
    """Citizens and companies answer in Telegram; staff create invitations."""

    def __init__(self, settings: Settings, database: Database, scheduler: Any | None = None,
                 options: ChannelOptions | None = None) -> None:
        self.settings = settings
        self.database = database
        self.scheduler = scheduler
        self.options = options or ChannelOptions()
        self.secret = settings.secret()
        self.bot: ExtBot[Any] | None = None
        self.username = settings.telegram_bot_username or ""
        self.conversation = Conversation(self.secret, staff_ids=settings.staff_telegram_ids,
                                         policy=self.options.policy, bot_username=lambda: self.username)
        self.worker = InboxWorker(database, self.conversation.handle, self.send,
                                  concurrency=self.options.concurrency,
                                  scan_interval=self.options.inbox_scan_interval,
                                  give_up=self.conversation.sorry)
        self._poller: asyncio.Task[None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def setup_routes(self, app: web.Application) -> None:
        """Add ``POST /telegram/webhook`` (webhook mode only)."""
        if self.settings.webhook_mode and self.settings.webhook_secret:
            route = WebhookRoute(self.database, self.secret, self.settings.webhook_secret,
                                 bot=lambda: self.bot, on_stored=self.worker.wake)
            app.router.add_post(WEBHOOK_PATH, route.handle)

    def _build_bot(self) -> ExtBot[Any]:
        url = self.settings.telegram_api_url
        pool = max(8, self.options.concurrency * 2)
        return ExtBot(
            self.settings.telegram_token or "",
            base_url=f"{url}/bot",
            base_file_url=f"{url}/file/bot",
            request=HTTPXRequest(connection_pool_size=pool, pool_timeout=30.0),
            get_updates_request=HTTPXRequest(connection_pool_size=2,
                                             read_timeout=self.options.polling_timeout + 10.0),
            rate_limiter=ChatRateLimiter(self.options.limits),
        )

    async def start(self) -> None:
        """Connect to the Bot API, register commands, start receiving and processing updates."""
        self.bot = self._build_bot()
        await with_network_retries(self.bot.initialize, tries=5, first_delay=1.0)  # getMe
        self.username = self.settings.telegram_bot_username or self.bot.username
        await self._prepare_surveys()
        await self._set_commands()
        if self.settings.webhook_mode:
            await with_network_retries(lambda: self.bot.set_webhook(  # type: ignore[union-attr]
                self.settings.webhook_url or "", secret_token=self.settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES), tries=5, first_delay=1.0)
            log.info("Telegram: webhook mode, updates arrive at %s", WEBHOOK_PATH)
        else:
            await with_network_retries(lambda: self.bot.delete_webhook(), tries=5,  # type: ignore[union-attr]
                                       first_delay=1.0)
            poller = Poller(self.bot, self.database, self.secret, self.worker.wake,
                            timeout=self.options.polling_timeout)
            self._poller = asyncio.create_task(poller.run(), name="tilfreds-polling")
            log.info("Telegram: long polling as @%s", self.username)
        self.worker.start()  # waiting inbox rows first: the worker starts with a scan
        if self.scheduler is not None:
            self.scheduler.add_job(self.run_reminders, "interval", id=REMINDER_JOB_ID, replace_existing=True,
                                   minutes=self.options.reminder_interval_minutes, coalesce=True,
                                   max_instances=1)

    async def stop(self) -> None:
        """Stop receiving, finish the updates in hand, close connections. Waiting updates stay stored."""
        if self.scheduler is not None:
            with contextlib.suppress(Exception):
                self.scheduler.remove_job(REMINDER_JOB_ID)
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        await self.worker.stop()
        if self.bot is not None:
            with contextlib.suppress(TelegramError):
                await self.bot.shutdown()

    # -- work --------------------------------------------------------------------------------

    async def send(self, replies: list[Reply]) -> None:
        if self.bot is None:
            raise RuntimeError("the channel is not started")
        await deliver(self.bot, replies)

    async def run_reminders(self) -> reminders.Outcome:
        """The scheduled job: one reminder per unfinished response, abandon the stale ones."""
        return await reminders.run(self.database, self.send, self.options.reminders)

    async def _prepare_surveys(self) -> None:
        # Store the current version of every survey once, so answering never races to create it.
        async with self.database.sessions() as session, session.begin():
            for survey in builtin_surveys().values():
                await survey_versions.ensure_version(session, survey)

    async def _set_commands(self) -> None:
        assert self.bot is not None
        for lang in ("da", "en"):
            commands = [BotCommand(name, t(lang, f"command_{name}")) for name in COMMANDS]
            try:
                await self.bot.set_my_commands(commands, language_code=None if lang == "da" else lang)
            except TelegramError as exc:
                log.warning("could not register the command menu: %s", type(exc).__name__)
