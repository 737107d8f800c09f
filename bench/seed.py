"""``tilfreds demo seed --responses N``: how long seeding takes (it should be well under a minute for 100,000).

.venv/bin/python -m bench seed
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.measure import run_child


def run(responses: int = 100_000) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "seed.sqlite3"
        env = {
            **os.environ,
            "TILFREDS_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
            "TILFREDS_DATA_DIR": tmp,
            "TILFREDS_SECRET_KEY": "bench-secret",
        }
        tilfreds = str(Path(sys.executable).with_name("tilfreds"))
        empty = run_child([tilfreds, "db", "upgrade"], env=env)  # start-up and migrations, apart
        seeded = run_child(
            [tilfreds, "demo", "seed", "--responses", str(responses), "--seed", "1", "--today", "2026-11-26"], env=env
        )
        if seeded.returncode != 0:
            raise RuntimeError(f"demo seed failed: {seeded.stderr[-2000:]}")
        with sqlite3.connect(path) as con:
            answers = con.execute("SELECT count(*) FROM answers").fetchone()[0]
    print(f"Demo seed ({responses:,} responses, {answers:,} answers, SQLite)")
    print(
        f"  {seeded.wall:.1f}s wall, {seeded.cpu:.1f}s CPU, peak RSS {seeded.peak_rss_mib:.0f} MiB "
        f"({responses / seeded.cpu:,.0f} responses per CPU second); an empty `db upgrade` takes "
        f"{empty.cpu:.1f}s CPU (target: well under a minute)"
    )
    return {
        "responses": responses,
        "answers": answers,
        "wall_s": seeded.wall,
        "cpu_s": seeded.cpu,
        "rss_mib": seeded.peak_rss_mib,
    }
