"""Footprint: the idle RSS of ``tilfreds run``, and how fast ``tilfreds --help`` starts next to ``import telegram``.

.venv/bin/python -m bench footprint [--repeats 7]
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.measure import median, process_rss_mib, run_child, spread
from tests.botapi import BotApiServer

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def idle_rss(idle_seconds: float = 5.0) -> dict[str, Any]:
    """Start ``tilfreds run`` (Telegram channel on, long polling a local Bot API server), let it idle, read RSS."""
    async with BotApiServer() as server:
        with tempfile.TemporaryDirectory() as tmp:
            port = _free_port()
            env = {
                **os.environ,
                "TILFREDS_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/idle.sqlite3",
                "TILFREDS_DATA_DIR": tmp,
                "TILFREDS_TELEGRAM_TOKEN": server.token,
                "TILFREDS_TELEGRAM_API_URL": server.url,
                "TILFREDS_SECRET_KEY": "bench-secret",
                "TILFREDS_HTTP_PORT": str(port),
                "TILFREDS_REPORTS_DIR": tmp,
            }
            proc = subprocess.Popen(
                [str(BIN / "tilfreds"), "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            try:
                started = time.perf_counter()
                async with aiohttp.ClientSession() as client:
                    while True:
                        if proc.poll() is not None:
                            raise RuntimeError(f"tilfreds run exited: {proc.stderr.read().decode()[-2000:]}")
                        try:
                            async with client.get(f"http://127.0.0.1:{port}/healthz") as reply:
                                if reply.status == 200:
                                    break
                        except aiohttp.ClientError:
                            pass
                        await asyncio.sleep(0.1)
                ready = time.perf_counter() - started
                samples = []
                for _ in range(int(idle_seconds * 2)):
                    await asyncio.sleep(0.5)
                    samples.append(process_rss_mib(proc.pid))
                polled = len(server.calls_of("getUpdates"))
            finally:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    return {"ready_s": ready, "rss_mib": median(samples), "rss_max_mib": max(samples), "polls": polled}


def startup(repeats: int) -> dict[str, list[float]]:
    """Wall and CPU seconds of each command, run alternately ``repeats`` times."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import telegram'": [sys.executable, "-c", "import telegram"],
        "tilfreds --help": [str(BIN / "tilfreds"), "--help"],
    }
    figures: dict[str, list[float]] = {}
    for _ in range(repeats):
        for name, argv in commands.items():
            child = run_child(argv)
            if child.returncode != 0:
                raise RuntimeError(f"{name} failed: {child.stderr[-1000:]}")
            figures.setdefault(f"{name} wall", []).append(child.wall)
            figures.setdefault(f"{name} cpu", []).append(child.cpu)
            figures.setdefault(f"{name} rss", []).append(child.peak_rss_mib)
    return figures


def run(repeats: int = 7, idle_seconds: float = 5.0) -> dict[str, Any]:
    rss = asyncio.run(idle_rss(idle_seconds))
    figures = startup(repeats)
    cli_cpu = median(figures["tilfreds --help cpu"])
    tg_cpu = median(figures["python -c 'import telegram' cpu"])
    cli_wall = median(figures["tilfreds --help wall"])
    tg_wall = median(figures["python -c 'import telegram' wall"])
    print("Footprint")
    print(
        f"  tilfreds run: ready (healthz 200) after {rss['ready_s']:.2f}s wall; idle RSS "
        f"{rss['rss_mib']:.0f} MiB (max {rss['rss_max_mib']:.0f} MiB over {idle_seconds:.0f}s, "
        f"{rss['polls']} getUpdates calls)"
    )
    for name in ("python -c pass", "python -c 'import telegram'", "tilfreds --help"):
        print(
            f"  {name:<30} wall {spread(figures[name + ' wall'])} s, cpu {spread(figures[name + ' cpu'])} s, "
            f"peak RSS {median(figures[name + ' rss']):.0f} MiB"
        )
    print(f"  tilfreds --help / import telegram: {cli_cpu / tg_cpu:.2f}x CPU, {cli_wall / tg_wall:.2f}x wall")
    return {
        "idle_rss_mib": rss["rss_mib"],
        "help_cpu_s": cli_cpu,
        "import_telegram_cpu_s": tg_cpu,
        "help_vs_telegram_cpu": cli_cpu / tg_cpu,
        "help_vs_telegram_wall": cli_wall / tg_wall,
    }
