"""Crash: `kill -9` of `tilfreds run` in the middle of 20 surveys, then a restart.

Every update the Bot API server saw acknowledged is stored exactly once, nothing is answered twice,
and every person, sending /start again, is back at the question they had reached. Each database runs
one way in (SQLite with long polling, PostgreSQL with the webhook) to keep the time down; both ways
acknowledge only after the inbox commit, which is the same code on both databases.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from db.database import Database
from db.models import Answer, InboxUpdate, Invitation, Response, utcnow
from tests.botapi import BotApiServer, Phone
from tests.faults.support import acknowledged, drain, press_option, quiet, until, wait_message
from tests.processes import TilfredsRun, invite

PEOPLE = 20
QUESTIONS = ["overall", "heard", "respect", "understood", "own_plan"]


def choices(person: int) -> list[str]:
    """What person ``person`` answers, question by question (a skip among them)."""
    return [str(person % 5 + 1), "4", "skip", "2", str(5 - person % 3)]


async def stored_answers(database: Database) -> dict[int, dict[str, str | None]]:
    """Invitation id -> question -> option, for every stored answer."""
    async with database.sessions() as session:
        rows = await session.execute(
            select(Response.invitation_id, Answer.question_id, Answer.option).join(
                Answer, Answer.response_id == Response.id
            )
        )
    found: dict[int, dict[str, str | None]] = {}
    for invitation_id, question_id, option in rows:
        found.setdefault(invitation_id, {})[question_id] = option
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("database_url", "webhook"),
    [
        pytest.param("sqlite", False, id="sqlite-polling"),
        pytest.param("postgres", True, id="postgres-webhook", marks=pytest.mark.postgres),
    ],
    indirect=["database_url"],
)
async def test_kill_9_mid_survey_loses_nothing_doubles_nothing_and_everyone_resumes(
    database: Database, database_url: str, tmp_path: Path, webhook: bool
) -> None:
    async with BotApiServer() as server:
        invited = await invite(database, PEOPLE)
        run = TilfredsRun.for_server(server, tmp_path, database_url=database_url, webhook=webhook)
        await run.start()
        phones = [Phone(server, 7000 + i) for i in range(PEOPLE)]
        pushed: list[set[int]] = [set() for _ in range(PEOPLE)]
        began = [False] * PEOPLE
        answered: list[list[str]] = [[] for _ in range(PEOPLE)]  # options pressed (sent to Telegram)

        async def survey(i: int) -> None:
            phone = phones[i]
            pushed[i].add(phone.send(f"/start {invited[i].token}"))
            await wait_message(phone, "/privacy")
            pushed[i].add(phone.press("Start ▶"))
            began[i] = True
            await wait_message(phone, "1/8")
            for n, option in enumerate(choices(i)):
                pushed[i].add(press_option(phone, option))
                answered[i].append(option)
                await wait_message(phone, f"{n + 2}/8")

        tasks = [asyncio.create_task(survey(i)) for i in range(PEOPLE)]
        total = PEOPLE * len(QUESTIONS)

        async def a_third_answered() -> bool:
            return sum(map(len, (await stored_answers(database)).values())) >= total // 3

        await until(a_third_answered, timeout=60)  # then kill
        await run.kill()
        killed_at = asyncio.get_running_loop().time()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        every_update = set().union(*pushed)
        acked_at_kill = acknowledged(server, every_update)
        stored_at_kill = sum(map(len, (await stored_answers(database)).values()))
        assert stored_at_kill < total, "the process was killed after everything was done"

        restarted = utcnow()
        await run.start()
        await quiet(server, database, every_update)

        async with database.sessions() as session:
            inbox = {row.update_id: row for row in await session.scalars(select(InboxUpdate))}
            uses = dict((await session.execute(select(Invitation.id, Invitation.uses))).all())
            responses = list(await session.scalars(select(Response)))
        assert acked_at_kill <= set(inbox), "an acknowledged update was lost"
        assert all(row.processed_at is not None and row.attempts == 1 and row.error is None for row in inbox.values())
        assert set(uses.values()) == {1}  # each invitation counted once, whatever was delivered again
        assert sorted(r.invitation_id for r in responses) == sorted(i.id for i in invited)
        expected = {
            invited[i].id: dict(zip(QUESTIONS, answered[i], strict=False)) for i in range(PEOPLE) if answered[i]
        }
        assert await stored_answers(database) == expected

        # Replies to the updates handled after the restart are sent after their commit: let them arrive.
        handled_late = {uid for uid, row in inbox.items() if row.processed_at >= restarted}
        for i, phone in enumerate(phones):
            if max(pushed[i]) in handled_late:
                state = f"{len(answered[i]) + 1}/8" if answered[i] else "1/8" if began[i] else "/privacy"
                await wait_message(phone, state)
            drain(phone)

        # Each person comes back with /start and is where they left off, then goes on.

        async def resume(i: int) -> None:
            try:
                await _resume(i)
            except AssertionError as exc:
                phone = phones[i]
                calls = [
                    (c.method, c.status, round(c.at, 2), str(c.params.get("text", ""))[:12])
                    for c in server.calls
                    if c.params.get("chat_id") == phone.chat_id
                ]
                raise AssertionError(
                    f"{exc}; answered {answered[i]}; seen "
                    f"{[(e.kind, (e.text or '')[:12]) for e in phone.seen]}; calls {calls}; "
                    f"killed at {killed_at:.2f}"
                ) from None

        async def _resume(i: int) -> None:
            phone = phones[i]
            phone.send("/start")
            if not began[i]:
                await phone.expect_message("/privacy", timeout=30)
                phone.press("Start ▶")
                await phone.expect_message("1/8", timeout=30)
                return
            step = len(answered[i]) + 1
            await phone.expect_message(f"{step}/8", timeout=30)
            press_option(phone, "dk")
            await phone.expect_message(f"{step + 1}/8", timeout=30)
            answered[i].append("dk")

        await asyncio.gather(*(resume(i) for i in range(PEOPLE)))
        code = await run.stop()
        assert code == 0, run.log()[-3000:]
        expected = {
            invited[i].id: dict(zip(QUESTIONS + ["information"], answered[i], strict=False))
            for i in range(PEOPLE)
            if answered[i]
        }
        assert await stored_answers(database) == expected
