"""`tilfreds invite`: links a caseworker can hand out, and clear refusals that write nothing."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from db.database import Database
from db.keys import token_hash
from db.models import AuditEntry, Invitation
from tests.bot.conftest import free_port
from tests.botapi import BotApiServer
from tilfreds.cli import cli


def count_rows(url: str, model) -> int:
    async def go() -> int:
        database = Database(url)
        try:
            async with database.sessions() as s:
                return await s.scalar(select(func.count()).select_from(model))
        finally:
            await database.dispose()

    return asyncio.run(go())


def test_json_batch_has_links_segments_and_expiry(runner, cli_env) -> None:
    result = runner.invoke(
        cli,
        [
            "invite",
            "--survey",
            "citizen",
            "--count",
            "3",
            "--segment",
            "benefit=kontanthjaelp",
            "--segment",
            "unit=ungeenheden",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    for row in rows:
        assert row["link"] == f"https://t.me/FredericiaTilfredsBot?start={row['token']}"
        assert row["survey"] == "citizen"
        assert row["segments"] == {"benefit": "kontanthjaelp", "unit": "ungeenheden"}
        assert row["expires_at"]
    assert count_rows(cli_env["TILFREDS_DATABASE_URL"], Invitation) == 3
    assert count_rows(cli_env["TILFREDS_DATABASE_URL"], AuditEntry) == 1

    async def hashes() -> set[str]:
        database = Database(cli_env["TILFREDS_DATABASE_URL"])
        try:
            async with database.sessions() as s:
                return set(await s.scalars(select(Invitation.token_hash)))
        finally:
            await database.dispose()

    secret = cli_env["TILFREDS_SECRET_KEY"].encode()
    assert asyncio.run(hashes()) == {token_hash(secret, row["token"]) for row in rows}


def test_csv_to_a_file(runner, cli_env, tmp_path) -> None:
    out = tmp_path / "links.csv"
    result = runner.invoke(
        cli, ["invite", "--survey", "employer", "--count", "2", "--max-uses", "0", "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("token,link,survey")
    assert len(lines) == 3 and all("https://t.me/FredericiaTilfredsBot?start=" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--survey", "pensioner"], "unknown survey"),
        (["--survey", "citizen", "--segment", "colour=blue"], "unknown segment 'colour'"),
        (["--survey", "citizen", "--segment", "benefit=lottery"], "unknown value 'lottery'"),
        (["--survey", "citizen", "--segment", "benefit"], "key=value"),
        (["--survey", "citizen", "--count", "0"], "at least 1"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(runner, cli_env, args, message) -> None:
    result = runner.invoke(cli, ["invite", *args])
    assert result.exit_code == 2
    assert message in result.output.lower() or message in result.output
    assert "Traceback" not in result.output
    assert count_rows(cli_env["TILFREDS_DATABASE_URL"], Invitation) == 0


def test_without_a_bot_username_it_says_what_to_set(runner, cli_env, monkeypatch) -> None:
    monkeypatch.delenv("TILFREDS_TELEGRAM_BOT_USERNAME")
    result = runner.invoke(cli, ["invite", "--survey", "citizen"])
    assert result.exit_code == 2
    assert "TILFREDS_TELEGRAM_BOT_USERNAME" in result.output
    assert count_rows(cli_env["TILFREDS_DATABASE_URL"], Invitation) == 0


@pytest.fixture
def bot_api() -> Iterator[BotApiServer]:
    """The local Bot API server on a loop of its own (the CLI runs its own with asyncio.run)."""
    loop = asyncio.new_event_loop()
    server = BotApiServer(username="JobcenterFredericiaBot")
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)
    yield server
    asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_without_a_username_setting_the_bot_is_asked_for_it(runner, cli_env, monkeypatch, bot_api) -> None:
    monkeypatch.delenv("TILFREDS_TELEGRAM_BOT_USERNAME")
    monkeypatch.setenv("TILFREDS_TELEGRAM_TOKEN", bot_api.token)
    monkeypatch.setenv("TILFREDS_TELEGRAM_API_URL", bot_api.url)
    result = runner.invoke(cli, ["invite", "--survey", "employer", "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["link"] == f"https://t.me/JobcenterFredericiaBot?start={row['token']}"
    assert [call.method for call in bot_api.calls] == ["getMe"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_unreachable_bot_api_says_to_set_the_username(runner, cli_env, monkeypatch) -> None:
    monkeypatch.delenv("TILFREDS_TELEGRAM_BOT_USERNAME")
    monkeypatch.setenv("TILFREDS_TELEGRAM_TOKEN", "123456:TEST-token")
    monkeypatch.setenv("TILFREDS_TELEGRAM_API_URL", f"http://127.0.0.1:{free_port()}")
    result = runner.invoke(cli, ["invite", "--survey", "citizen"])
    assert result.exit_code == 2
    assert "could not ask Telegram" in result.output and "TILFREDS_TELEGRAM_BOT_USERNAME" in result.output
    assert "Traceback" not in result.output
    assert count_rows(cli_env["TILFREDS_DATABASE_URL"], Invitation) == 0


def test_with_a_public_url_the_link_is_the_web_page_and_both_links_are_given(runner, cli_env, monkeypatch) -> None:
    monkeypatch.setenv("TILFREDS_PUBLIC_URL", "https://tilfreds.example.dk/")
    result = runner.invoke(cli, ["invite", "--survey", "citizen", "--count", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    for row in json.loads(result.stdout):
        assert row["link"] == row["web_link"] == f"https://tilfreds.example.dk/s/{row['token']}"
        assert row["telegram_link"] == f"https://t.me/FredericiaTilfredsBot?start={row['token']}"
    audit = asyncio.run(_last_audit(cli_env["TILFREDS_DATABASE_URL"]))
    assert set(audit) == {"batch", "survey", "segments", "max_uses", "expires_days", "via"} and audit["via"] == "cli"


def test_with_a_public_url_and_no_bot_the_telegram_link_is_null(runner, cli_env, monkeypatch) -> None:
    monkeypatch.setenv("TILFREDS_PUBLIC_URL", "https://tilfreds.example.dk")
    monkeypatch.delenv("TILFREDS_TELEGRAM_BOT_USERNAME")
    result = runner.invoke(cli, ["invite", "--survey", "employer", "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert (row["web_link"], row["telegram_link"]) == (f"https://tilfreds.example.dk/s/{row['token']}", None)
    csv_out = runner.invoke(cli, ["invite", "--survey", "employer", "--format", "csv"])
    header, line = csv_out.stdout.splitlines()
    assert header.endswith("web_link,telegram_link") and "https://tilfreds.example.dk/s/" in line


def test_without_a_public_url_the_web_link_is_null(runner, cli_env) -> None:
    result = runner.invoke(cli, ["invite", "--survey", "citizen", "--format", "json"])
    [row] = json.loads(result.stdout)
    assert row["web_link"] is None and row["link"] == row["telegram_link"]


async def _last_audit(url: str) -> dict:
    database = Database(url)
    try:
        async with database.sessions() as s:
            return (await s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()))).first().detail
    finally:
        await database.dispose()
