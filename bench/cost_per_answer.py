"""Cost per answer: CPU time of the full path of one answer against a bare python-telegram-bot echo bot.

    .venv/bin/python -m bench cost-per-answer [--updates 1200] [--postgres URL] [--profile DIR]

Phones (in this process) talk to each bot (its own process) through one local Bot API server. For
tilfreds, each phone opens the citizen survey (not measured) and then answers every question — a
button press, or text for the free-text question — waiting for the next question each time. One
update is one answer: stored in the inbox, state loaded, answer stored, the question edited and the
next one sent. The echo bot then gets exactly the same updates, chat by chat in the same lockstep, and
so does the same echo bot over tilfreds' aiohttp transport (the floor for a python-telegram-bot bot).
The bot process's CPU time (user + system, from /proc) over the measured phase, divided by the
updates, is the cost per update. On SQLite the database work is inside the bot process; PostgreSQL's
server process is not counted (its CPU is reported apart).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bench.measure import median, process_cpu, spread, spy_on
from db.database import Database
from db.repo import invitations
from tests.botapi import BotApiServer, Phone

SECRET = b"bench-secret"
SKIPPED = {"skip", "dk", "na"}
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass
class BotRun:
    bot: str
    updates: int
    cpu: float  # bot process CPU seconds over the measured phase
    wall: float
    server_cpu: float = 0.0  # PostgreSQL backends (not in the bot's own CPU)

    @property
    def cpu_per_update_ms(self) -> float:
        return 1000 * self.cpu / self.updates

    @property
    def capacity(self) -> float:
        """Answers a second one process could do with a whole core (1 / CPU per update)."""
        return self.updates / self.cpu if self.cpu else float("inf")


class BotProcess:
    """A bot in a process of its own; with ``profile`` (a file), py-spy samples it into a flame graph."""

    def __init__(self, *args: str, profile: Path | None = None) -> None:
        self.args = args
        self.profile = profile
        self.proc: subprocess.Popen[str] | None = None
        self.spy: subprocess.Popen[bytes] | None = None

    async def __aenter__(self) -> BotProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.bots", *self.args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        line = await asyncio.to_thread(self.proc.stdout.readline)  # type: ignore[union-attr]
        if line.strip() != "ready":
            self.proc.kill()
            raise RuntimeError(f"bot did not start: {line}{self.proc.stderr.read()[-3000:]}")  # type: ignore[union-attr]
        if self.profile is not None:
            # Attached after start-up, so the graph shows the answering; --gil: CPU on the main interpreter.
            try:
                self.spy = spy_on(self.proc.pid, self.profile)
            except RuntimeError:
                self.proc.kill()
                raise
            await asyncio.sleep(1.0)  # py-spy attaches
        return self

    @property
    def cpu(self) -> float:
        assert self.proc is not None
        return process_cpu(self.proc.pid)

    async def __aexit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        try:
            await asyncio.to_thread(self.proc.wait, 15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if self.spy is not None:
            await asyncio.to_thread(self.spy.wait, 30)  # py-spy writes the graph when the bot exits


def _choice(phone: Phone) -> tuple[str, int] | None:
    """The button to press on the latest question (a 4 if there is one), or None for a free-text question."""
    latest = phone.seen[-1]
    answers = [b for b in latest.buttons if b.get("callback_data", "").startswith("a1:")]
    real = [b for b in answers if b["callback_data"].rsplit(":", 1)[1] not in SKIPPED]
    if not real:
        return None
    four = [b for b in real if b["callback_data"].endswith(":4")]
    return (four or real)[0]["callback_data"], latest.message_id  # type: ignore[return-value]


async def _open_survey(phone: Phone, token: str) -> None:
    phone.send(f"/start {token}")
    welcome = await phone.expect_message(timeout=60)
    start = next(b for b in welcome.buttons if b["callback_data"].startswith("s1:"))
    phone.press_data(start["callback_data"], welcome.message_id)
    await phone.expect_message(timeout=60)


async def _answer_all(phone: Phone) -> int:
    """Answer until the thanks; returns the updates sent. Each update is recorded for the echo bot."""
    sent = 0
    while True:
        choice = _choice(phone)
        if choice is None:
            phone.send("Kortere ventetid i telefonen, tak.")
            await phone.expect_message(timeout=60)
            return sent + 1
        phone.press_data(*choice)
        sent += 1
        message = await phone.expect_message(timeout=60)
        if not message.buttons:
            return sent  # the thanks after the last question


async def _postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on this machine (utime + stime)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in {"postgres", "postmaster"}:
                    total += process_cpu(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return total


async def run_tilfreds(
    database_url: str,
    phones: int,
    label: str,
    profile: Path | None = None,
) -> tuple[BotRun, dict[int, list[dict[str, Any]]]]:
    database = Database(database_url)
    await database.upgrade()
    async with database.sessions.begin() as session:
        _batch, issued = await invitations.create_batch(
            session, SECRET, survey_key="citizen", segments={}, count=phones, created_by="bench", max_uses=1
        )
    await database.dispose()
    recorded: dict[int, list[dict[str, Any]]] = {}
    async with (
        BotApiServer() as server,
        BotProcess("tilfreds", server.url, server.token, database_url, profile=profile) as bot,
    ):
        team = [Phone(server, 9_000_000 + i) for i in range(phones)]
        await asyncio.gather(*(_open_survey(p, item.token) for p, item in zip(team, issued, strict=True)))
        push = server.push_update

        def recording(update: dict[str, Any], update_id: int | None = None) -> int:
            chat = update.get("message") or update.get("callback_query", {}).get("message") or {}
            recorded.setdefault(chat.get("chat", {}).get("id"), []).append(update)
            return push(update, update_id)

        server.push_update = recording  # type: ignore[method-assign]
        pg0, cpu0, t0 = await _postgres_cpu(), bot.cpu, time.perf_counter()
        sent = await asyncio.gather(*(_answer_all(p) for p in team))
        wall, cpu, pg = time.perf_counter() - t0, bot.cpu - cpu0, await _postgres_cpu() - pg0
    return BotRun(label, sum(sent), cpu, wall, pg if "postgres" in label else 0.0), recorded


async def run_echo(
    recorded: dict[int, list[dict[str, Any]]],
    kind: str = "echo",
    profile: Path | None = None,
) -> BotRun:
    async with BotApiServer() as server, BotProcess(kind, server.url, server.token, profile=profile) as bot:
        team = {chat: Phone(server, chat) for chat in recorded}

        async def replay(chat: int) -> int:
            phone = team[chat]
            for update in recorded[chat]:
                if "callback_query" in update:
                    server._callbacks[update["callback_query"]["id"]] = chat
                server.push_update({k: v for k, v in update.items() if k != "update_id"})
                await phone.expect_message(timeout=60)
            return len(recorded[chat])

        cpu0, t0 = bot.cpu, time.perf_counter()
        sent = await asyncio.gather(*(replay(chat) for chat in recorded))
        wall, cpu = time.perf_counter() - t0, bot.cpu - cpu0
    return BotRun(kind, sum(sent), cpu, wall)


async def _postgres_database(server_url: str) -> str | None:
    name = f"tilfreds_bench_{secrets.token_hex(4)}"
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with asyncio.timeout(10), engine.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - no server: the PostgreSQL figures are left out and say so
        print(f"  PostgreSQL not available ({type(exc).__name__}): its figures are left out")
        return None
    finally:
        await engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def _drop(server_url: str, url: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        await engine.dispose()


def _progress(run: BotRun) -> None:
    print(
        f"    {run.bot}: {run.updates} updates, {run.cpu_per_update_ms:.2f} ms CPU each, {run.wall:.1f}s wall",
        flush=True,
    )


async def measure(
    updates: int, postgres: str | None, repeats: int, profile: Path | None = None
) -> dict[str, list[BotRun]]:
    phones = max(1, updates // 8)  # the citizen survey has 8 questions: 8 answers a phone
    runs: dict[str, list[BotRun]] = {"tilfreds-sqlite": [], "tilfreds-postgres": [], "echo": [], "echo-aiohttp": []}
    server_url = postgres or os.environ.get("TILFREDS_TEST_POSTGRES_URL") or DEFAULT_POSTGRES

    def graph(name: str, attempt: int) -> Path | None:
        return profile / f"{name}-{attempt + 1}.svg" if profile is not None else None

    for attempt in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            run, recorded = await run_tilfreds(
                f"sqlite+aiosqlite:///{tmp}/answers.sqlite3",
                phones,
                "tilfreds-sqlite",
                graph("tilfreds-sqlite", attempt),
            )
        runs["tilfreds-sqlite"].append(run)
        runs["echo"].append(await run_echo(recorded, "echo", graph("echo", attempt)))
        runs["echo-aiohttp"].append(await run_echo(recorded, "echo-aiohttp", graph("echo-aiohttp", attempt)))
        for bot in ("tilfreds-sqlite", "echo", "echo-aiohttp"):
            _progress(runs[bot][-1])
        url = await _postgres_database(server_url)
        if url is not None:
            try:
                run, _ = await run_tilfreds(url, phones, "tilfreds-postgres", graph("tilfreds-postgres", attempt))
                runs["tilfreds-postgres"].append(run)
                _progress(run)
            finally:
                await _drop(server_url, url)
    return runs


def run(
    updates: int = 1200, *, postgres: str | None = None, repeats: int = 3, profile: Path | None = None
) -> dict[str, Any]:
    """Measure; with ``profile`` (a folder) each bot run also leaves a py-spy flame graph there (its CPU
    figures then include py-spy's sampling and are for finding hot spots, not for the record)."""
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
    runs = asyncio.run(measure(updates, postgres, repeats, profile))
    echo = median([r.cpu_per_update_ms for r in runs["echo"]])
    print(f"Cost per answer ({runs['echo'][0].updates} updates per run, {repeats} runs, medians)")
    figures: dict[str, Any] = {"updates": runs["echo"][0].updates, "repeats": repeats}
    for name, found in runs.items():
        if not found:
            continue
        per = [r.cpu_per_update_ms for r in found]
        cost = median(per)
        line = (
            f"  {name:<18} CPU {spread(per)} ms/update; {median([r.capacity for r in found]):,.0f} answers/s "
            f"per core; {median([r.updates / r.wall for r in found]):,.0f} updates/s wall"
        )
        if name != "echo":
            line += f"; {cost / echo:.1f}x the echo bot"
        if name == "echo-aiohttp":
            line += " (the same echo bot over tilfreds' transport: the floor for a python-telegram-bot bot here)"
        if name == "tilfreds-postgres":
            line += f" (+ PostgreSQL server {median([1000 * r.server_cpu / r.updates for r in found]):.2f} ms/update)"
        print(line)
        figures[name] = {
            "cpu_ms_per_update": cost,
            "answers_per_s_cpu": median([r.capacity for r in found]),
            "ratio_to_echo": cost / echo,
            "runs": per,
        }
    print("  targets: <= 4x the echo bot, >= 1,000 answers/s per process on SQLite")
    return figures
