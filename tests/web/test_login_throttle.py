"""Login throttling under attack (ASVS 2.2.1): concurrent guesses, and a known username, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from argon2 import PasswordHasher
from sqlalchemy import func, select, update

from db.database import Database
from db.models import LoginAttempt, utcnow
from db.repo.staff import RecentAttempts
from tests.web.conftest import PASSWORD, csrf_of, login, session_cookie
from tilfreds.app import build_app
from tilfreds.settings import Settings
from tilfreds.web import passwords, throttle


class CountingHasher(PasswordHasher):
    """argon2id with small costs that takes a while like the real one and counts every check."""

    def __init__(self, seconds: float) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.seconds = seconds
        self.checks = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002 - argon2's name
        with self._lock:
            self.checks += 1
        time.sleep(self.seconds)  # a thread's sleep, as argon2 releases the GIL while it works
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher(seconds=0.03)
    # Room for every login at once, so that all of them reach the throttle: the flood bound in front of it
    # (tests/faults/test_login_flood.py) would otherwise turn most of them away first.
    monkeypatch.setattr(passwords, "VERIFIER", passwords.Verifier(workers=4, waiting=200))
    monkeypatch.setattr(passwords, "_hasher", counting)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", counting.hash("not a password of anyone"))
    return counting


async def attempts(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(LoginAttempt)) or 0)


async def test_a_hundred_simultaneous_guesses_get_at_most_ten_checks_and_the_right_one_does_not_get_in(
    client: TestClient, database: Database, hasher: CountingHasher
) -> None:
    page = await client.get("/staff/login")
    token = csrf_of(await page.text())

    async def guess(password: str) -> int:
        form = {"csrf_token": token, "username": "anna", "password": password}
        async with client.post("/staff/login", data=form, allow_redirects=False) as response:
            await response.read()
            return response.status

    wrong = [asyncio.create_task(guess(f"wrong guess {n}")) for n in range(100)]
    for _ in range(6000):  # the right password goes in while the flood is still being answered
        if await attempts(database) >= throttle.LIMIT or all(task.done() for task in wrong):
            break
        await asyncio.sleep(0.005)
    right = await guess(PASSWORD)
    statuses = await asyncio.gather(*wrong)

    assert hasher.checks <= throttle.LIMIT
    assert right == 429 and session_cookie(client) is None
    assert statuses.count(200) <= throttle.LIMIT and set(statuses) <= {200, 429}
    assert (await login(client, "anna", PASSWORD)).status == 429  # and the next one, too
    assert hasher.checks <= throttle.LIMIT


async def test_a_known_username_guessed_from_elsewhere_delays_but_does_not_lock_out_its_owner(
    database: Database, settings: Settings, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "DELAY_STEP", 0.05)  # the rule's delay, shortened for the test
    behind_proxy = build_app(settings.model_copy(update={"trust_proxy": True}), database)
    async with TestClient(TestServer(behind_proxy), headers={"X-Forwarded-For": "203.0.113.7"}) as attacker:
        for n in range(throttle.LIMIT + 5):
            answer = await login(attacker, "anna", f"guess {n}")
            assert answer.status == (200 if n < throttle.LIMIT else 429)
        # The attacker's own address is refused from now on, even with the right password …
        assert (await login(attacker, "anna", PASSWORD)).status == 429
    # … but anna, from her own address, gets in (after a short delay).
    assert (await login(client, "anna", PASSWORD)).status == 303
    assert session_cookie(client) is not None


def test_the_rule_refuses_per_address_and_only_delays_per_account() -> None:
    def counts(pair: int, address: int, account: int) -> throttle.Admission:
        return throttle.admission(RecentAttempts(1, pair, address, account))

    assert counts(10, 10, 10) == throttle.Admission(refused=False, delay=0.0)
    assert counts(11, 11, 11).refused
    assert counts(1, 11, 1).refused  # one address trying many accounts
    owner = counts(1, 1, 500)  # the account is being guessed at from elsewhere
    assert not owner.refused and owner.delay == throttle.DELAY_MAX
    assert counts(1, 1, 13).delay == 3 * throttle.DELAY_STEP


async def test_old_attempts_are_forgotten_by_the_nightly_retention_job_not_by_a_login(
    client: TestClient, database: Database, settings: Settings
) -> None:
    from analytics.jobs import JobContext, retention_purge

    for n in range(3):
        await login(client, "anna", f"wrong {n}")
    async with database.sessions.begin() as session:
        await session.execute(update(LoginAttempt).values(at=utcnow() - timedelta(days=2)))
    await login(client, "anna", "wrong again")
    assert await attempts(database) == 4  # a login does not purge
    await retention_purge(JobContext(settings, database), utcnow())
    assert await attempts(database) == 1
