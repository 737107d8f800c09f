"""Database outage: `tilfreds run` keeps every answer through it, neither exits nor spins.

PostgreSQL is made unreachable for the process alone: it connects through a TCP proxy the test cuts
(every open connection dropped, new ones refused), so the shared server keeps serving other runs.
SQLite is locked: the test holds an exclusive transaction on the file. The outage lasts
``OUTAGE`` seconds, not 30: the behaviour (5xx or an offset that stays put, a bounded backoff) shows
within a few seconds, and the backoff is capped, so a longer outage only repeats the same steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from db.database import Database
from db.models import Answer
from tests.botapi import BotApiServer, Phone
from tests.faults.proxy import TcpProxy
from tests.faults.support import polling_offset, press_option, wait_message
from tests.processes import TilfredsRun, invite

PEOPLE = 5
OUTAGE = 8.0  # seconds
MAX_CPU_SHARE = 0.35  # of one core, during the outage; a busy loop would be close to 1.0


@contextlib.asynccontextmanager
async def sqlite_locked(url: str) -> AsyncIterator[None]:
    """Hold an exclusive transaction on the SQLite file: no one else can write until it ends."""
    path = make_url(url).database
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        await asyncio.to_thread(connection.execute, "BEGIN EXCLUSIVE")
        yield
    finally:
        await asyncio.to_thread(connection.execute, "ROLLBACK")
        connection.close()


async def health(port: int) -> int:
    async with (
        aiohttp.ClientSession() as client,
        client.get(f"http://127.0.0.1:{port}/healthz", timeout=aiohttp.ClientTimeout(total=10)) as reply,
    ):
        return reply.status


@pytest.mark.slow
@pytest.mark.parametrize(
    ("database_url", "webhook"),
    [
        pytest.param("sqlite", False, id="sqlite-polling"),
        pytest.param("postgres", False, id="postgres-polling", marks=pytest.mark.postgres),
        pytest.param("postgres", True, id="postgres-webhook", marks=pytest.mark.postgres),
    ],
    indirect=["database_url"],
)
async def test_a_database_outage_loses_no_answer_and_the_process_waits_calmly(
    database: Database, database_url: str, tmp_path: Path, webhook: bool
) -> None:
    postgres = not database.is_sqlite
    async with BotApiServer() as server, TcpProxy("127.0.0.1", make_url(database_url).port or 5432) as proxy:
        url = (
            make_url(database_url).set(port=proxy.port).render_as_string(hide_password=False)
            if postgres
            else database_url
        )
        invited = await invite(database, PEOPLE)
        run = TilfredsRun.for_server(server, tmp_path, database_url=url, webhook=webhook)
        await run.start()
        phones = [Phone(server, 8000 + i) for i in range(PEOPLE)]

        async def begin(i: int) -> None:
            phones[i].send(f"/start {invited[i].token}")
            await wait_message(phones[i], "/privacy")
            phones[i].press("Start ▶")
            await wait_message(phones[i], "1/8")

        await asyncio.gather(*(begin(i) for i in range(PEOPLE)))
        offset_before = polling_offset(server)
        cpu_before, wall_before = run.cpu_seconds(), time.monotonic()
        outage = proxy.cut if postgres else None
        async with contextlib.AsyncExitStack() as stack:
            if outage is not None:
                outage()
            else:
                await stack.enter_async_context(sqlite_locked(database_url))
            during = {press_option(phone, str(i % 5 + 1)) for i, phone in enumerate(phones)}
            if webhook:
                await server.webhook_attempt(503, timeout=OUTAGE)  # refused, so Telegram will retry
            if postgres:
                assert await health(run.port) == 503
            await asyncio.sleep(OUTAGE)  # the outage itself; the assertions below wait for conditions
            cpu_share = (run.cpu_seconds() - cpu_before) / (time.monotonic() - wall_before)
            assert run.alive
            async with database.sessions() as session:
                assert list(await session.scalars(select(Answer))) == []
            if webhook:
                statuses = {status for uid, status in server.webhook_attempts if uid in during}
                assert statuses == {503}, statuses
                assert len([uid for uid, _ in server.webhook_attempts if uid in during]) > 1
            else:
                assert polling_offset(server) == offset_before <= min(during)
            if postgres:
                proxy.restore()
        assert cpu_share < MAX_CPU_SHARE, f"the process used {cpu_share:.0%} of a core while the database was down"

        # Recovered: every answer given during the outage is stored and answered.
        await asyncio.gather(*(wait_message(phone, "2/8", timeout=45) for phone in phones))
        async with database.sessions() as session:
            stored = sorted((await session.execute(select(Answer.response_id, Answer.option))).all())
        assert len(stored) == PEOPLE and sorted(o for _, o in stored) == sorted(str(i % 5 + 1) for i in range(PEOPLE))
        assert await health(run.port) == 200
        code = await run.stop()
        assert code == 0, run.log()[-3000:]
