"""Files holding people's data or keys are owner-only (0600) from their first moment (ASVS 8.3.x, 6.4.1).

Every test runs with umask 0, so a file created with default permissions would be world-readable; and
``chmod`` is disabled for the secret key, so a write-then-chmod would be caught too.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from db.database import Database
from tilfreds.cli import cli
from tilfreds.settings import Settings


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_the_secret_key_is_created_owner_only_without_a_chmod(
    tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Path, "chmod", lambda self, mode, **kw: None)  # no second chance
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    key = settings.secret()
    key_file = tmp_path / "data" / "secret.key"
    assert mode(key_file) == 0o600
    assert Settings(_env_file=None, data_dir=tmp_path / "data").secret() == key  # type: ignore[call-arg]
    assert [p.name for p in key_file.parent.iterdir()] == ["secret.key"]  # no temporary file left behind


async def test_the_sqlite_database_and_its_wal_are_owner_only(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "db" / "tilfreds.sqlite3"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await database.upgrade()
        async with database.engine.connect() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
            await connection.commit()
            files = sorted(p.name for p in path.parent.iterdir())
            assert {"tilfreds.sqlite3", "tilfreds.sqlite3-wal", "tilfreds.sqlite3-shm"} <= set(files)
            assert {name: mode(path.parent / name) for name in files} == {name: 0o600 for name in files}
    finally:
        await database.dispose()


def test_invite_out_and_export_out_are_owner_only(runner, cli_env, tmp_path: Path, open_umask: None) -> None:
    links = tmp_path / "links.csv"
    result = runner.invoke(cli, ["invite", "--survey", "employer", "--count", "2", "--format", "csv", "--out", links])
    assert result.exit_code == 0, result.output
    assert mode(links) == 0o600
    for args, name in (
        (["--format", "csv"], "report.csv"),
        (["--format", "xlsx"], "report.xlsx"),
        (["--format", "html"], "report.html"),
        (["--raw", "--format", "csv"], "raw.csv"),
        (["--raw", "--format", "xlsx"], "raw.xlsx"),
    ):
        out = tmp_path / name
        result = runner.invoke(cli, ["export", "--survey", "citizen", "--period", "2026", *args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert mode(out) == 0o600, name


def test_repr_of_the_settings_shows_no_secret(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path,
        secret_key="the-secret-key-itself",
        telegram_token="123456:the-bot-token",
        webhook_secret="the-webhook-secret",
        webhook_url="https://example.org/telegram/webhook",
    )
    for shown in (repr(settings), str(settings), str(settings.model_dump())):
        assert "the-secret-key-itself" not in shown
        assert "the-bot-token" not in shown
        assert "the-webhook-secret" not in shown
    assert settings.secret() == b"the-secret-key-itself"
    assert settings.bot_token() == "123456:the-bot-token" and settings.hook_secret() == "the-webhook-secret"
