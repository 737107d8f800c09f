"""``python -m bench [NAME ...] [--quick]``: run the benchmarks and print their figures."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.measure import machine

NAMES = [
    "footprint",
    "send-rate",
    "cost-per-answer",
    "sqlite-adapter",
    "web-answer",
    "seed",
    "analytics",
    "analytics-memory",
    "dashboard",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(NAMES)} (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: proves the scripts work in seconds")
    parser.add_argument(
        "--responses",
        type=int,
        default=None,
        help="analytics database size in responses (default 1,000,000; --quick 2,000)",
    )
    parser.add_argument("--updates", type=int, default=None, help="cost per answer: updates per bot (default 1,200)")
    parser.add_argument(
        "--respondents", type=int, default=None, help="web answer: respondents at once (default 100; --quick 10)"
    )
    parser.add_argument(
        "--postgres",
        default=None,
        help="PostgreSQL server URL for the cost-per-answer and web-answer runs (default: "
        "TILFREDS_TEST_POSTGRES_URL or postgresql+asyncpg://postgres@127.0.0.1:5432/test)",
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="runs of each measurement, medians reported (default 3; --quick 1)"
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="DIR",
        help="cost per answer, web answer: a py-spy flame graph of every bot or server run into DIR (slows them)",
    )
    parser.add_argument("--json", action="store_true", help="print all figures as JSON at the end")
    args = parser.parse_args(argv)
    names = args.names or NAMES
    unknown = [name for name in names if name not in NAMES]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    info = machine()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    results: dict[str, object] = {"machine": info}
    for name in names:
        started = time.perf_counter()
        if name == "footprint":
            from bench import footprint

            results[name] = footprint.run(repeats=2 if args.quick else 7, idle_seconds=1 if args.quick else 5)
        elif name == "send-rate":
            from bench import send_rate

            results[name] = send_rate.run(60 if args.quick else 1200)
        elif name == "cost-per-answer":
            from bench import cost_per_answer

            repeats = args.repeats or (1 if args.quick else 3)
            results[name] = cost_per_answer.run(
                args.updates or (48 if args.quick else 1200),
                postgres=args.postgres,
                repeats=repeats,
                profile=args.profile,
            )
        elif name == "sqlite-adapter":
            from bench import sqlite_adapter

            results[name] = sqlite_adapter.run(
                300 if args.quick else 3000, repeats=args.repeats or (1 if args.quick else 5)
            )
        elif name == "web-answer":
            from bench import web_answer

            results[name] = web_answer.run(
                args.respondents or (10 if args.quick else 100),
                postgres=args.postgres,
                repeats=args.repeats or (1 if args.quick else 3),
                profile=args.profile,
            )
        elif name == "seed":
            from bench import seed

            results[name] = seed.run(500 if args.quick else 100_000)
        elif name == "analytics":
            from bench import analytics

            results[name] = analytics.run(
                args.responses or (2000 if args.quick else 1_000_000), repeats=args.repeats or (1 if args.quick else 3)
            )
        elif name == "dashboard":
            from bench import dashboard

            results[name] = dashboard.run(args.responses or (2000 if args.quick else 1_000_000))
        elif name == "analytics-memory":
            from bench import analytics_memory

            print("Analytics memory as the data grow (tracemalloc)")
            analytics_memory.main([500, 2000] if args.quick else [2000, 20000])
        print(f"  ({name}: {time.perf_counter() - started:.0f}s wall)\n", flush=True)
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
