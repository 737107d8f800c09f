"""Analytics at national scale: the full one-year report over all segments, three ways, same numbers.

    .venv/bin/python -m bench analytics [--responses 1000000]

The database is made once by ``tilfreds demo seed`` (bulk inserts) and cached in ``bench/.cache/``.
Each way runs in a child process of its own, so its wall time, CPU time and peak RSS are its own
(``wait4``):

- ``report``: tilfreds, ``analytics.service.make_report`` for both surveys (GROUP BY in SQLite);
- ``duckdb``: the rows loaded into an in-memory DuckDB (loading not timed), the same numbers in SQL:
  what the hardware can do;
- ``naive``: every answer of the survey loaded into pandas with its response, the numbers by pandas.

The numbers compared: headline counts (n, satisfied, "ved ikke") overall, for the previous period, per
value of every segment key and per trend point; answer counts per item and option; comments; and the
response rate's counts (single-use invitations issued and completed, overall and per segment value,
and responses through multi-use invitations) — everything the report computes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.measure import CACHE, ChildRun, run_child

TODAY = date(2026, 11, 26)
PERIOD = "2025"  # the last full year: the annual follow-up
TZ = "Europe/Copenhagen"
SURVEYS = ("citizen", "employer")
Numbers = dict[str, Any]


def database_path(responses: int) -> Path:
    return CACHE / f"analytics-{responses}.sqlite3"


def ensure_database(responses: int) -> tuple[Path, ChildRun | None]:
    """The cached demo database of ``responses`` responses; seeded (and measured) when missing."""
    path = database_path(responses)
    done = path.with_suffix(".done")
    env = {
        **os.environ,
        "TILFREDS_DATABASE_URL": f"sqlite+aiosqlite:///{path}",
        "TILFREDS_DATA_DIR": str(CACHE),
        "TILFREDS_SECRET_KEY": "bench-secret",
    }
    tilfreds = str(Path(sys.executable).with_name("tilfreds"))
    if path.exists() and done.exists():
        # A cache from an older schema gets the newer migrations (indexes) before it is measured.
        upgraded = run_child([tilfreds, "db", "upgrade"], env=env)
        if upgraded.returncode != 0:
            raise RuntimeError(f"db upgrade of the cached database failed: {upgraded.stderr[-2000:]}")
        return path, None
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    print(f"  seeding {responses:,} responses into {path} (once; cached) …", flush=True)
    seeded = run_child(
        [tilfreds, "demo", "seed", "--responses", str(responses), "--seed", "1", "--today", TODAY.isoformat()], env=env
    )
    if seeded.returncode != 0:
        raise RuntimeError(f"demo seed failed: {seeded.stderr[-2000:]}")
    done.write_text(json.dumps({"wall_s": seeded.wall, "cpu_s": seeded.cpu}))
    return path, seeded


# -- what to count: the same bounds for all three ways ------------------------------------------


def plan(survey_key: str) -> dict[str, Any]:
    from analytics.collect import trend_periods
    from analytics.layout import CHANNEL, layout_of
    from analytics.periods import Period, parse_period
    from surveys import get_survey

    layout = layout_of(get_survey(survey_key))
    period = parse_period(PERIOD, TODAY)
    points = [
        Period(p.label, max(p.start, period.start), min(p.end, period.end), p.kind) for p in trend_periods(period)
    ]
    edges = [points[0].utc_bounds(TZ)[0], *(p.utc_bounds(TZ)[1] for p in points)]
    return {
        "layout": layout,
        "period": period,
        "headline": layout.headline_id,
        "current": period.utc_bounds(TZ),
        "previous": period.previous().utc_bounds(TZ),
        "edges": edges,
        "numeric": [item.id for item in layout.items_of("scale", "nps")],
        "texts": [item.id for item in layout.items_of("text")],
        # The invitation's segments; the channel (a column, not in the segments JSON) is left to the report.
        "keys": [key for key in layout.segments if key != CHANNEL],
    }


def stamp(moment: datetime) -> str:
    """A UTC instant as SQLite holds it (naive UTC text), so string comparison is time comparison."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _invitation_numbers(overall: Any, by_key: dict[str, Any]) -> Numbers:
    """{"": [issued, completed], key: {value: [issued, completed]}} from the report's counts."""
    numbers: Numbers = {"": [overall.issued, overall.completed] if overall else [0, 0]}
    for key, rows in by_key.items():
        numbers[key] = {c.segment or "": [c.issued, c.completed] for c in rows}
    return numbers


def _kpi(row: Any) -> list[int]:
    return [int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)]


# -- the three ways ---------------------------------------------------------------------------


def way_report(path: Path) -> tuple[dict[str, Numbers], float]:
    import asyncio

    from analytics.collect import collect
    from analytics.report import build_report
    from db.database import Database

    async def main() -> dict[str, Numbers]:
        database = Database(f"sqlite+aiosqlite:///{path}")
        numbers: dict[str, Numbers] = {}
        try:
            for key in SURVEYS:
                p = plan(key)
                counts = await collect(database.sessions, p["layout"], p["period"], tz=TZ, segment_keys=p["keys"])
                report = build_report(counts, 5)
                assert report.overall is not None
                numbers[key] = {
                    "overall": [counts.overall.n, counts.overall.satisfied, counts.overall.dont_know],
                    "previous": [counts.previous.n, counts.previous.satisfied, counts.previous.dont_know],
                    "segments": {
                        k: {c.segment or "": [c.n, c.satisfied, c.dont_know] for c in rows}
                        for k, rows in counts.by_segment.items()
                    },
                    "trend": [[c.n, c.satisfied, c.dont_know] for _p, c in counts.trend],
                    "values": sorted(
                        [v.question_id, v.option or "", -1 if v.value is None else v.value, v.count]
                        for v in counts.values
                    ),
                    "comments": counts.comments,
                    "invitations": _invitation_numbers(counts.invitations, counts.invitations_by_segment),
                    "multi_use": counts.multi_use_responses,
                }
        finally:
            await database.dispose()
        return numbers

    started = time.perf_counter()
    numbers = asyncio.run(main())
    return numbers, time.perf_counter() - started


def way_duckdb(path: Path, on_loaded: Any = None) -> tuple[dict[str, Any], float, float]:
    import duckdb

    loading = time.perf_counter()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con = duckdb.connect()
    keys = sorted({k for key in SURVEYS for k in plan(key)["keys"]})
    # Reports break down by the response's language like a segment: fold it into the segments here.
    responses = source.execute(
        "SELECT id, survey_key, status, invitation_id, json_set(segments, '$.language', language) FROM responses"
    )
    con.execute(
        "CREATE TABLE r_raw (id INTEGER, survey_key VARCHAR, status VARCHAR, invitation_id INTEGER, segments VARCHAR)"
    )
    con.execute(
        "CREATE TABLE answers (response_id INTEGER, question_id VARCHAR, option VARCHAR, value INTEGER, "
        "text VARCHAR, answered_at VARCHAR)"
    )
    while batch := responses.fetchmany(200_000):
        con.append("r_raw", _frame(batch, ["id", "survey_key", "status", "invitation_id", "segments"]))
    invitations = source.execute("SELECT id, survey_key, max_uses, created_at, segments FROM invitations")
    con.execute(
        "CREATE TABLE i_raw (id INTEGER, survey_key VARCHAR, max_uses INTEGER, created_at VARCHAR, segments VARCHAR)"
    )
    while batch := invitations.fetchmany(200_000):
        con.append("i_raw", _frame(batch, ["id", "survey_key", "max_uses", "created_at", "segments"]))
    answers = source.execute("SELECT response_id, question_id, option, value, text, answered_at FROM answers")
    while batch := answers.fetchmany(500_000):
        con.append("answers", _frame(batch, ["response_id", "question_id", "option", "value", "text", "answered_at"]))
    segment_columns = ", ".join(f'json_extract_string(segments, \'$."{k}"\') AS "{k}"' for k in keys)
    con.execute(f"CREATE TABLE responses AS SELECT id, survey_key, status, invitation_id, {segment_columns} FROM r_raw")
    con.execute("DROP TABLE r_raw")
    con.execute(
        f"CREATE TABLE invitations AS SELECT id, survey_key, max_uses, CAST(created_at AS TIMESTAMP) "
        f"AS created_at, {segment_columns} FROM i_raw"
    )
    con.execute("DROP TABLE i_raw")
    con.execute(
        "CREATE TABLE answers_t AS SELECT response_id, question_id, option, value, text, "
        "CAST(answered_at AS TIMESTAMP) AS answered_at FROM answers"
    )
    con.execute("DROP TABLE answers")
    source.close()
    loaded = time.perf_counter() - loading

    numbers: dict[str, Any] = {"_cpu_loaded": on_loaded() if on_loaded else 0.0}
    started = time.perf_counter()
    for key in SURVEYS:
        p = plan(key)

        def counted(start: datetime, end: datetime, p: dict[str, Any] = p, key: str = key) -> str:
            return (
                f"FROM responses r JOIN answers_t h ON h.response_id = r.id AND h.question_id = '{p['headline']}' "
                f"WHERE r.survey_key = '{key}' AND r.status <> 'withdrawn' "
                f"AND h.answered_at >= TIMESTAMP '{stamp(start)}' AND h.answered_at < TIMESTAMP '{stamp(end)}' "
                f"AND (h.value BETWEEN 1 AND 5 OR h.option = 'dk')"
            )

        kpi = (
            "count(*) FILTER (WHERE h.value BETWEEN 1 AND 5), count(*) FILTER (WHERE h.value >= 4), "
            "count(*) FILTER (WHERE h.option = 'dk')"
        )
        current = counted(*p["current"])
        segments = {}
        for k in p["keys"]:
            rows = con.execute(f"SELECT coalesce(r.\"{k}\", ''), {kpi} {current} GROUP BY 1").fetchall()
            segments[k] = {row[0]: _kpi(row[1:]) for row in rows}
        edges = p["edges"]
        bucket = " ".join(f"WHEN h.answered_at < TIMESTAMP '{stamp(e)}' THEN {i}" for i, e in enumerate(edges[1:]))
        trend_rows = dict(
            (int(r[0]), _kpi(r[1:]))
            for r in con.execute(
                f"SELECT CASE {bucket} END AS b, {kpi} {counted(edges[0], edges[-1])} GROUP BY b"
            ).fetchall()
            if r[0] is not None
        )
        ids = ", ".join(f"'{q}'" for q in p["numeric"])
        texts = ", ".join(f"'{q}'" for q in p["texts"]) or "''"
        values = con.execute(
            f"SELECT i.question_id, coalesce(i.option, ''), coalesce(i.value, -1), count(*) {current.replace('WHERE', 'JOIN answers_t i ON i.response_id = r.id WHERE', 1)} "  # noqa: E501
            f"AND i.question_id IN ({ids}) GROUP BY 1, 2, 3"
        ).fetchall()
        comments = con.execute(
            f"SELECT count(DISTINCT r.id) {current.replace('WHERE', 'JOIN answers_t c ON c.response_id = r.id WHERE', 1)} "  # noqa: E501
            f"AND c.question_id IN ({texts}) AND c.text IS NOT NULL AND c.text <> ''"
        ).fetchone()
        start, end = p["current"]
        issued = (
            f"FROM invitations i LEFT JOIN (SELECT DISTINCT invitation_id FROM responses "
            f"WHERE status = 'completed') c ON c.invitation_id = i.id WHERE i.survey_key = '{key}' "
            f"AND i.max_uses = 1 AND i.created_at >= TIMESTAMP '{stamp(start)}' "
            f"AND i.created_at < TIMESTAMP '{stamp(end)}'"
        )
        invited: Numbers = {
            "": [int(x) for x in con.execute(f"SELECT count(*), count(c.invitation_id) {issued}").fetchone()]
        }
        for k in p["keys"]:
            invited[k] = {
                row[0]: [int(row[1]), int(row[2])]
                for row in con.execute(
                    f"SELECT coalesce(i.\"{k}\", ''), count(*), count(c.invitation_id) {issued} GROUP BY 1"
                ).fetchall()
            }
        multi_use = con.execute(
            f"SELECT count(*) {current.replace('WHERE', 'LEFT JOIN invitations m ON m.id = r.invitation_id WHERE', 1)} "  # noqa: E501
            "AND (m.id IS NULL OR m.max_uses IS NULL OR m.max_uses <> 1)"
        ).fetchone()[0]
        numbers[key] = {
            "overall": _kpi(con.execute(f"SELECT {kpi} {current}").fetchone()),
            "previous": _kpi(con.execute(f"SELECT {kpi} {counted(*p['previous'])}").fetchone()),
            "segments": segments,
            "trend": [trend_rows.get(i, [0, 0, 0]) for i in range(len(edges) - 1)],
            "values": sorted([q, o, int(v), int(c)] for q, o, v, c in values),
            "comments": int(comments[0]),
            "invitations": invited,
            "multi_use": int(multi_use),
        }
    return numbers, time.perf_counter() - started, loaded


def _frame(rows: list[tuple[Any, ...]], columns: list[str]) -> Any:
    import pandas as pd

    return pd.DataFrame.from_records(rows, columns=columns)


def way_naive(path: Path) -> tuple[dict[str, Numbers], float]:
    """What one would write first: load every answer with its response into pandas, then filter and count."""
    import pandas as pd

    started = time.perf_counter()
    numbers: dict[str, Numbers] = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        for key in SURVEYS:
            p = plan(key)
            frame = pd.read_sql(
                "SELECT a.response_id, a.question_id, a.option, a.value, a.text, a.answered_at, r.status, "
                "r.invitation_id, json_set(r.segments, '$.language', r.language) AS segments "
                "FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.survey_key = ?",
                con,
                params=(key,),
            )
            frame["answered_at"] = pd.to_datetime(frame["answered_at"])
            segments = pd.json_normalize(frame["segments"].map(json.loads).tolist())
            frame = pd.concat([frame.drop(columns="segments"), segments], axis=1)
            heads = frame[
                (frame.question_id == p["headline"])
                & (frame.status != "withdrawn")
                & (frame.value.between(1, 5) | (frame.option == "dk"))
            ]

            def window(start: datetime, end: datetime, heads: pd.DataFrame = heads) -> pd.DataFrame:
                lo = pd.Timestamp(stamp(start))
                hi = pd.Timestamp(stamp(end))
                return heads[(heads.answered_at >= lo) & (heads.answered_at < hi)]

            def kpi(rows: pd.DataFrame) -> list[int]:
                return [
                    int(rows.value.between(1, 5).sum()),
                    int((rows.value >= 4).sum()),
                    int((rows.option == "dk").sum()),
                ]

            current = window(*p["current"])
            segs = {
                k: {str(v): kpi(g) for v, g in current.assign(**{k: current[k].fillna("")}).groupby(k)}
                for k in p["keys"]
                if k in current
            }
            edges = p["edges"]
            trend = [kpi(window(a, b)) for a, b in zip(edges, edges[1:], strict=False)]
            ids = set(current.response_id)
            items = frame[frame.response_id.isin(ids) & frame.question_id.isin(p["numeric"])]
            values = (
                items.assign(option=items.option.fillna(""), value=items.value.fillna(-1).astype(int))
                .groupby(["question_id", "option", "value"])
                .size()
            )
            texts = frame[
                frame.response_id.isin(ids)
                & frame.question_id.isin(p["texts"])
                & frame.text.notna()
                & (frame.text != "")
            ]
            invitations = pd.read_sql(
                "SELECT id, max_uses, created_at, segments FROM invitations WHERE survey_key = ?", con, params=(key,)
            )
            invitations["created_at"] = pd.to_datetime(invitations["created_at"])
            invitations = pd.concat(
                [
                    invitations.drop(columns="segments"),
                    pd.json_normalize(invitations["segments"].map(json.loads).tolist()),
                ],
                axis=1,
            )
            completed = set(frame.loc[frame.status == "completed", "invitation_id"].dropna().astype(int))
            lo, hi = (pd.Timestamp(stamp(t)) for t in p["current"])
            issued = invitations[
                (invitations.max_uses == 1) & (invitations.created_at >= lo) & (invitations.created_at < hi)
            ]
            issued = issued.assign(done=issued.id.isin(completed))
            invited: Numbers = {"": [len(issued), int(issued.done.sum())]}
            for k in p["keys"]:
                column = issued[k].fillna("") if k in issued else pd.Series("", index=issued.index)
                invited[k] = {str(v): [len(g), int(g.done.sum())] for v, g in issued.groupby(column)}
            single_use = set(invitations.loc[invitations.max_uses == 1, "id"])
            numbers[key] = {
                "overall": kpi(current),
                "previous": kpi(window(*p["previous"])),
                "segments": segs,
                "trend": trend,
                "values": sorted([q, o, int(v), int(c)] for (q, o, v), c in values.items()),
                "comments": int(texts.response_id.nunique()),
                "invitations": invited,
                "multi_use": int((~current.invitation_id.isin(single_use)).sum()),
            }
    return numbers, time.perf_counter() - started


# -- the parent -------------------------------------------------------------------------------


def child(way: str, path: str) -> None:
    """Run one way in this process and print its numbers and timings as JSON."""
    cpu = time.process_time()
    if way == "report":
        numbers, seconds = way_report(Path(path))
        extra: dict[str, float] = {"compute_cpu": time.process_time() - cpu}
    elif way == "duckdb":
        numbers, seconds, loaded = way_duckdb(Path(path), on_loaded=lambda: time.process_time())
        extra = {"load_s": loaded, "compute_cpu": time.process_time() - numbers.pop("_cpu_loaded")}
    else:
        numbers, seconds = way_naive(Path(path))
        extra = {"compute_cpu": time.process_time() - cpu}
    print(json.dumps({"numbers": numbers, "seconds": seconds, **extra}))


def run(
    responses: int = 1_000_000, repeats: int = 3, ways: tuple[str, ...] = ("report", "duckdb", "naive")
) -> dict[str, Any]:
    """Measure ``ways`` on the cached database of ``responses`` responses; print and return the figures."""
    from bench.measure import median

    path, seeded = ensure_database(responses)
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        n_responses = con.execute("SELECT count(*) FROM responses").fetchone()[0]
        n_answers = con.execute("SELECT count(*) FROM answers").fetchone()[0]
    results: dict[str, list[dict[str, Any]]] = {way: [] for way in ways}
    for attempt in range(repeats):
        for way in results:
            if way == "naive" and attempt > 0 and responses >= 200_000:
                continue  # minutes each: once is enough to show the order of magnitude
            measured = run_child([sys.executable, "-m", "bench.analytics", way, str(path)])
            if measured.returncode != 0:
                raise RuntimeError(f"{way} failed: {measured.stderr[-3000:]}")
            out = json.loads(measured.stdout.strip().splitlines()[-1])
            results[way].append({**out, "wall": measured.wall, "cpu": measured.cpu, "rss": measured.peak_rss_mib})
            print(
                f"    {way}: {out['seconds']:.2f}s computing, {out['compute_cpu']:.2f}s CPU, "
                f"peak RSS {measured.peak_rss_mib:.0f} MiB",
                flush=True,
            )

    def fig(way: str, field: str) -> float:
        return median([r[field] for r in results[way]]) if way in results else float("nan")

    same = all(r["numbers"] == results["report"][0]["numbers"] for rs in results.values() for r in rs)
    print(
        f"Analytics ({n_responses:,} responses, {n_answers:,} answers; report {PERIOD} for "
        f"{' and '.join(SURVEYS)}, every segment; medians of {repeats})"
    )
    if seeded is not None:
        print(f"  seeded now: {seeded.wall:.0f}s wall, {seeded.cpu:.0f}s CPU")
    for way in results:
        extra = f" (+ {fig(way, 'load_s'):.1f}s loading, not timed)" if way == "duckdb" else ""
        print(
            f"  {way:<7} {fig(way, 'seconds'):7.2f}s computing ({fig(way, 'compute_cpu'):.2f}s CPU){extra}; "
            f"process {fig(way, 'wall'):.1f}s wall, "
            f"{fig(way, 'cpu'):.1f}s CPU, peak RSS {fig(way, 'rss'):.0f} MiB (n={len(results[way])})"
        )
    report, duck, naive = fig("report", "seconds"), fig("duckdb", "seconds"), fig("naive", "seconds")
    cpu = {way: fig(way, "compute_cpu") for way in ways}
    print(
        f"  report / duckdb: {report / duck:.1f}x (target <= 5x); naive / report: {naive / report:.1f}x "
        f"(target >= 10x); in CPU time {cpu.get('report', 0) / cpu.get('duckdb', 1):.1f}x and "
        f"{cpu.get('naive', 0) / cpu.get('report', 1):.1f}x; report peak RSS {fig('report', 'rss'):.0f} MiB "
        f"(target <= 500); identical numbers: {'yes' if same else 'NO'}"
    )
    overall = results["report"][0]["numbers"]["citizen"]["overall"]
    print(f"  (citizen {PERIOD}: n={overall[0]:,}, satisfied={overall[1]:,}, ved ikke={overall[2]:,})")
    return {
        "responses": n_responses,
        "answers": n_answers,
        "report_s": report,
        "duckdb_s": duck,
        "naive_s": naive,
        "report_vs_duckdb": report / duck,
        "cpu": cpu,
        "naive_vs_report": naive / report,
        "report_rss_mib": fig("report", "rss"),
        "duckdb_rss_mib": fig("duckdb", "rss"),
        "naive_rss_mib": fig("naive", "rss"),
        "identical": same,
        "numbers": {w: results[w][0]["numbers"] for w in results},
    }


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2])
