"""Settings: one object, clear errors, a generated secret, and a README that documents each one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tilfreds.settings import SETTINGS_DOCS, Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_use_embedded_sqlite_under_data(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.effective_database_url == "sqlite+aiosqlite:///data/tilfreds.sqlite3"
    assert (settings.http_host, settings.http_port) == ("127.0.0.1", 8080)
    assert settings.telegram_enabled is False and settings.webhook_mode is False
    assert settings.min_cell_size == 5 and settings.timezone == "Europe/Copenhagen"


def test_malformed_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILFREDS_HTTP_PORT", "eighty")
    with pytest.raises(SettingsError, match="TILFREDS_HTTP_PORT"):
        load_settings()
    monkeypatch.setenv("TILFREDS_HTTP_PORT", "8080")
    monkeypatch.setenv("TILFREDS_STAFF_TELEGRAM_IDS", "12, bob")
    with pytest.raises(SettingsError, match="TILFREDS_STAFF_TELEGRAM_IDS"):
        load_settings()
    monkeypatch.setenv("TILFREDS_STAFF_TELEGRAM_IDS", "12, 34")
    monkeypatch.setenv("TILFREDS_TIMEZONE", "Europe/Fredericia")
    with pytest.raises(SettingsError, match="TILFREDS_TIMEZONE"):
        load_settings()


def test_webhook_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILFREDS_WEBHOOK_URL", "https://example.org/telegram/webhook")
    with pytest.raises(SettingsError, match="TILFREDS_WEBHOOK_SECRET"):
        load_settings()


def test_env_file_and_staff_ids_are_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TILFREDS_STAFF_TELEGRAM_IDS=11,22\nTILFREDS_MIN_CELL_SIZE=10\n")
    settings = load_settings()
    assert settings.staff_telegram_ids == frozenset({11, 22})
    assert settings.min_cell_size == 10


def test_missing_secret_is_generated_once_and_reused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(data_dir=tmp_path / "d")
    first = settings.secret()
    assert len(first) >= 32
    assert "TILFREDS_SECRET_KEY is unset" in caplog.text
    assert Settings(data_dir=tmp_path / "d").secret() == first
    assert (tmp_path / "d" / "secret.key").stat().st_mode & 0o077 == 0


def test_readme_documents_every_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = set(re.findall(r"^\|\s*`(TILFREDS_[A-Z_]+)`", readme, flags=re.MULTILINE))
    assert table == set(SETTINGS_DOCS)
    fields = {"TILFREDS_" + name.upper() for name in Settings.model_fields}
    assert fields == set(SETTINGS_DOCS)


def test_privacy_and_reminder_timings_reach_the_telegram_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    from bot.channel import ChannelOptions

    monkeypatch.setenv("TILFREDS_WITHDRAWAL_DAYS", "10")
    monkeypatch.setenv("TILFREDS_REMINDER_HOURS", "6")
    monkeypatch.setenv("TILFREDS_ABANDON_DAYS", "3")
    monkeypatch.setenv("TILFREDS_RETENTION_MONTHS", "12")
    options = ChannelOptions.from_config(load_settings().bot_config())
    assert options.reminders.remind_after == timedelta(hours=6)
    assert options.reminders.abandon_after == timedelta(days=3)
    assert options.policy.withdrawal_window == timedelta(days=10)
    assert options.policy.retention_months == 12


def test_a_bad_schedule_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILFREDS_SCHEDULE_COMMITTEE", "every march")
    with pytest.raises(SettingsError, match="TILFREDS_SCHEDULE_COMMITTEE"):
        load_settings()
