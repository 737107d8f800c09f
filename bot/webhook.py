"""``POST /telegram/webhook``: Telegram pushes updates here in webhook mode.

The secret header is compared in constant time (403 and nothing stored otherwise). An update is
acknowledged with 200 only after it was committed to the inbox; if the database is down the
answer is 503, and Telegram delivers it again later.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Iterable

from aiohttp import web
from telegram import Bot, Update

from bot import intake
from db.database import Database

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024


class WebhookRoute:
    """The webhook request handler, bound to the channel's database, secret and bot."""

    def __init__(
        self,
        database: Database,
        secret: bytes,
        webhook_secret: str,
        bot: Callable[[], Bot | None],
        on_stored: Callable[[Iterable[str]], None],
    ) -> None:
        self.database = database
        self.secret = secret
        self._expected = webhook_secret.encode()
        self._bot = bot
        self._on_stored = on_stored

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")  # any bytes: no 500
        if not hmac.compare_digest(given, self._expected):
            return web.Response(status=403, text="forbidden")
        bot = self._bot()
        if bot is None:  # not started yet: Telegram will try again
            return web.Response(status=503, text="starting")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="too large")
        body = await request.read()
        try:
            update = Update.de_json(json.loads(body), bot)
            if not isinstance(update, Update):
                raise TypeError("not an update")
        except Exception as exc:  # noqa: BLE001 - parsing touches nothing; whatever fails to parse is junk
            # A malformed update will never parse (JSON nested too deep, an object where a field belongs, …):
            # acknowledge it so Telegram stops sending it. 503 is only for a database that is down.
            log.warning("webhook: an update could not be parsed and was dropped (%s)", type(exc).__name__)
            return web.Response(status=200, text="ignored")
        try:
            stored = await intake.store(self.database, self.secret, [update])
        except Exception as exc:
            log.error("webhook: could not store an update: %s", type(exc).__name__)
            return web.Response(status=503, text="try again")
        if stored.malformed:
            return web.Response(status=200, text="ignored")
        self._on_stored(stored.chats)
        return web.Response(status=200, text="ok")
