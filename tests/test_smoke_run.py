"""The real `tilfreds run` process: starts on a fresh data directory, answers /healthz, stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tilfreds.settings import SETTINGS_DOCS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_run_starts_without_telegram_and_reports_health(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_DOCS}
    env.update(TILFREDS_HTTP_PORT=str(port), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tilfreds", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    assert resp.status == 200
                    body = json.loads(resp.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None, "tilfreds run did not answer /healthz within 30 s"
        assert body["status"] == "ok"
        assert body["database"] == {"ok": True, "dialect": "sqlite"}
        assert body["telegram"] == "off"
        assert (tmp_path / "data" / "tilfreds.sqlite3").exists()
        assert (tmp_path / "data" / "secret.key").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, output
    assert "Telegram is off: set TILFREDS_TELEGRAM_TOKEN" in output
    assert output.count("Telegram is off") == 1
