"""CPU per statement through the one-hop SQLite adapter against SQLAlchemy's stock aiosqlite adapter.

    .venv/bin/python -m bench sqlite-adapter [--repeats 5]

Both run in this process, alternating, on the same kind of file database: a connection executes a trivial
``SELECT 1`` many times and the process's CPU time is divided by the statements. The ratio shows what
``db/sqlite_async.py`` saves on the installed SQLAlchemy, and what its fallback (the stock adapter, used when a
private name it needs is gone) would cost.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import tempfile
from typing import Any

import sqlalchemy
from sqlalchemy import text

from db import sqlite_async
from db.database import Database


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _per_statement(module: Any, statements: int, directory: str) -> float:
    """Milliseconds of CPU per ``SELECT 1`` through ``module``."""
    saved = sqlite_async._dbapi
    sqlite_async._dbapi = module
    try:
        database = Database(f"sqlite+aiosqlite:///{directory}/adapter.sqlite3")
    finally:
        sqlite_async._dbapi = saved
    try:
        async with database.engine.connect() as connection:
            for _ in range(min(200, statements)):  # warm up: compiled-statement cache, the thread
                await connection.execute(text("SELECT 1"))
            started = _cpu()
            for _ in range(statements):
                await connection.execute(text("SELECT 1"))
            return (_cpu() - started) / statements * 1000
    finally:
        await database.dispose()


async def _run(statements: int, repeats: int) -> dict[str, Any]:
    adapters = {"one-hop": sqlite_async._one_hop(), "stock": sqlite_async._stock()}
    runs: dict[str, list[float]] = {name: [] for name in adapters}
    with tempfile.TemporaryDirectory() as directory:
        for _ in range(repeats):
            for name, module in adapters.items():
                runs[name].append(await _per_statement(module, statements, directory))
    medians = {name: statistics.median(values) for name, values in runs.items()}
    return {
        "sqlalchemy": sqlalchemy.__version__,
        "statements": statements,
        "cpu_ms_per_statement": medians,
        "runs": runs,
        "stock_over_one_hop": medians["stock"] / medians["one-hop"],
    }


def run(statements: int = 3000, repeats: int = 5) -> dict[str, Any]:
    figures = asyncio.run(_run(statements, repeats))
    medians = figures["cpu_ms_per_statement"]
    print(f"SQLite adapter, SQLAlchemy {figures['sqlalchemy']} ({statements} statements a run, {repeats} runs)")
    for name, values in figures["runs"].items():
        print(f"  {name:8} CPU {medians[name]:.3f} ({min(values):.3f}–{max(values):.3f}) ms per statement")
    print(f"  the stock adapter costs {figures['stock_over_one_hop']:.2f}x the one-hop one", flush=True)
    return figures
