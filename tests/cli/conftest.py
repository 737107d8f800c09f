from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tilfreds.settings import SETTINGS_DOCS


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> dict[str, str]:
    """Environment for running the CLI against the test database."""
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    env = {
        "TILFREDS_DATABASE_URL": database_url,
        "TILFREDS_DATA_DIR": str(tmp_path / "data"),
        "TILFREDS_SECRET_KEY": "cli-test-secret",
        "TILFREDS_TELEGRAM_BOT_USERNAME": "FredericiaTilfredsBot",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
