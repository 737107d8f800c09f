"""Two workers: two `tilfreds run` processes in webhook mode on one PostgreSQL, behind a round-robin balancer.

Updates are spread over both (each stores what it receives; both inbox workers process from the one
inbox). People press all their answers at once, without waiting for the next question, so an
answer is accepted only if the one before it was handled first: every answer stored is one chat's
order kept. Nothing is lost or doubled, and the scheduled jobs both catch up at start run once: the
committee follow-up (its schedule set to midnight, so it is due) makes each survey's report once.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select, text

from db.database import Database
from db.models import Answer, InboxUpdate, JobRun, ReportSnapshot, Response
from db.repo import survey_versions
from surveys import get_survey
from tests.bot.conftest import free_port
from tests.botapi import BotApiServer, Phone
from tests.faults.support import answer_button, quiet, until, wait_message
from tests.processes import TilfredsRun, invite

PEOPLE = 10
QUESTIONS = ["overall", "heard", "respect", "understood", "own_plan", "information", "next_step"]


class RoundRobin:
    """A load balancer in front of the workers' webhooks: request n goes to worker n mod 2."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.port = free_port()
        self.sent = Counter[int]()
        self._next = itertools.cycle(range(len(ports)))
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> RoundRobin:
        app = web.Application()
        app.router.add_post("/telegram/webhook", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self._client = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        worker = next(self._next)
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")}
        try:
            async with self._client.post(
                f"http://127.0.0.1:{self.ports[worker]}/telegram/webhook",
                data=await request.read(),
                headers=headers | {"Content-Type": "application/json"},
            ) as reply:
                self.sent[worker] += 1
                return web.Response(status=reply.status, text=await reply.text())
        except aiohttp.ClientError:
            return web.Response(status=502, text="worker unreachable")


def choices(person: int) -> list[str]:
    return [str((person + n) % 5 + 1) for n in range(len(QUESTIONS))]


@pytest.mark.slow
@pytest.mark.parametrize("database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
async def test_two_workers_lose_nothing_double_nothing_and_keep_each_chats_order(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    async with BotApiServer() as server:
        ports = [free_port(), free_port()]
        async with RoundRobin(ports) as balancer:
            public = f"http://127.0.0.1:{balancer.port}/telegram/webhook"
            runs = [
                TilfredsRun.for_server(
                    server,
                    tmp_path,
                    name=f"worker{n}",
                    port=ports[n],
                    database_url=database_url,
                    webhook=True,
                    webhook_url=public,
                    TILFREDS_REPORTS_DIR=str(tmp_path / "reports"),
                    TILFREDS_SCHEDULE_COMMITTEE="0 0 * * *",
                )  # due at midnight: caught up
                for n in range(2)
            ]
            await asyncio.gather(*(run.start() for run in runs))
            invited = await invite(database, PEOPLE)
            phones = [Phone(server, 9500 + i) for i in range(PEOPLE)]
            pushed: set[int] = set()

            async def survey(i: int) -> None:
                phone = phones[i]
                pushed.add(phone.send(f"/start {invited[i].token}"))
                await wait_message(phone, "/privacy")
                pushed.add(phone.press("Start ▶"))
                await wait_message(phone, "1/8")
                data, message_id = answer_button(phone, "1")
                response_id = data.split(":")[1]
                for question, option in zip(QUESTIONS, choices(i), strict=True):  # all at once
                    pushed.add(phone.press_data(f"a1:{response_id}:{question}:{option}", message_id))
                await wait_message(phone, "8/8", timeout=60)
                pushed.add(phone.send(f"Svar {i}"))
                await wait_message(phone, "Tak", timeout=60)

            await asyncio.gather(*(survey(i) for i in range(PEOPLE)))
            await quiet(server, database, pushed)
            await until(lambda: jobs_finished(database, {"committee", "retention"}), timeout=60)
            codes = [await run.stop() for run in runs]
        assert codes == [0, 0], [run.log()[-2000:] for run in runs]
        assert min(balancer.sent.values()) >= len(pushed) // 3, balancer.sent  # both took their share

    async with database.sessions() as session:
        inbox = list(await session.scalars(select(InboxUpdate)))
        responses = {r.invitation_id: r for r in await session.scalars(select(Response))}
        answers = (
            await session.execute(
                select(Response.invitation_id, Answer.question_id, Answer.option, Answer.text).join(Answer)
            )
        ).all()
        jobs = Counter(job for (job,) in (await session.execute(select(JobRun.job))).all())
        snapshots = (await session.execute(select(ReportSnapshot.survey_key, ReportSnapshot.kind))).all()
    assert sorted(row.update_id for row in inbox) == sorted(pushed)
    assert all(row.processed_at is not None and row.attempts == 1 for row in inbox)
    assert sorted(responses) == sorted(i.id for i in invited)
    assert {r.status for r in responses.values()} == {"completed"}
    expected = {(invited[i].id, q, o, None) for i in range(PEOPLE) for q, o in zip(QUESTIONS, choices(i), strict=True)}
    expected |= {(invited[i].id, "better", None, f"Svar {i}") for i in range(PEOPLE)}
    assert sorted(map(tuple, answers)) == sorted(expected)
    # The scheduled jobs were caught up at start by both workers and run by one: each report once.
    assert jobs == {"retention": 1, "committee": 1}
    assert sorted(map(tuple, snapshots)) == [("citizen", "committee"), ("employer", "committee")]
    files = sorted(p.suffix for p in (tmp_path / "reports").iterdir())
    assert files == [".html", ".html", ".pdf", ".pdf", ".xlsx", ".xlsx"]


async def jobs_finished(database: Database, names: set[str]) -> bool:
    async with database.sessions() as session:
        done = set(await session.scalars(select(JobRun.job).where(JobRun.finished_at.is_not(None))))
    return names <= done


@pytest.mark.parametrize("database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
async def test_workers_starting_together_store_each_survey_version_once(database: Database, database_url: str) -> None:
    """Both workers store the survey versions at start; the one that loses the race reads the winner's."""
    survey = get_survey("citizen")
    other = Database(database_url)
    try:
        async with database.sessions() as first, other.sessions() as second:
            await first.begin()
            mine = await survey_versions.ensure_version(first, survey)  # inserted, not yet committed
            racing = asyncio.create_task(survey_versions.ensure_version(second, survey))

            async def blocked() -> bool:  # the second insert waits on the unique key
                async with database.sessions() as session:
                    return bool(await session.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")))

            await until(blocked, timeout=10)
            await first.commit()
            theirs = await racing
            await second.commit()
    finally:
        await other.dispose()
    assert theirs.id == mine.id
