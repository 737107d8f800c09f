"""Odd requests from a browser or a logged-in user get a 4xx with a message, never a 500 (ASVS 5.1.x, 7.1.x)."""

from __future__ import annotations

import logging

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from db.repo import staff as staff_repo
from tests.web.conftest import csrf_of
from tilfreds.app import QUIET_LOGGERS

NON_ASCII = "æøå\u00e9\u202e"


async def raw_cookie(client: TestClient, path: str, cookie: str) -> int:
    """GET ``path`` with exactly this Cookie header (latin-1 bytes, as a hostile client sends them)."""
    async with client.get(path, headers={"Cookie": cookie}, allow_redirects=False) as response:
        await response.read()
        return response.status


async def test_non_ascii_session_and_csrf_cookies_are_ignored_not_a_500(client: TestClient) -> None:
    assert await raw_cookie(client, "/staff/invitations", f"tilfreds_staff=abc.{NON_ASCII}") == 303
    assert await raw_cookie(client, "/staff/invitations", f"tilfreds_staff={NON_ASCII}.{NON_ASCII}") == 303
    assert await raw_cookie(client, "/staff/login", "tilfreds_csrf=" + NON_ASCII * 4) == 200
    form = {"csrf_token": NON_ASCII, "username": "anna", "password": "x"}
    async with client.post("/staff/login", data=form, allow_redirects=False) as refused:
        assert refused.status == 403


async def test_a_non_ascii_csrf_token_with_a_session_is_refused(staff_client: TestClient) -> None:
    async with staff_client.post("/staff/logout", data={"csrf_token": NON_ASCII}) as refused:
        assert refused.status == 403


@pytest.mark.parametrize(
    "path",
    [
        "/staff/invitations/99999999999999999999",
        "/staff/invitations/2147483648/links.csv",
        "/staff/invitations/99999999999999999999999999/sheet",
    ],
)
async def test_an_out_of_range_batch_number_is_a_400_with_a_message(staff_client: TestClient, path: str) -> None:
    response = await staff_client.get(path, allow_redirects=False)
    assert response.status == 400
    assert "unknown batch number" in await response.text()


@pytest.mark.parametrize(
    "query",
    ["period=9999", "custom=0001-01-01:0001-01-02", "custom=9999-12-01:9999-12-31", "period=1899-Q1"],
)
async def test_a_period_out_of_range_is_a_400_with_a_message(staff_client: TestClient, query: str) -> None:
    for path in ("/staff/overview", "/staff/surveys/citizen"):
        page = await staff_client.get(f"{path}?{query}")
        assert page.status == 400, path
        assert "periode" in (await page.text()).lower()
    download = await staff_client.get(f"/staff/surveys/citizen/report.csv?{query}")
    assert download.status == 400
    assert "Unknown period" in await download.text()


async def test_a_database_error_in_a_web_request_logs_no_parameters(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken_get_user(session, username: str):
        await session.execute(text("SELECT no_such_column FROM staff_users WHERE username = :u"), {"u": username})

    monkeypatch.setattr(staff_repo, "get_user", broken_get_user)
    caplog.set_level(logging.DEBUG)  # as `tilfreds run` logs at DEBUG: everything but the quiet libraries
    for name in QUIET_LOGGERS:
        caplog.set_level(logging.WARNING, logger=name)
    page = await client.get("/staff/login")
    form = {"csrf_token": csrf_of(await page.text()), "username": "hemmelig-parameter", "password": "x" * 12}
    response = await client.post("/staff/login", data=form, allow_redirects=False)
    assert response.status == 500
    assert "no_such_column" in caplog.text  # the error is logged, with its statement and traceback …
    assert "hemmelig-parameter" not in caplog.text  # … but not its parameters
