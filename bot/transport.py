"""Bot API requests over aiohttp: python-telegram-bot's transport in tilfreds.

python-telegram-bot sends through httpx unless told otherwise. With many chats answering at once
httpx cost most of the bot's CPU: its connection pool walks every open connection on each request,
and httpcore looks for the optional ``sniffio`` package on every request (a failed import searches
``sys.path`` each time). aiohttp, the process's HTTP server already, sends the same requests for
about a fifth of the CPU (bench/RESULTS.md, cost per answer).

PTB's documented way to change the transport is a :class:`telegram.request.BaseRequest` that
implements ``do_request``: status codes, JSON and Telegram's errors stay PTB's. Timeouts mean what
they mean for PTB's own ``HTTPXRequest``, with one difference: aiohttp has no write timeout of its
own, so a request as a whole is bounded by the sum of its pool, connect, write and read timeouts.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_Default = type(BaseRequest.DEFAULT_NONE)  # PTB's "not given" marker


class AiohttpRequest(BaseRequest):
    """A pool of keep-alive connections to the Bot API. Defaults are those of PTB's ``HTTPXRequest``."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        """Open the connection pool (again, after a shutdown)."""
        self._closed = False
        self._open()

    async def shutdown(self) -> None:
        """Close every connection."""
        self._closed = True
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                # The Bot API sets no cookies worth keeping; not parsing them is cheaper.
                cookie_jar=aiohttp.DummyCookieJar(),
                # HTTPS_PROXY / NO_PROXY from the environment, as PTB's httpx transport reads them.
                trust_env=True,
            )
        return self._session

    def _timeout(self, read: Any, write: Any, connect: Any, pool: Any, upload: bool) -> aiohttp.ClientTimeout:
        read = self._read if isinstance(read, _Default) else read
        write = (self._media_write if upload else self._write) if isinstance(write, _Default) else write
        connect = self._connect if isinstance(connect, _Default) else connect
        pool = self._pool if isinstance(pool, _Default) else pool
        parts = (pool, connect, write, read)
        total = None if any(p is None for p in parts) else sum(parts)
        # aiohttp's ``connect`` is waiting for a pooled connection plus opening one.
        waiting = None if pool is None or connect is None else pool + connect
        return aiohttp.ClientTimeout(total=total, connect=waiting, sock_connect=connect, sock_read=read)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; PTB turns the status and body into a result or one of its errors."""
        if self._closed:
            raise RuntimeError("This AiohttpRequest is shut down; initialize() it first")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else {}
        body: aiohttp.FormData | dict[str, str] = fields
        if files:
            body = aiohttp.FormData()
            for name, value in fields.items():
                body.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                body.add_field(name, content, filename=filename, content_type=mimetype)
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, bool(files))
        try:
            async with self._open().request(method, url, data=body or None, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts, ServerTimeoutError included
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc
