"""deploy/: the environment file template names real settings and loads; the systemd unit is one systemd accepts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tilfreds.settings import SETTINGS_DOCS, load_settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SETTINGS_DOCS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_the_environment_template_names_only_settings_that_exist() -> None:
    named = set(re.findall(r"^#? ?(TILFREDS_[A-Z_]+)=", (DEPLOY / "tilfreds.env").read_text(), re.MULTILINE))
    assert named and named <= set(SETTINGS_DOCS), sorted(named - set(SETTINGS_DOCS))


def test_the_environment_template_loads_as_a_production_setup() -> None:
    settings = load_settings(_env_file=DEPLOY / "tilfreds.env")
    assert settings.effective_database_url.startswith("postgresql+asyncpg://tilfreds@/tilfreds")
    assert settings.data_dir == Path("/var/lib/tilfreds")
    assert settings.webhook_mode and settings.trust_proxy
    assert settings.http_host == "127.0.0.1"  # only the reverse proxy reaches it


def test_the_unit_runs_as_an_unprivileged_user_with_state_and_restarts() -> None:
    unit = (DEPLOY / "tilfreds.service").read_text()
    for line in (
        "User=tilfreds",
        "StateDirectory=tilfreds",
        "Restart=on-failure",
        "ExecStart=/opt/tilfreds/bin/tilfreds run",
    ):
        assert re.search(rf"^{re.escape(line)}$", unit, re.MULTILINE), line
    assert "EnvironmentFile=/etc/tilfreds/tilfreds.env" in unit


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_finds_nothing_wrong_in_the_unit(tmp_path: Path) -> None:
    unit = tmp_path / "tilfreds.service"
    # The paths the unit names exist only on a server; point them at stand-ins so systemd checks the rest.
    fake_bin = tmp_path / "tilfreds"
    fake_bin.write_text("#!/bin/sh\n")
    fake_bin.chmod(0o755)
    env = tmp_path / "tilfreds.env"
    env.write_text("")
    text = (DEPLOY / "tilfreds.service").read_text()
    unit.write_text(
        text.replace("/opt/tilfreds/bin/tilfreds", str(fake_bin)).replace("/etc/tilfreds/tilfreds.env", str(env))
    )
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60
    )
    problems = [line for line in result.stderr.splitlines() if str(unit) in line or "tilfreds.service" in line]
    assert not problems, result.stderr
