"""The benchmark scripts still work: each runs at a tiny size and produces its figures.

Timing is not asserted (that is what ``make bench`` and bench/RESULTS.md are for); agreement is:
the three analytics methods give identical numbers, and every update gets its answer.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_analytics_ways_agree(tmp_path, monkeypatch) -> None:
    import importlib.util

    from bench import analytics

    monkeypatch.setattr(analytics, "CACHE", tmp_path)
    # DuckDB comes with the bench dependency group (make bench); make test has report and naive pandas.
    ways = ("report", "naive", "duckdb") if importlib.util.find_spec("duckdb") else ("report", "naive")
    figures = analytics.run(300, repeats=1, ways=ways)
    assert figures["identical"] is True
    assert set(figures["numbers"]) == set(ways)
    numbers = figures["numbers"]["report"]["citizen"]
    assert numbers["overall"][0] > 0 and numbers["segments"] and numbers["values"]
    assert figures["report_rss_mib"] > 0 and figures["naive_s"] > 0


def test_sqlite_adapter_measures_both_adapters() -> None:
    from bench import sqlite_adapter

    figures = sqlite_adapter.run(50, repeats=1)
    assert set(figures["cpu_ms_per_statement"]) == {"one-hop", "stock"}
    assert all(len(values) == 1 for values in figures["runs"].values())
    assert figures["stock_over_one_hop"] > 0


def test_dashboard_loads_the_staff_pages_and_makes_the_pdf(tmp_path, monkeypatch) -> None:
    import importlib.util

    from bench import analytics, dashboard

    monkeypatch.setattr(analytics, "CACHE", tmp_path)
    figures = dashboard.run(300, loads=2, duckdb=importlib.util.find_spec("duckdb") is not None)
    for page in ("overview", "drill_down"):  # every load answered 200 (asserted inside)
        assert figures[page]["first_s"] > 0 and figures[page]["warm_median_s"] > 0
    assert figures["pdf"]["bytes"] > 10_000 and figures["pdf"]["pdf_s"] > 0


def test_cost_per_answer_runs_every_bot_on_the_same_updates(tmp_path) -> None:
    from bench import cost_per_answer

    figures = cost_per_answer.run(16, repeats=1, profile=tmp_path)
    assert figures["updates"] == 16  # two phones, eight answers each, to every bot
    assert figures["tilfreds-sqlite"]["cpu_ms_per_update"] > 0
    assert figures["tilfreds-sqlite"]["ratio_to_echo"] > 0
    assert figures["echo-aiohttp"]["cpu_ms_per_update"] > 0
    assert (tmp_path / "tilfreds-sqlite-1.svg").read_text().startswith("<?xml")  # the flame graph


def test_send_rate_counts_what_the_referee_saw() -> None:
    from bench import send_rate

    figures = send_rate.run(20)
    assert figures["reminded"] == 20
    assert figures["delivered"] == 20 and figures["chats"] == 20
    assert figures["rate"] > 0


def test_footprint_and_seed_produce_figures() -> None:
    from bench import footprint, seed

    figures = footprint.run(repeats=1, idle_seconds=0.5)
    assert figures["idle_rss_mib"] > 0 and figures["help_vs_telegram_cpu"] > 0
    seeded = seed.run(50)
    assert seeded["responses"] == 50 and seeded["answers"] > 0


def test_web_answer_measures_tilfreds_and_the_bare_handler_and_a_whole_survey() -> None:
    from bench import web_answer

    figures = web_answer.run(3, repeats=1)
    sqlite = figures["sqlite"]
    assert sqlite["tilfreds_cpu_ms_per_question"] > 0 and sqlite["bare_cpu_ms_per_question"] > 0
    assert sqlite["p95_ms"] >= sqlite["p50_ms"] > 0
    assert figures["survey"]["requests"] == 21  # welcome, stylesheet, start, 8 x (question + answer), thanks
    assert 0 < figures["survey"]["html_bytes"] < figures["survey"]["bytes"]
