"""``tilfreds staff add | list | disable``: accounts from the command line, password from stdin."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from db.database import Database
from db.repo import staff as staff_repo
from tilfreds.cli import cli
from tilfreds.settings import SETTINGS_DOCS
from tilfreds.web import passwords


@pytest.fixture
def env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return {"TILFREDS_DATABASE_URL": database_url, "TILFREDS_SECRET_KEY": "s" * 48}


def stored_user(url: str, username: str):
    async def go():
        database = Database(url)
        try:
            async with database.sessions() as session:
                return await staff_repo.get_user(session, username)
        finally:
            await database.dispose()

    return asyncio.run(go())


def test_add_list_disable(env: dict[str, str], database_url: str) -> None:
    runner = CliRunner()
    added = runner.invoke(cli, ["staff", "add", "Anna"], input="korrekt hest batteri\n", env=env)
    assert added.exit_code == 0, added.output
    assert "created staff account 'anna'" in added.output
    user = stored_user(database_url, "anna")
    assert user is not None and user.password_hash.startswith("$argon2id$")
    assert passwords.verify_password(user.password_hash, "korrekt hest batteri")

    again = runner.invoke(cli, ["staff", "add", "anna"], input="another good password\n", env=env)
    assert again.exit_code == 2 and "exists already" in again.output
    weak = runner.invoke(cli, ["staff", "add", "bo"], input="kort\n", env=env)
    assert weak.exit_code == 2 and "at least 10 characters" in weak.output
    spaced = runner.invoke(cli, ["staff", "add", "bo bo"], input="korrekt hest batteri\n", env=env)
    assert spaced.exit_code == 2 and "without spaces" in spaced.output

    listed = runner.invoke(cli, ["staff", "list"], env=env)
    assert listed.exit_code == 0
    assert listed.output.splitlines()[1].split()[0] == "anna" and listed.output.rstrip().endswith("no")
    assert "$argon2" not in listed.output
    created = stored_user(database_url, "anna").created_at
    from zoneinfo import ZoneInfo

    local = created.astimezone(ZoneInfo("Europe/Copenhagen")).strftime("%Y-%m-%d %H:%M")
    assert local in listed.output and "Europe/Copenhagen" in listed.output  # staff read Copenhagen time

    disabled = runner.invoke(cli, ["staff", "disable", "ANNA"], env=env)
    assert disabled.exit_code == 0 and "disabled staff account 'anna'" in disabled.output
    missing = runner.invoke(cli, ["staff", "disable", "nobody"], env=env)
    assert missing.exit_code == 2 and "no staff account named 'nobody'" in missing.output
    assert stored_user(database_url, "anna").disabled_at is not None


def test_help_is_there() -> None:
    result = CliRunner().invoke(cli, ["staff", "--help"])
    assert result.exit_code == 0
    for word in ("add", "list", "disable"):
        assert word in result.output
