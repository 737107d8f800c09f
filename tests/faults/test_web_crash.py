"""Crash in the browser channel: `kill -9` of `tilfreds run` while people answer in the browser, then a restart.

Every answer whose post was acknowledged (the 303 to the next page) is stored exactly once, and each
person, opening their link again, is back at the question they had reached and can go on.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from db.database import Database
from db.keys import token_hash
from db.models import Answer, Invitation, Response
from tests.botapi import BotApiServer
from tests.processes import SECRET_KEY, TilfredsRun
from tests.web.respondent import Browser, invite

PEOPLE = 8
QUESTIONS = ["overall", "heard", "respect", "understood", "own_plan", "information", "next_step"]


async def stored(database: Database) -> dict[int, dict[str, str | None]]:
    async with database.sessions() as session:
        rows = await session.execute(select(Response.invitation_id, Answer.question_id, Answer.option).join(Answer))
    found: dict[int, dict[str, str | None]] = {}
    for invitation_id, question_id, option in rows:
        found.setdefault(invitation_id, {})[question_id] = option
    return found


@pytest.mark.slow
async def test_kill_9_while_answering_in_the_browser_loses_no_acknowledged_answer(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    tokens = await invite(database, SECRET_KEY.encode(), count=PEOPLE)
    async with BotApiServer() as server:
        run = TilfredsRun.for_server(server, tmp_path, database_url=database_url)
        await run.start()
        base = f"http://127.0.0.1:{run.port}"
        jars = [aiohttp.CookieJar(unsafe=True) for _ in range(PEOPLE)]
        acknowledged: list[list[str]] = [[] for _ in range(PEOPLE)]
        some_answered = asyncio.Event()

        async def answer(i: int) -> None:
            async with aiohttp.ClientSession(cookie_jar=jars[i]) as http:
                me = Browser(http, base)
                page = await me.start(tokens[i])
                for n, question in enumerate(QUESTIONS):
                    assert page.question == question
                    option = str((i + n) % 5 + 1)
                    async with http.post(
                        base + page.action, data={**page.fields, "option": option}, allow_redirects=False
                    ) as response:
                        assert response.status == 303
                    acknowledged[i].append(option)  # the server said: stored, go on
                    if sum(map(len, acknowledged)) >= PEOPLE * 2:
                        some_answered.set()
                    page = await me.get(f"/s/{tokens[i]}/q")

        tasks = [asyncio.create_task(answer(i)) for i in range(PEOPLE)]
        await asyncio.wait_for(some_answered.wait(), 60)
        await run.kill()
        await asyncio.gather(*tasks, return_exceptions=True)
        at_kill = [list(a) for a in acknowledged]
        assert sum(map(len, at_kill)) < PEOPLE * len(QUESTIONS), "killed after everything was done"

        by_invitation = await stored(database)
        async with database.sessions() as session:
            ids = dict((await session.execute(select(Invitation.token_hash, Invitation.id))).all())
        invitation = [ids[token_hash(SECRET_KEY.encode(), token)] for token in tokens]

        await run.start()
        for i in range(PEOPLE):
            async with aiohttp.ClientSession(cookie_jar=jars[i]) as http:
                me = Browser(http, base)
                page = await me.get(f"/s/{tokens[i]}")
                if page.question is None and not at_kill[i]:  # killed before this person's start was stored
                    page = await me.start(tokens[i])
                saved = by_invitation.get(invitation[i], {})
                # every acknowledged answer is stored; one more may be stored if the kill came after its commit
                assert [saved.get(q) for q in QUESTIONS[: len(at_kill[i])]] == at_kill[i]
                assert len(saved) - len(at_kill[i]) in (0, 1)
                assert page.question == QUESTIONS[len(saved)], "the link resumes at the question reached"
                after = await me.send(page, option="dk")
                assert after.question == QUESTIONS[len(saved) + 1]
        assert await run.stop() == 0
        final = await stored(database)
        assert all(
            final[invitation[i]][QUESTIONS[len(by_invitation.get(invitation[i], {}))]] == "dk" for i in range(PEOPLE)
        )
