"""The bot under test: the real channel against the local Bot API server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.channel import ChannelOptions, TelegramChannel
from bot.sending import SendLimits
from db.database import Database
from db.models import InboxUpdate
from db.repo import invitations
from tests.botapi import BotApiServer, Phone
from tilfreds.settings import Settings

SECRET = "test-secret-key-for-pseudonyms"
FAST = ChannelOptions(
    limits=SendLimits(overall_per_second=1000, per_chat_per_second=1000, per_chat_burst=100),
    polling_timeout=1,
    inbox_scan_interval=0.2,
    connect_backoff=0.05,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def server() -> AsyncIterator[BotApiServer]:
    async with BotApiServer() as running:
        yield running


@dataclass
class Harness:
    """Starts and stops channels (one at a time) against one server and one database."""

    server: BotApiServer
    database: Database
    tmp_path: Any
    channel: TelegramChannel | None = None
    _runner: web.AppRunner | None = None
    port: int = 0
    _phones: Iterator[int] = field(default_factory=lambda: itertools.count(5000))

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "telegram_token": self.server.token,
            "telegram_api_url": self.server.url,
            "secret_key": SECRET,
            "data_dir": self.tmp_path,
            "staff_telegram_ids": frozenset({777}),
            "database_url": None,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    async def start(
        self,
        *,
        webhook: bool = False,
        options: ChannelOptions = FAST,
        secret: str = "hook-secret",
        scheduler: Any = None,
        app: web.Application | None = None,
        **overrides: Any,
    ) -> TelegramChannel:
        """Start a channel on a new HTTP server; ``app`` (say, the whole of ``tilfreds run``) gets its routes."""
        app = app if app is not None else web.Application()
        port = free_port()
        if webhook:
            overrides |= {"webhook_url": f"http://127.0.0.1:{port}/telegram/webhook", "webhook_secret": secret}
        channel = TelegramChannel(self.settings(**overrides).bot_config(), self.database, scheduler, options)
        channel.setup_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.port = port
        await channel.start()
        self.channel = channel
        return channel

    async def stop(self) -> None:
        if self.channel is not None:
            await self.channel.stop()
            self.channel = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def settled(self, timeout: float = 5.0) -> None:
        """Wait until the server has handed over every update and the inbox has none waiting."""
        async with asyncio.timeout(timeout):
            while True:
                # Handed over first: an update delivered while the count below runs is in that count.
                handed_over = (
                    self.server.pending_updates == 0 or self.server.webhook_url is None and not self._polling_behind()
                )
                async with self.database.sessions() as session:
                    waiting = await session.scalar(select(func.count()).where(InboxUpdate.processed_at.is_(None)))
                if not waiting and handed_over:
                    return
                await asyncio.sleep(0.02)

    def _polling_behind(self) -> bool:
        """Whether updates are waiting for the bot's next getUpdates (polling mode)."""
        calls = self.server.calls_of("getUpdates")
        offset = int(calls[-1].params.get("offset") or 0) if calls else 0
        return any(u["update_id"] >= offset for u in self.server._pending)

    def phone(self, language_code: str | None = "da", **kwargs: Any) -> Phone:
        return Phone(self.server, next(self._phones), language_code=language_code, **kwargs)

    async def invite(
        self,
        survey: str = "citizen",
        *,
        segments: dict[str, str] | None = None,
        max_uses: int | None = 1,
        expires_in: timedelta | None = timedelta(days=30),
        count: int = 1,
    ) -> list[str]:
        async with self.database.sessions() as session, session.begin():
            _batch, issued = await invitations.create_batch(
                session,
                SECRET.encode(),
                survey_key=survey,
                segments=segments or {},
                count=count,
                created_by="test",
                expires_in=expires_in,
                max_uses=max_uses,
            )
        return [item.token for item in issued]


@pytest.fixture
async def harness(server: BotApiServer, database: Database, tmp_path: Any) -> AsyncIterator[Harness]:
    h = Harness(server, database, tmp_path)
    try:
        yield h
    finally:
        with contextlib.suppress(Exception):
            await h.stop()


@pytest.fixture
async def bot(harness: Harness) -> Harness:
    """A harness with a channel running in polling mode."""
    await harness.start()
    return harness
