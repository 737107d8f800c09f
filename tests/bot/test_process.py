"""`tilfreds run` as a real process answers a person through a Bot API server.

One mode is enough here (starting a process is slow); webhook mode runs in-process in test_delivery.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.bot.conftest import free_port
from tests.botapi import BotApiServer, Phone, press

TILFREDS = [sys.executable, "-m", "tilfreds"]


@pytest.mark.slow
async def test_tilfreds_run_answers_over_the_bot_api(tmp_path: Path) -> None:
    async with BotApiServer(token="42:PROCESS") as server:
        port = free_port()
        env = {
            **os.environ,
            "TILFREDS_TELEGRAM_TOKEN": server.token,
            "TILFREDS_TELEGRAM_API_URL": server.url,
            "TILFREDS_DATA_DIR": str(tmp_path),
            "TILFREDS_HTTP_PORT": str(port),
            "TILFREDS_SECRET_KEY": "process-test",
            "TILFREDS_DATABASE_URL": "",
            "TILFREDS_TELEGRAM_BOT_USERNAME": "tilfreds_test_bot",
        }
        invite = await asyncio.create_subprocess_exec(
            *TILFREDS,
            "invite",
            "--survey",
            "citizen",
            "--format",
            "json",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(invite.communicate(), 60)
        assert invite.returncode == 0, err.decode()[-2000:]
        token = json.loads(out)[0]["token"]
        run = await asyncio.create_subprocess_exec(*TILFREDS, "run", env=env, stderr=asyncio.subprocess.PIPE)
        try:
            phone = Phone(server, 101, language_code="da")
            await phone.dialog(
                [(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8"), (press("5 – Meget tilfreds"), "2/8")],
                timeout=30,
            )
        finally:
            run.send_signal(signal.SIGTERM)
            _, log = await asyncio.wait_for(run.communicate(), 30)
        assert run.returncode == 0, log.decode()[-2000:]
        assert [c.method for c in server.calls][:1] == ["getMe"]
