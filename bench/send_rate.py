"""Send rate: reminders through a local Bot API server that enforces Telegram's limits with 429s.

    .venv/bin/python -m bench send-rate [--reminders 1200]

The server is a strict referee (``tests.botapi.SendLimits``): at most 30 messages in any one-second
window and one message a second in each chat. The channel runs with its production limits
(``bot.sending.SendLimits()``); the scheduled reminder job is called until nothing is due.
Targets: no 429 at all, and at least 90% of the allowed 30 messages/s.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.channel import ChannelOptions, TelegramChannel
from db.database import Database
from db.models import utcnow
from db.repo import bulk, survey_versions
from surveys import builtin_surveys
from tests.botapi import BotApiServer, SendLimits
from tilfreds.settings import Settings

FIRST_CHAT = 10_000_000


async def _seed_open_responses(database: Database, count: int) -> None:
    """``count`` unfinished citizen responses, untouched for a day, each in its own chat."""
    survey = builtin_surveys()["citizen"]
    async with database.sessions.begin() as session:
        version = await survey_versions.ensure_version(session, survey)
        stale = utcnow() - timedelta(hours=25)
        rows = [
            {
                "survey_key": "citizen",
                "survey_version_id": version.id,
                "invitation_id": None,
                "respondent_id": None,
                "channel": "telegram",
                "status": "in_progress",
                "language": "da",
                "segments": {},
                "current_question": survey.questions[1].id,
                "chat_ref": FIRST_CHAT + i,
                "started_at": stale,
                "updated_at": stale,
                "completed_at": None,
                "reminded_at": None,
            }
            for i in range(count)
        ]
        await bulk.insert_responses(session, rows, [[] for _ in rows])


async def measure(count: int, tmp: Path) -> dict[str, Any]:
    limits = SendLimits(overall=30, per_chat=1)
    referee = subprocess.Popen(
        [sys.executable, "-m", "bench.referee", str(FIRST_CHAT), str(count), str(limits.overall), str(limits.per_chat)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = (await asyncio.to_thread(referee.stdout.readline)).strip()  # type: ignore[union-attr]
        database = Database(f"sqlite+aiosqlite:///{tmp}/send.sqlite3")
        await database.upgrade()
        await _seed_open_responses(database, count)
        settings = Settings(
            _env_file=None,
            telegram_token=BotApiServer().token,
            telegram_api_url=url,  # type: ignore[call-arg]
            secret_key="bench-secret",
            data_dir=tmp,
            database_url=None,
        )
        channel = TelegramChannel(settings.bot_config(), database, None, ChannelOptions(polling_timeout=1))
        await channel.start()
        try:
            started = time.perf_counter()
            reminded = 0
            while True:
                outcome = await channel.run_reminders()
                if not outcome.reminded:
                    break
                reminded += outcome.reminded
            wall = time.perf_counter() - started
            retries = channel.bot.rate_limiter.retries if channel.bot else 0  # type: ignore[union-attr]
        finally:
            await channel.stop()
            await database.dispose()
        out, _ = await asyncio.to_thread(referee.communicate, "stats\n", 30)
    finally:
        if referee.poll() is None:
            referee.kill()
    calls = json.loads(out.strip().splitlines()[-1])
    sent = [c for c in calls if c[0] == "sendMessage" and c[1] == 200]
    refused = [c for c in calls if c[1] == 429]
    times = [c[2] for c in calls if c[0] == "sendMessage"]
    busiest = max((bisect.bisect_right(times, t + 1.0 - 1e-9) - i for i, t in enumerate(times)), default=0)
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    if os.environ.get("BENCH_SEND_TRACE"):
        Path(os.environ["BENCH_SEND_TRACE"]).write_text(json.dumps(calls))
    seconds = [0] * (int(sent[-1][2] - sent[0][2]) + 1) if sent else [0]
    for c in sent:
        seconds[int(c[2] - sent[0][2])] += 1
    median_second = statistics.median(seconds[:-1] or seconds)  # the last second is cut short
    span = sent[-1][2] - sent[0][2] if len(sent) > 1 else float("nan")
    rate = (len(sent) - 1) / span if len(sent) > 1 else 0.0
    return {
        "reminded": reminded,
        "delivered": len(sent),
        "chats": len({c[3] for c in sent}),
        "http_429": len(refused),
        "limiter_retries": retries,
        "rate": rate,
        "allowed": limits.overall,
        "share_of_allowed": rate / limits.overall,
        "wall_s": wall,
        "busiest_second": busiest,
        "median_second": median_second,
        "gap_p10_ms": 1000 * gaps[len(gaps) // 10] if gaps else float("nan"),
    }


def run(count: int = 1200) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(measure(count, Path(tmp)))
    print("Send rate")
    print(
        f"  {figures['reminded']} reminders due, {figures['delivered']} delivered to {figures['chats']} chats "
        f"in {figures['wall_s']:.1f}s"
    )
    print(
        f"  429s received: {figures['http_429']} (limiter retries {figures['limiter_retries']}); "
        f"rate {figures['rate']:.2f} msg/s = {figures['share_of_allowed']:.1%} of the allowed "
        f"{figures['allowed']:.0f} msg/s (targets: 0 429s, >= 90%)"
    )
    print(
        f"  messages in the median whole second: {figures['median_second']:.0f}; "
        f"busiest one-second window: {figures['busiest_second']} attempts; 10th percentile gap between "
        f"attempts {figures['gap_p10_ms']:.1f} ms"
    )
    return figures
