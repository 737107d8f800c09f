"""The Telegram channel's lifecycle: the bot, the way updates come in, the inbox worker, reminders.

``tilfreds run`` builds it as ``TelegramChannel(settings.bot_config(), database, scheduler)``, calls
``setup_routes(app)`` before the HTTP server starts, ``await start()`` once it is up and
``await stop()`` at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram import BotCommand
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import ExtBot

from bot import reminders
from bot.config import BotConfig
from bot.conversation import Conversation, Policy
from bot.inbox_worker import InboxWorker
from bot.polling import ALLOWED_UPDATES, Poller
from bot.replies import Reply
from bot.sending import ChatRateLimiter, SendLimits, deliver, with_network_retries
from bot.texts import languages, t
from bot.transport import AiohttpRequest
from bot.webhook import WEBHOOK_PATH, WebhookRoute
from db.database import Database
from db.repo import survey_versions
from surveys import builtin_surveys

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
    connect_backoff: float = 1.0  # first wait before trying the Bot API again
    inbox_scan_interval: float = 1.0
    concurrency: int = 16
    policy: Policy = field(default_factory=Policy)

    @classmethod
    def from_config(cls, config: BotConfig) -> ChannelOptions:
        """The production defaults, with the timings staff can configure."""
        return cls(
            reminders=reminders.ReminderPolicy(
                remind_after=timedelta(hours=config.reminder_hours),
                abandon_after=timedelta(days=config.abandon_days),
            ),
            policy=Policy(
                withdrawal_window=timedelta(days=config.withdrawal_days),
                retention_months=config.retention_months,
                timezone=config.timezone,
                callback_handled_days=config.callback_handled_days,
                callback_max_days=config.callback_max_days,
                organisation=config.organisation,
            ),
        )


class TelegramChannel:
    """Citizens and companies answer in Telegram; staff create invitations."""

    def __init__(
        self,
        config: BotConfig,
        database: Database,
        scheduler: Any | None = None,
        options: ChannelOptions | None = None,
        web_link: Callable[[str], str] | None = None,
    ) -> None:
        self.config = config
        self.database = database
        self.scheduler = scheduler
        self.options = options or ChannelOptions.from_config(config)
        self.secret = config.secret
        self.bot: ExtBot[Any] | None = None
        self.username = config.username or ""
        self.conversation = Conversation(
            self.secret,
            staff_ids=config.staff_ids,
            policy=self.options.policy,
            bot_username=lambda: self.username,
            web_link=web_link,
        )
        self.worker = InboxWorker(
            database,
            self.conversation.handle,
            self.send,
            concurrency=self.options.concurrency,
            scan_interval=self.options.inbox_scan_interval,
            give_up=self.conversation.sorry,
        )
        self._poller: asyncio.Task[None] | None = None
        self._connecting: asyncio.Task[None] | None = None
        self.running = False  # connected, receiving and processing

    # -- lifecycle ---------------------------------------------------------------------------

    def setup_routes(self, app: web.Application) -> None:
        """Add ``POST /telegram/webhook`` (webhook mode only)."""
        if self.config.webhook_mode and self.config.webhook_secret:
            route = WebhookRoute(
                self.database,
                self.secret,
                self.config.webhook_secret,
                bot=lambda: self.bot,
                on_stored=self.worker.wake,
            )
            app.router.add_post(WEBHOOK_PATH, route.handle)

    def _build_bot(self) -> ExtBot[Any]:
        url = self.config.api_url
        pool = max(8, self.options.concurrency * 2)
        return ExtBot(
            self.config.token or "",
            base_url=f"{url}/bot",
            base_file_url=f"{url}/file/bot",
            request=AiohttpRequest(connection_pool_size=pool, pool_timeout=30.0),
            get_updates_request=AiohttpRequest(
                connection_pool_size=2, read_timeout=self.options.polling_timeout + 10.0
            ),
            rate_limiter=ChatRateLimiter(self.options.limits),
        )

    async def start(self) -> None:
        """Connect to the Bot API, register commands, start receiving and processing updates.

        A rejected token turns the channel off with a clear log line; an unreachable Bot API is
        retried in the background, so the rest of the process (health check, staff pages) runs.
        """
        self.bot = self._build_bot()
        await self._prepare_surveys()
        try:
            await self._connect()
        except InvalidToken:
            self._invalid_token()
            return
        except NetworkError as exc:
            log.warning(
                "cannot reach the Bot API at %s (%s); retrying in the background",
                self.config.api_url,
                type(exc).__name__,
            )
            self._connecting = asyncio.create_task(self._connect_until_up(), name="tilfreds-telegram-connect")
            return
        self._begin()

    def _invalid_token(self) -> None:
        log.error("Telegram rejected TILFREDS_TELEGRAM_TOKEN (check it with @BotFather): the Telegram channel is off")

    async def _connect(self) -> None:
        assert self.bot is not None
        bot = self.bot
        delay = self.options.connect_backoff
        await with_network_retries(bot.initialize, tries=3, first_delay=delay)  # getMe
        self.username = self.config.username or bot.username
        await self._set_commands()
        if self.config.webhook_mode:
            await with_network_retries(
                lambda: bot.set_webhook(
                    self.config.webhook_url or "",
                    secret_token=self.config.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                ),
                tries=3,
                first_delay=delay,
            )
            log.info("Telegram: webhook mode as @%s, updates arrive at %s", self.username, WEBHOOK_PATH)
        else:
            await with_network_retries(bot.delete_webhook, tries=3, first_delay=delay)
            log.info("Telegram: long polling as @%s", self.username)

    async def _connect_until_up(self) -> None:
        delay = self.options.connect_backoff
        while True:
            await asyncio.sleep(delay)
            try:
                await self._connect()
            except InvalidToken:
                self._invalid_token()
                return
            except NetworkError as exc:
                delay = min(delay * 2, 60.0)
                log.warning("the Bot API is still unreachable (%s); next try in %.0fs", type(exc).__name__, delay)
                continue
            self._begin()
            return

    def _begin(self) -> None:
        assert self.bot is not None
        if not self.config.webhook_mode:
            poller = Poller(
                self.bot, self.database, self.secret, self.worker.wake, timeout=self.options.polling_timeout
            )
            self._poller = asyncio.create_task(poller.run(), name="tilfreds-polling")
        self.worker.start()  # waiting inbox rows first: the worker starts with a scan
        if self.scheduler is not None:
            self.scheduler.add_job(
                self.run_reminders,
                "interval",
                id=REMINDER_JOB_ID,
                replace_existing=True,
                minutes=self.options.reminder_interval_minutes,
                coalesce=True,
                max_instances=1,
            )
        self.running = True

    async def stop(self) -> None:
        """Stop receiving, finish the updates in hand, close connections. Waiting updates stay stored."""
        if self.scheduler is not None:
            with contextlib.suppress(Exception):
                self.scheduler.remove_job(REMINDER_JOB_ID)
        for task in (self._connecting, self._poller):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._connecting = self._poller = None
        await self.worker.stop()
        self.running = False
        if self.bot is not None:
            with contextlib.suppress(TelegramError):
                await self.bot.shutdown()

    # -- work --------------------------------------------------------------------------------

    async def send(self, replies: list[Reply]) -> None:
        if self.bot is None:
            raise RuntimeError("the channel is not started")
        await deliver(self.bot, replies)

    async def notify_staff(self, message: str, files: Sequence[Path] = ()) -> None:
        """Send staff (``TILFREDS_STAFF_TELEGRAM_IDS``) a scheduled report's headline and its files."""
        if self.bot is None or not self.running:
            log.warning("staff not notified: the Telegram channel is not running")
            return
        for staff_id in sorted(self.config.staff_ids):
            try:
                await self.bot.send_message(staff_id, message[:4096])
                for path in files:
                    await self.bot.send_document(staff_id, document=path.read_bytes(), filename=path.name)
            except TelegramError as exc:
                # A staff member who never opened the chat cannot be written to (403): go on with the others.
                log.warning("could not send the report to a staff member: %s", exc.__class__.__name__)

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
        for lang in languages():  # the menu in every language; Danish for phones set to any other
            commands = [BotCommand(name, t(lang, f"command_{name}")) for name in COMMANDS]
            try:
                await self.bot.set_my_commands(commands, language_code=None if lang == "da" else lang)
            except TelegramError as exc:
                log.warning("could not register the command menu: %s", type(exc).__name__)
