"""`tilfreds run` as a real process answers a person through a Bot API server, in both modes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.botapi import BotApiServer, Phone, press
from tests.processes import TILFREDS, WEBHOOK_SECRET, TilfredsRun


@pytest.mark.slow
@pytest.mark.parametrize("webhook", [False, True], ids=["polling", "webhook"])
async def test_tilfreds_run_answers_over_the_bot_api(tmp_path: Path, webhook: bool) -> None:
    async with BotApiServer(token="42:PROCESS") as server:
        run = TilfredsRun.for_server(server, tmp_path, webhook=webhook)
        invite = await asyncio.create_subprocess_exec(
            *TILFREDS, "invite", "--survey", "citizen", "--format", "json", env=run.env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(invite.communicate(), 60)
        assert invite.returncode == 0, err.decode()[-2000:]
        token = json.loads(out)[0]["token"]
        await run.start()
        try:
            phone = Phone(server, 101, language_code="da")
            await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8"),
                                (press("5 – Meget tilfreds"), "2/8")], timeout=30)
        finally:
            code = await run.stop()
        assert code == 0, run.log()[-2000:]
        assert server.webhook_secret == (WEBHOOK_SECRET if webhook else None)
