"""A local Bot API server: enough of Telegram for the bot to run against over real HTTP.

It speaks ``/bot<token>/<method>`` with JSON, form and multipart bodies and answers like
Telegram does (``{"ok": true, "result": …}``, errors with ``error_code`` and
``parameters.retry_after``). Updates reach the bot either by ``getUpdates`` long polling or,
after ``setWebhook``, by POSTs to the webhook URL, retried until the bot answers 2xx.

Every call is recorded with a monotonic timestamp (:attr:`BotApiServer.calls`), so tests can
measure what the bot did (e.g. that it waited for ``retry_after``) without sleeping.

With ``limits=SendLimits(...)`` the server enforces Telegram's send limits as a strict referee:
at most ``overall`` messages in any one-second window, and a chat's messages at least
``1/per_chat`` seconds apart (after ``per_chat_burst`` free ones); a message over either limit
gets a 429 with ``retry_after`` and is not delivered. The benchmarks use it to prove the bot's
rate limiter never trips Telegram's.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

# Form fields that stay strings even when they look like JSON numbers.
_STRING_FIELDS = {
    "text",
    "caption",
    "callback_query_id",
    "secret_token",
    "url",
    "description",
    "short_description",
    "name",
    "parse_mode",
    "filename",
}


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic()
    status: int = 200


@dataclass
class Fault:
    status: int
    retry_after: int | None = None
    description: str = ""


@dataclass(frozen=True)
class SendLimits:
    """Send limits the server enforces with 429s (see the module docstring)."""

    overall: float = 30.0  # messages in any one-second window
    per_chat: float = 1.0  # messages a second in one chat
    per_chat_burst: int = 1  # messages a chat may get back to back before the spacing applies
    retry_after: int = 1


# What counts as a message against the limits (answering a callback query does not).
_LIMITED = {"sendmessage", "senddocument", "editmessagetext", "editmessagereplymarkup"}


class _Referee:
    """Decides whether a message may go now; remembers what went."""

    def __init__(self, limits: SendLimits) -> None:
        self.limits = limits
        self._recent: deque[float] = deque()  # times of the messages in the last second
        self._chats: dict[int, tuple[float, float]] = {}  # chat -> (tokens, at)

    def admit(self, chat_id: int, now: float) -> bool:
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.limits.overall:
            return False
        burst = float(max(1, self.limits.per_chat_burst))
        tokens, at = self._chats.get(chat_id, (burst, now))
        tokens = min(burst, tokens + (now - at) * self.limits.per_chat)
        if tokens < 1.0 - 1e-9:
            return False
        self._chats[chat_id] = (tokens - 1.0, now)
        self._recent.append(now)
        return True


@dataclass
class BotEvent:
    """Something the bot did that a phone sees: a message, an edit, a toast, a deleted message."""

    kind: str  # "message" | "edit" | "toast" | "document" | "delete"
    chat_id: int
    text: str | None
    message_id: int | None = None
    reply_markup: dict[str, Any] | None = None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        if not self.reply_markup:
            return []
        return [b for row in self.reply_markup.get("inline_keyboard", []) for b in row]

    @property
    def labels(self) -> list[str]:
        return [b["text"] for b in self.buttons]


@dataclass
class _Chat:
    id: int
    type: str
    events: asyncio.Queue[BotEvent] = field(default_factory=asyncio.Queue)


class BotApiError(Exception):
    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


class BotApiServer:
    """The server. ``async with BotApiServer() as server:`` starts it on a free local port."""

    def __init__(
        self, token: str = "123456:TEST-token", username: str = "tilfreds_test_bot", limits: SendLimits | None = None
    ) -> None:
        self.token = token
        self.limits = limits
        self._referee = _Referee(limits) if limits is not None else None
        self.rate_limited = 0  # 429s the referee gave out
        self.bot_id = int(token.split(":")[0])
        self.username = username
        self.calls: list[Call] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.delays: dict[str, deque[float]] = defaultdict(deque)  # answer late, after doing the work
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_attempts: list[tuple[int, int]] = []  # (update_id, status)
        self._attempted = asyncio.Event()
        self._called = asyncio.Event()
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._pending: list[dict[str, Any]] = []  # updates not yet confirmed (polling) or delivered (webhook)
        self._arrived = asyncio.Condition()
        self._chats: dict[int, _Chat] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._callbacks: dict[str, int] = {}  # callback_query id -> chat id
        self._runner: web.AppRunner | None = None
        self._delivery: asyncio.Task[None] | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        await self._stop_delivery()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> BotApiServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- what tests use ----------------------------------------------------------------------

    def register_chat(self, chat_id: int, chat_type: str = "private") -> asyncio.Queue[BotEvent]:
        chat = self._chats.setdefault(chat_id, _Chat(chat_id, chat_type))
        return chat.events

    def push_update(self, update: dict[str, Any], update_id: int | None = None) -> int:
        """Queue an update for the bot; gives it the next ``update_id`` unless one is given."""
        update = dict(update)
        update["update_id"] = update_id if update_id is not None else next(self._ids)
        self._pending.append(update)
        self._wake()
        return update["update_id"]

    def fail_next(self, method: str, times: int = 1, *, status: int = 429, retry_after: int | None = 1) -> None:
        """Make the next ``times`` calls of ``method`` fail (429 with ``retry_after``, or a 5xx)."""
        for _ in range(times):
            self.faults[method].append(Fault(status, retry_after if status == 429 else None))

    def delay_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` succeed but answer only after ``seconds``: a read
        timeout for a bot that waits less, with the work (a message sent, say) already done."""
        self.delays[method].extend([seconds] * times)

    async def webhook_attempt(self, status: int, timeout: float = 5.0) -> int:
        """Wait for a webhook delivery that got ``status``; returns its update id."""
        async with asyncio.timeout(timeout):
            while True:
                for update_id, seen in self.webhook_attempts:
                    if seen == status:
                        return update_id
                self._attempted.clear()
                await self._attempted.wait()

    async def next_call(self, method: str) -> Call:
        """Wait for the next call of ``method`` (one made after this was called)."""
        seen = len(self.calls)
        while True:
            self._called.clear()
            await self._called.wait()
            for call in self.calls[seen:]:
                if call.method == method:
                    return call
            seen = len(self.calls)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    @property
    def pending_updates(self) -> int:
        return len(self._pending)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self._messages.get((chat_id, message_id))

    # -- internals ---------------------------------------------------------------------------

    def _wake(self) -> None:
        async def notify() -> None:
            async with self._arrived:
                self._arrived.notify_all()

        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().create_task(notify())

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.read()
            return json.loads(body) if body else {}
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = {"filename": value.filename, "size": len(value.file.read())}
                else:
                    params[key] = value
        for key, value in list(params.items()):
            if isinstance(value, str) and key not in _STRING_FIELDS:
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await self._params(request)
        except (ValueError, UnicodeDecodeError):
            return self._error(Call(method, {}, time.monotonic()), 400, "Bad Request: can't parse body")
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        self._called.set()
        if request.match_info["token"] != self.token:
            return self._error(call, 401, "Unauthorized")
        if self.faults.get(method):
            fault = self.faults[method].popleft()
            if fault.status == 429:
                return self._error(
                    call, 429, f"Too Many Requests: retry after {fault.retry_after}", {"retry_after": fault.retry_after}
                )
            return self._error(call, fault.status, "Internal Server Error")
        if self._referee is not None and method.lower() in _LIMITED and "chat_id" in params:
            with contextlib.suppress(TypeError, ValueError):
                if not self._referee.admit(int(params["chat_id"]), call.at):
                    self.rate_limited += 1
                    after = self._referee.limits.retry_after
                    return self._error(call, 429, f"Too Many Requests: retry after {after}", {"retry_after": after})
        handler = getattr(self, "_m_" + method.lower(), None)
        if handler is None:
            return self._error(call, 404, "Not Found: method not found")
        try:
            result = await handler(params)
        except BotApiError as exc:
            return self._error(call, exc.status, exc.description, exc.parameters)
        except (KeyError, TypeError, ValueError) as exc:
            return self._error(call, 400, f"Bad Request: {exc}")
        if self.delays.get(method):
            await asyncio.sleep(self.delays[method].popleft())
        return web.json_response({"ok": True, "result": result})

    def _error(
        self, call: Call, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> web.Response:
        call.status = status
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=status)

    def _me(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Tilfreds", "username": self.username}

    def _chat(self, params: dict[str, Any]) -> _Chat:
        chat_id = int(params["chat_id"])
        if chat_id not in self._chats:
            raise BotApiError(400, "Bad Request: chat not found")
        return self._chats[chat_id]

    def _emit(self, chat: _Chat, event: BotEvent) -> None:
        chat.events.put_nowait(event)

    # -- methods -----------------------------------------------------------------------------

    async def _m_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._me(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise BotApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while not self._pending and time.monotonic() < deadline:
            async with self._arrived:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
            if offset:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
        return sorted(self._pending, key=lambda u: u["update_id"])[:limit]

    async def _m_setwebhook(self, params: dict[str, Any]) -> bool:
        await self._stop_delivery()
        self.webhook_url = params["url"] or None
        self.webhook_secret = params.get("secret_token")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if self.webhook_url:
            self._delivery = asyncio.create_task(self._deliver())
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> bool:
        await self._stop_delivery()
        self.webhook_url = None
        self.webhook_secret = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        text = str(params["text"])
        if not text.strip():
            raise BotApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise BotApiError(400, "Bad Request: message is too long")
        message = self._new_message(chat, text=text, reply_markup=params.get("reply_markup"))
        self._emit(chat, BotEvent("message", chat.id, text, message["message_id"], message.get("reply_markup")))
        return message

    async def _m_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        document = params.get("document") or {}
        name = document.get("filename") if isinstance(document, dict) else str(document)
        message = self._new_message(chat, caption=params.get("caption"))
        message["document"] = {"file_id": f"doc{message['message_id']}", "file_unique_id": "u", "file_name": name}
        self._emit(chat, BotEvent("document", chat.id, name, message["message_id"]))
        return message

    def _new_message(self, chat: _Chat, **fields: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": self._me(),
            "chat": {"id": chat.id, "type": chat.type},
            "date": int(time.time()),
        }
        message.update({k: v for k, v in fields.items() if v is not None})
        self._messages[(chat.id, message["message_id"])] = message
        return message

    def _stored(self, params: dict[str, Any]) -> tuple[_Chat, dict[str, Any]]:
        chat = self._chat(params)
        message = self._messages.get((chat.id, int(params["message_id"])))
        if message is None:
            raise BotApiError(400, "Bad Request: message to edit not found")
        return chat, message

    async def _m_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._stored(params)
        text = str(params["text"])
        markup = params.get("reply_markup")
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise BotApiError(
                400,
                "Bad Request: message is not modified: specified new message content "
                "and reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        message["text"] = text
        message["edit_date"] = int(time.time())
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        self._emit(chat, BotEvent("edit", chat.id, text, message["message_id"], markup))
        return message

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._stored(params)
        markup = params.get("reply_markup")
        if message.get("reply_markup") == markup:
            raise BotApiError(400, "Bad Request: message is not modified")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        self._emit(chat, BotEvent("edit", chat.id, message.get("text"), message["message_id"], markup))
        return message

    async def _m_deletemessage(self, params: dict[str, Any]) -> bool:
        chat, message = self._stored(params)
        del self._messages[(chat.id, message["message_id"])]
        self._emit(chat, BotEvent("delete", chat.id, None, message["message_id"]))
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        chat_id = self._callbacks.pop(query_id, None)
        if chat_id is None:
            raise BotApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self._emit(self._chats[chat_id], BotEvent("toast", chat_id, params.get("text") or ""))
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_getmycommands(self, params: dict[str, Any]) -> list[Any]:
        return []

    # -- webhook delivery --------------------------------------------------------------------

    async def _stop_delivery(self) -> None:
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None

    async def _deliver(self) -> None:
        """POST pending updates in order until each gets a 2xx, like Telegram (which keeps them 24 h)."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if self.webhook_secret else {}
        backoff = 0.05
        async with aiohttp.ClientSession() as client:
            while True:
                if not self._pending:
                    async with self._arrived:
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(self._arrived.wait(), 1)
                    continue
                update = self._pending[0]
                try:
                    async with client.post(
                        self.webhook_url or "", json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=10)
                    ) as reply:
                        status = reply.status
                except (aiohttp.ClientError, TimeoutError):
                    status = 0
                self.webhook_attempts.append((update["update_id"], status))
                self._attempted.set()
                if 200 <= status < 300:
                    if self._pending and self._pending[0] is update:
                        self._pending.pop(0)
                    backoff = 0.05
                else:
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 1.0)
