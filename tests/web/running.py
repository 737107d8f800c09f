"""A real ``tilfreds run`` for the browser tests: started in a fresh directory, healthy before use, stopped after."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.test_smoke_run import free_port
from tilfreds.settings import SETTINGS_DOCS


def tilfreds_env(port: int, **settings: str) -> dict[str, str]:
    """The environment of a command in these tests: nothing of the caller's TILFREDS_* leaks in."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_DOCS}
    return env | {"TILFREDS_HTTP_PORT": str(port), "PYTHONUNBUFFERED": "1"} | settings


def tilfreds(home: Path, env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Run one ``tilfreds`` command to its end; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "tilfreds", *args],
        cwd=home,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@contextlib.contextmanager
def running(home: Path, env: dict[str, str]) -> Iterator[str]:
    """``tilfreds run`` in ``home`` until the block ends; yields its base URL once ``/healthz`` says ok."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tilfreds", "run"],
        cwd=home,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{env['TILFREDS_HTTP_PORT']}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as reply:
                    if json.loads(reply.read())["status"] == "ok":
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("tilfreds run did not become healthy")
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=20)
    assert "Traceback" not in output, output


__all__ = ["free_port", "running", "tilfreds", "tilfreds_env"]
