"""Peak memory of a report and of the raw export as the data grow: it should stay flat.

    .venv/bin/python bench/analytics_memory.py [N1 N2 ...]    (default: 2000 20000)

Seeds each size with ``tilfreds demo seed`` into a fresh SQLite file, then measures (tracemalloc) the peak
Python memory of building the year's report with every segment, and of the raw export to csv.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from analytics.layout import layout_of
from analytics.periods import parse_period
from analytics.service import export_raw, make_report
from db.database import Database
from surveys import get_survey

TODAY = date(2026, 11, 26)


async def measure(url: str, out: Path) -> tuple[float, float, float, int]:
    database = Database(url)
    layout = layout_of(get_survey("citizen"))
    period = parse_period("2026", TODAY)
    try:
        tracemalloc.start()
        started = time.perf_counter()
        report = await make_report(database, layout, period, tz="Europe/Copenhagen", min_cell_size=5)
        seconds = time.perf_counter() - started
        report_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.reset_peak()
        rows = await export_raw(database, layout, period, "csv", out, tz="Europe/Copenhagen", actor="bench")
        raw_peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        assert report.overall.n is not None
        return report_peak, raw_peak, seconds, rows
    finally:
        await database.dispose()


def main(sizes: list[int]) -> None:
    tilfreds = Path(sys.executable).with_name("tilfreds")
    print(f"{'responses':>10} {'report peak MB':>15} {'raw peak MB':>12} {'report s':>9} {'raw rows':>9}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
            env = {**os.environ, "TILFREDS_DATABASE_URL": url, "TILFREDS_DATA_DIR": tmp}
            subprocess.run(
                [str(tilfreds), "demo", "seed", "--responses", str(size), "--today", TODAY.isoformat()],
                env=env,
                check=True,
                capture_output=True,
            )
            report_peak, raw_peak, seconds, rows = asyncio.run(measure(url, Path(tmp) / "raw.csv"))
            print(f"{size:>10} {report_peak:>15.1f} {raw_peak:>12.1f} {seconds:>9.2f} {rows:>9}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000, 20000])
