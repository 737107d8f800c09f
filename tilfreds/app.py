"""The composition root of ``tilfreds run``: database, HTTP server, scheduler and Telegram channel.

One process serves everything on one port: ``/healthz``, the Telegram webhook, the staff pages and the
respondent pages (``/s/<token>``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from typing import Any

from aiohttp import web

from db.database import Database
from tilfreds import __version__
from tilfreds.settings import Settings
from tilfreds.web import setup_staff
from tilfreds.web.hsts import strict_transport
from tilfreds.web.keys import DATABASE_KEY, SETTINGS_KEY, TELEGRAM_KEY
from tilfreds.web.respond import setup_respond

log = logging.getLogger("tilfreds")


async def healthz(request: web.Request) -> web.Response:
    """Liveness and readiness: 200 when the database answers, 503 when it does not."""
    database = request.app[DATABASE_KEY]
    ok = await database.ping()
    body = {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "database": {"ok": ok, "dialect": database.dialect},
        "telegram": request.app[TELEGRAM_KEY],
    }
    return web.json_response(body, status=200 if ok else 503)


def build_app(settings: Settings, database: Database, telegram: str = "off") -> web.Application:
    """The aiohttp application with every route; channels add theirs before it starts."""
    app = web.Application(client_max_size=1024 * 1024, middlewares=[strict_transport])
    app[SETTINGS_KEY] = settings
    app[DATABASE_KEY] = database
    app[TELEGRAM_KEY] = telegram
    app.router.add_get("/healthz", healthz)
    setup_staff(app)
    setup_respond(app)
    return app


# Libraries whose DEBUG lines would carry secrets or what people wrote: request URLs hold the bot token,
# aiosqlite logs every statement with its parameters (an answer's text, an inbox payload).
QUIET_LOGGERS = ("httpx", "httpcore", "telegram.ext", "apscheduler.executors.default", "aiosqlite")


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def build_scheduler(settings: Settings) -> Any:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    return AsyncIOScheduler(timezone=settings.timezone)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or until ``stop`` is set)."""
    database = Database(settings.effective_database_url)
    await database.upgrade()
    log.info("database ready: %s", database.safe_url())
    settings.secret()  # create the key file now rather than on the first answer

    scheduler = build_scheduler(settings)
    channel = None
    if settings.telegram_enabled:
        from bot.channel import TelegramChannel
        from tilfreds.web.respond.links import web_link

        public_url = settings.public_url
        channel = TelegramChannel(
            settings.bot_config(),
            database,
            scheduler,
            web_link=functools.partial(web_link, public_url) if public_url else None,
        )
        mode = "webhook" if settings.webhook_mode else "polling"
    else:
        mode = "off"
        log.warning(
            "Telegram is off: set TILFREDS_TELEGRAM_TOKEN (a bot token from @BotFather) to let people answer "
            "in Telegram."
        )
    from analytics.jobs import register_jobs

    register_jobs(scheduler, settings, database, notify=channel.notify_staff if channel else None)
    app = build_app(settings, database, telegram=mode)
    if channel is not None:
        channel.setup_routes(app)

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.http_host, settings.http_port)
    await site.start()
    log.info(
        "HTTP server on http://%s:%s (health: /healthz, staff pages: /staff/, answering: /s/<token>)",
        settings.http_host,
        settings.http_port,
    )

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        scheduler.start()
        if channel is not None:
            await channel.start()
        await stop.wait()
    finally:
        log.info("shutting down")
        if channel is not None:
            await channel.stop()
        if scheduler.running:
            scheduler.shutdown(wait=False)
        await runner.cleanup()
        await _finish_background_tasks(timeout=10)
        await database.dispose()


async def _finish_background_tasks(timeout: float) -> None:
    """Cancel what is still running (a scheduled job, say) while the database is still open.

    A task cancelled after the database is disposed can wait for its connection forever.
    """
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        _done, still = await asyncio.wait(tasks, timeout=timeout)
        if still:
            log.warning("%d background task(s) did not stop in %.0f s", len(still), timeout)
