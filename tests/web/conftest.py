"""A running staff web (the real aiohttp app on a test server) on SQLite and PostgreSQL, with helpers to log in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from db.database import Database
from db.repo import staff as staff_repo
from tilfreds.app import build_app
from tilfreds.settings import Settings
from tilfreds.web.passwords import hash_password

PASSWORD = "korrekt hest batteri"
BOT = "JobcenterTestBot"

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with small costs: the same code path, a fraction of the time (the real costs are tested once)."""
    from argon2 import PasswordHasher

    from tilfreds.web import passwords

    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", quick)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", quick.hash("not a password of anyone"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        secret_key="test-secret-" + "k" * 40,
        telegram_bot_username=BOT,
        telegram_token=None,
        trust_proxy=False,
    )


async def add_user(database: Database, username: str = "anna", password: str = PASSWORD) -> None:
    async with database.sessions.begin() as session:
        await staff_repo.create_user(session, username, hash_password(password))


@pytest.fixture
async def client(database: Database, settings: Settings) -> AsyncIterator[TestClient]:
    await add_user(database)
    app = build_app(settings, database)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def login(client: TestClient, username: str = "anna", password: str = PASSWORD, **extra: str):
    page = await client.get("/staff/login")
    token = csrf_of(await page.text())
    return await client.post(
        "/staff/login",
        data={"csrf_token": token, "username": username, "password": password, **extra},
        allow_redirects=False,
    )


@pytest.fixture
async def staff_client(client: TestClient) -> TestClient:
    """A client logged in as ``anna``."""
    response = await login(client)
    assert response.status == 303, await response.text()
    return client


def session_cookie(client: TestClient) -> str | None:
    for cookie in client.session.cookie_jar:
        if cookie.key == "tilfreds_staff":
            return cookie.value
    return None


@pytest.fixture(scope="module")
def devtools() -> Iterator[str]:
    """A headless Chromium for the browser tests (skips, or fails in CI, without one)."""
    from tests.web import chromium

    with chromium.running_chromium() as url:
        yield url


@pytest.fixture(scope="module")
def axe() -> str:
    from tests.web import chromium

    return chromium.axe_source()
