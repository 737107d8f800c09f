"""`tilfreds run` as a real process, for tests: its environment, start, readiness, kill -9, CPU time, log.

The process talks to the tests' local Bot API server (:mod:`tests.botapi`) and to a real database;
the test plays the phones and looks at the database and at what the server saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from db.database import Database
from db.repo import invitations
from tests.bot.conftest import free_port
from tests.botapi import BotApiServer
from tilfreds.settings import SETTINGS_DOCS

TILFREDS = [sys.executable, "-m", "tilfreds"]
SECRET_KEY = "process-test"
WEBHOOK_SECRET = "process-hook"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def run_env(
    server: BotApiServer,
    data_dir: Path,
    *,
    port: int,
    database_url: str = "",
    webhook: bool = False,
    webhook_url: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """The environment of a `tilfreds run` against ``server``; nothing from the caller's TILFREDS_* leaks in."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_DOCS}
    env |= {
        "TILFREDS_TELEGRAM_TOKEN": server.token,
        "TILFREDS_TELEGRAM_API_URL": server.url,
        "TILFREDS_DATA_DIR": str(data_dir),
        "TILFREDS_HTTP_PORT": str(port),
        "TILFREDS_SECRET_KEY": SECRET_KEY,
        "TILFREDS_DATABASE_URL": database_url,
        "TILFREDS_TELEGRAM_BOT_USERNAME": server.username,
        "PYTHONUNBUFFERED": "1",
    }
    if webhook:
        env |= {
            "TILFREDS_WEBHOOK_URL": webhook_url or f"http://127.0.0.1:{port}/telegram/webhook",
            "TILFREDS_WEBHOOK_SECRET": WEBHOOK_SECRET,
        }
    return env | extra


async def invite(database: Database, count: int = 1, survey: str = "citizen") -> list[invitations.IssuedInvitation]:
    """Single-use invitations (``.id``, ``.token``), made with the processes' secret key."""
    async with database.sessions() as session, session.begin():
        _batch, issued = await invitations.create_batch(
            session,
            SECRET_KEY.encode(),
            survey_key=survey,
            segments={},
            count=count,
            created_by="test",
            expires_in=timedelta(days=30),
            max_uses=1,
        )
    return list(issued)


class TilfredsRun:
    """One `tilfreds run` process; its output goes to ``log_path`` (read it with :meth:`log`)."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.port = int(env["TILFREDS_HTTP_PORT"])
        self.process: asyncio.subprocess.Process | None = None
        self._log_file: Any = None
        self._log_offset = 0

    @classmethod
    def for_server(cls, server: BotApiServer, tmp_path: Path, name: str = "run", **kwargs: Any) -> TilfredsRun:
        port = kwargs.pop("port", None) or free_port()
        return cls(run_env(server, tmp_path, port=port, **kwargs), tmp_path / f"{name}.log")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self, timeout: float = 60.0) -> TilfredsRun:
        """Start the process and wait until its Telegram channel is receiving updates."""
        self._log_file = self.log_path.open("ab")
        self._log_offset = self.log_path.stat().st_size
        self.process = await asyncio.create_subprocess_exec(
            *TILFREDS, "run", env=self.env, stdout=self._log_file, stderr=asyncio.subprocess.STDOUT
        )
        await self.wait_for_log(("Telegram: long polling", "Telegram: webhook mode"), timeout)
        return self

    async def wait_for_log(self, fragments: tuple[str, ...], timeout: float) -> None:
        """Wait until the log (of this start) shows one of ``fragments``; fail if the process exits first."""
        async with asyncio.timeout(timeout):
            while True:
                text = self.log(since_start=True)
                if any(f in text for f in fragments):
                    return
                if not self.alive:
                    raise AssertionError(f"tilfreds run exited ({self.process.returncode}):\n{text[-3000:]}")
                await asyncio.sleep(0.05)

    def log(self, *, since_start: bool = False) -> str:
        """What the process logged (every start, or only since the latest)."""
        if not self.log_path.exists():
            return ""
        data = self.log_path.read_bytes()
        return data[self._log_offset if since_start else 0 :].decode(errors="replace")

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used so far (from /proc, no psutil needed)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime (fields 14 and 15)

    async def kill(self) -> None:
        """``kill -9``: no shutdown, no cleanup, whatever was in hand is lost."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self._close_log()

    async def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait: the exit code (0 for a clean shutdown)."""
        assert self.process is not None
        if self.alive:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        self._close_log()
        return self.process.returncode or 0

    def _close_log(self) -> None:
        if self._log_file is not None:
            with contextlib.suppress(OSError):
                self._log_file.close()
            self._log_file = None
