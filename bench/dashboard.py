"""The staff dashboard at national scale: overview and drill-down page loads, DuckDB beside them, the PDF.

    .venv/bin/python -m bench dashboard [--responses 1000000]

On the cached demo database of ``bench analytics`` (SQLite; seeded once), in one run:

- the real staff app in this process (aiohttp test server, a logged-in member of staff): the overview
  (``/staff/overview``, both surveys, the last full year) and the drill-down (``/staff/surveys/citizen``,
  by its first segment) — the first load, which counts, and the median of 10 warm loads, which find the
  reports kept (``analytics/cache.py``) while the data version stands;
- DuckDB computing the same overview's numbers from scratch over the same rows (``bench analytics``'s
  ``duckdb`` way, in a child process; loading the rows into DuckDB is not timed);
- the PDF committee paper of the citizen survey: counting the report, and WeasyPrint making the PDF.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.analytics import PERIOD, TODAY, TZ, ensure_database
from bench.measure import median, run_child

LOADS = 10
USER, PASSWORD = "bench", "bench-password-1"


async def _page_loads(path: Path, loads: int) -> dict[str, Any]:
    import re

    from aiohttp.test_utils import TestClient, TestServer

    from db.database import Database
    from db.repo import staff
    from surveys import get_survey
    from tilfreds.app import build_app
    from tilfreds.settings import Settings
    from tilfreds.web.passwords import hash_password

    database = Database(f"sqlite+aiosqlite:///{path}")
    figures: dict[str, Any] = {}
    try:
        try:
            async with database.sessions.begin() as session:
                await staff.create_user(session, USER, hash_password(PASSWORD))
        except staff.DuplicateUser:
            pass  # made by an earlier run
        with tempfile.TemporaryDirectory() as data:
            settings = Settings(data_dir=Path(data), secret_key="bench-secret-" + "k" * 40, telegram_token=None)
            async with TestClient(TestServer(build_app(settings, database))) as client:
                page = await client.get("/staff/login")
                token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text()).group(1)  # type: ignore[union-attr]
                done = await client.post(
                    "/staff/login",
                    data={"csrf_token": token, "username": USER, "password": PASSWORD},
                    allow_redirects=False,
                )
                assert done.status == 303, await done.text()
                by = next(iter(get_survey("citizen").segments))
                for name, url in (
                    ("overview", f"/staff/overview?period={PERIOD}"),
                    ("drill_down", f"/staff/surveys/citizen?period={PERIOD}&by={by}"),
                ):
                    times = []
                    for _ in range(loads + 1):
                        started = time.perf_counter()
                        reply = await client.get(url)
                        await reply.read()
                        times.append(time.perf_counter() - started)
                        assert reply.status == 200, url
                    figures[name] = {
                        "first_s": times[0],
                        "warm_median_s": median(times[1:]),
                        "warm_max_s": max(times[1:]),
                    }
    finally:
        await database.dispose()
    return figures


async def _pdf(path: Path) -> dict[str, float]:
    from analytics.exports.pdf import render_pdf
    from analytics.layout import layout_of
    from analytics.periods import parse_period
    from analytics.service import make_report
    from db.database import Database
    from surveys import get_survey

    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        started = time.perf_counter()
        report = await make_report(
            database, layout_of(get_survey("citizen")), parse_period(PERIOD, TODAY), tz=TZ, min_cell_size=5
        )
        counted = time.perf_counter()
        pdf = await asyncio.to_thread(render_pdf, [report])
        made = time.perf_counter()
    finally:
        await database.dispose()
    return {"count_s": counted - started, "pdf_s": made - counted, "total_s": made - started, "bytes": len(pdf)}


def run(responses: int = 1_000_000, loads: int = LOADS, duckdb: bool = True) -> dict[str, Any]:
    """Measure on the cached database of ``responses`` responses; ``duckdb`` False leaves DuckDB out (it comes
    with the bench dependencies, not with ``make test``)."""
    path, seeded = ensure_database(responses)
    if seeded is not None:
        print(f"  seeded now: {seeded.wall:.0f}s wall, {seeded.cpu:.0f}s CPU", flush=True)
    pages = asyncio.run(_page_loads(path, loads))
    duck = float("nan")
    if duckdb:
        measured = run_child([sys.executable, "-m", "bench.analytics", "duckdb", str(path)])
        if measured.returncode != 0:
            raise RuntimeError(f"duckdb failed: {measured.stderr[-3000:]}")
        duck = json.loads(measured.stdout.strip().splitlines()[-1])["seconds"]
    pdf = asyncio.run(_pdf(path))
    print(f"Dashboard ({responses:,} responses; period {PERIOD}; SQLite; median of {loads} warm loads)")
    for name, fig in pages.items():
        print(
            f"  {name:<10} first load {fig['first_s']:6.2f}s; warm {fig['warm_median_s'] * 1000:6.0f} ms median, "
            f"{fig['warm_max_s'] * 1000:.0f} ms max (target <= 1 s)"
        )
    print(f"  duckdb     the overview's numbers from scratch: {duck:.2f}s (rows already loaded)")
    print(
        f"  pdf        citizen {PERIOD}: {pdf['count_s']:.2f}s counting + {pdf['pdf_s']:.2f}s WeasyPrint = "
        f"{pdf['total_s']:.2f}s (target <= 5 s), {pdf['bytes'] / 1024:.0f} KiB"
    )
    return {"responses": responses, **pages, "duckdb_s": duck, "pdf": pdf}
