"""Answering in the browser: CPU per question against a bare aiohttp handler, latency under load, bytes per survey.

    .venv/bin/python -m bench web-answer [--respondents 100] [--postgres URL] [--profile DIR]

Respondents (in this process, one cookie jar each, all at once) answer the citizen survey through a real
``tilfreds run`` (its own process, Telegram off): one question is a GET of the question page and a POST of
the answer (answered with a 303 to the next page). The bare server (the same database, its own process, the
same SQLAlchemy engine set-up) answers the same GET with a small fixed form and the POST by parsing the form and
inserting one row in a transaction — writers taking turns on SQLite — the least any web form that stores an
answer does. Server CPU (user + system,
from /proc) over the answering phase, divided by the questions, is the cost per question; PostgreSQL's own
server processes are not counted in either. Latency: every GET and POST of the tilfreds run, p50 and p95.
Bytes: headers and bodies of one whole survey (welcome, start, every question, thanks, the stylesheet once).
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.cost_per_answer import DEFAULT_POSTGRES, _drop, _postgres_database
from bench.measure import median, process_cpu, spy_on
from tests.bot.conftest import free_port

SECRET = "bench-web-secret"
_FIELD = re.compile(rb'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')
_ACTION = re.compile(rb'<form method="post" action="([^"]+)"')
_QUESTION = re.compile(rb'name="question" value="([a-z0-9_]+)"')


# -- the bare handler (run as ``python -m bench.web_answer bare URL PORT``) ---------------------------

BARE_PAGE = (
    "<!doctype html><html lang=da><title>Spørgsmål</title><form method=post action=/a>"
    + "".join(f"<label><input type=radio name=option value={v}> {v}</label>" for v in range(1, 6))
    + "<button>Næste</button></form>"
)


def bare_server(url: str, port: int) -> None:
    """GET: a fixed form; POST: parse it and insert one row in a transaction. Nothing else."""
    import contextlib

    from aiohttp import web
    from sqlalchemy import Column, Integer, MetaData, String, Table, insert

    from db.database import Database

    metadata = MetaData()
    table = Table("bare_answers", metadata, Column("id", Integer, primary_key=True), Column("option", String(12)))
    database = Database(url)  # the same engine set-up as tilfreds (on SQLite: its one-hop adapter and pragmas)
    engine = database.engine
    # SQLite has one writer: writers take turns here rather than fail with "database is locked".
    turns = asyncio.Lock() if database.is_sqlite else contextlib.nullcontext()

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=BARE_PAGE, content_type="text/html")

    async def post(request: web.Request) -> web.Response:
        form = await request.post()
        async with turns, engine.begin() as connection:
            await connection.execute(insert(table).values(option=str(form.get("option", ""))))
        raise web.HTTPSeeOther("/q")

    async def main() -> None:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        app = web.Application()
        app.router.add_get("/q", page)
        app.router.add_post("/a", post)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


# -- the respondents ---------------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    questions: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def cpu_ms_per_question(self) -> float:
        return 1000 * self.cpu / self.questions if self.questions else float("nan")

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


async def _timed(run: Run, call: Any) -> aiohttp.ClientResponse:
    started = time.perf_counter()
    response = await call
    await response.read()
    run.latencies.append(time.perf_counter() - started)
    return response


async def _respond(base: str, token: str, run: Run, person: int) -> None:
    """One person: the welcome and start (not timed), then every question: GET it, POST the answer.

    Each person calls from an address of their own (127.0.x.y), as phones do: the pages' per-address rate
    limit is not what is measured."""
    address = f"127.0.{1 + person // 250}.{1 + person % 250}"
    connector = aiohttp.TCPConnector(local_addr=(address, 0))
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector) as http:
        async with http.get(f"{base}/s/{token}") as landing:
            body = await landing.read()
        fields = {k.decode(): v.decode() for k, v in _FIELD.findall(body)}
        async with http.post(f"{base}/s/{token}", data=fields, allow_redirects=False) as started:
            assert started.status == 303, started.status
        while True:
            page = await _timed(run, http.get(f"{base}/s/{token}/q", allow_redirects=False))
            if page.status == 303:  # done: the thank-you
                return
            body = await page.read()
            fields = {k.decode(): v.decode() for k, v in _FIELD.findall(body)}
            action = _ACTION.search(body)
            assert action is not None, body[:300]
            question = fields.get("question")
            answer = {"text": "Kortere ventetid"} if question == "better" else {"option": "4"}
            posted = await _timed(
                run, http.post(base + action.group(1).decode(), data=fields | answer, allow_redirects=False)
            )
            assert posted.status == 303, (posted.status, question)
            run.questions += 1


async def _bare_respond(base: str, questions: int, run: Run) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(questions):
            await _timed(run, http.get(f"{base}/q"))
            posted = await _timed(run, http.post(f"{base}/a", data={"option": "4"}, allow_redirects=False))
            assert posted.status == 303
            run.questions += 1


async def _invite(url: str, count: int) -> list[str]:
    from db.database import Database
    from db.repo import invitations

    database = Database(url)
    try:
        await database.upgrade()
        async with database.sessions.begin() as session:
            _batch, issued = await invitations.create_batch(
                session, SECRET.encode(), survey_key="citizen", segments={}, count=count, created_by="bench"
            )
    finally:
        await database.dispose()
    return [item.token for item in issued]


def _start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


async def _healthy(base: str, proc: subprocess.Popen[str], path: str) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {proc.stdout.read()[-2000:] if proc.stdout else ''}")
            try:
                async with http.get(base + path) as reply:
                    if reply.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


async def run_tilfreds(url: str, respondents: int, data_dir: str, profile: Path | None = None) -> Run:
    """One run of the respondents against ``tilfreds run``; with ``profile`` (a file), py-spy samples the
    server into a flame graph there (its CPU figure then includes the sampling: for hot spots only)."""
    tokens = await _invite(url, respondents)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILFREDS_")}
    env |= {
        "TILFREDS_DATABASE_URL": url,
        "TILFREDS_DATA_DIR": data_dir,
        "TILFREDS_HTTP_PORT": str(port),
        "TILFREDS_SECRET_KEY": SECRET,
        "TILFREDS_LOG_LEVEL": "WARNING",
    }
    proc = _start([sys.executable, "-m", "tilfreds", "run"], env)
    base = f"http://127.0.0.1:{port}"
    run = Run("tilfreds")
    spy = None
    try:
        await _healthy(base, proc, "/healthz")
        spy = spy_on(proc.pid, profile) if profile is not None else None
        if spy is not None:
            await asyncio.sleep(1.0)  # py-spy attaches
        cpu0, t0 = process_cpu(proc.pid), time.perf_counter()
        await asyncio.gather(*(_respond(base, token, run, i) for i, token in enumerate(tokens)))
        run.wall, run.cpu = time.perf_counter() - t0, process_cpu(proc.pid) - cpu0
    finally:
        _stop(proc)
    if spy is not None:
        await asyncio.to_thread(spy.wait, 30)  # py-spy writes the graph when the server exits
    return run


async def run_bare(url: str, respondents: int, questions: int) -> Run:
    port = free_port()
    proc = _start([sys.executable, "-m", "bench.web_answer", "bare", url, str(port)], dict(os.environ))
    base = f"http://127.0.0.1:{port}"
    run = Run("bare")
    try:
        await _healthy(base, proc, "/q")
        cpu0, t0 = process_cpu(proc.pid), time.perf_counter()
        per = questions // respondents
        await asyncio.gather(*(_bare_respond(base, per, run) for _ in range(respondents)))
        run.wall, run.cpu = time.perf_counter() - t0, process_cpu(proc.pid) - cpu0
    finally:
        _stop(proc)
    return run


async def survey_bytes(url: str, data_dir: str) -> dict[str, int]:
    """Bytes of one whole survey in the browser: status lines, headers and bodies, the stylesheet once."""
    [token] = await _invite(url, 1)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILFREDS_")}
    env |= {"TILFREDS_DATABASE_URL": url, "TILFREDS_DATA_DIR": data_dir, "TILFREDS_HTTP_PORT": str(port)}
    env |= {"TILFREDS_SECRET_KEY": SECRET, "TILFREDS_LOG_LEVEL": "WARNING"}
    proc = _start([sys.executable, "-m", "tilfreds", "run"], env)
    base = f"http://127.0.0.1:{port}"
    totals = {"requests": 0, "bytes": 0, "html_bytes": 0}

    def count(response: aiohttp.ClientResponse, body: bytes) -> None:
        headers = sum(len(k) + len(v) + 4 for k, v in response.raw_headers)
        totals["requests"] += 1
        totals["bytes"] += len(body) + headers + 17  # "HTTP/1.1 200 OK\r\n"
        if response.content_type == "text/html":
            totals["html_bytes"] += len(body)

    try:
        await _healthy(base, proc, "/healthz")
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:

            async def get(path: str) -> bytes:
                async with http.get(base + path, allow_redirects=False) as response:
                    body = await response.read()
                    count(response, body)
                    return body

            async def post(path: str, data: dict[str, str]) -> None:
                async with http.post(base + path, data=data, allow_redirects=False) as response:
                    count(response, await response.read())

            body = await get(f"/s/{token}")
            await get("/assets/respond/respond.css")
            await post(f"/s/{token}", {k.decode(): v.decode() for k, v in _FIELD.findall(body)})
            while True:
                body = await get(f"/s/{token}/q")
                found = _QUESTION.search(body)
                if found is None:
                    break
                fields = {k.decode(): v.decode() for k, v in _FIELD.findall(body)}
                answer = {"text": "Kortere ventetid"} if found.group(1) == b"better" else {"option": "4"}
                await post(f"/s/{token}/q", fields | answer)
            await get(f"/s/{token}/tak")
    finally:
        _stop(proc)
    return totals


async def measure(respondents: int, postgres: str | None, repeats: int, profile: Path | None) -> dict[str, Any]:
    server_url = postgres or os.environ.get("TILFREDS_TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    figures: dict[str, Any] = {"respondents": respondents, "repeats": repeats}
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
    for database in ("sqlite", "postgres"):
        runs: dict[str, list[Run]] = {"tilfreds": [], "bare": []}
        for repeat in range(repeats):
            with tempfile.TemporaryDirectory() as tmp:
                for name in ("tilfreds", "bare"):
                    if database == "sqlite":
                        url: str | None = f"sqlite+aiosqlite:///{tmp}/{name}.sqlite3"
                    else:
                        url = await _postgres_database(server_url)
                        if url is None:
                            break
                    try:
                        if name == "tilfreds":
                            graph = profile / f"web-answer-{database}-{repeat + 1}.svg" if profile else None
                            run = await run_tilfreds(url, respondents, tmp, graph)
                        else:
                            run = await run_bare(url, respondents, runs["tilfreds"][-1].questions)
                    finally:
                        if database == "postgres":
                            await _drop(server_url, url)
                    runs[name].append(run)
                    print(
                        f"    {database} {name}: {run.questions} questions, {run.cpu_ms_per_question:.2f} ms CPU "
                        f"each; p50 {run.percentile(0.5):.0f} ms, p95 {run.percentile(0.95):.0f} ms; "
                        f"{run.wall:.1f}s wall",
                        flush=True,
                    )
        if not runs["tilfreds"] or not runs["bare"]:
            continue
        cost = median([r.cpu_ms_per_question for r in runs["tilfreds"]])
        bare = median([r.cpu_ms_per_question for r in runs["bare"]])
        figures[database] = {
            "tilfreds_cpu_ms_per_question": cost,
            "bare_cpu_ms_per_question": bare,
            "ratio": cost / bare,
            "p50_ms": median([r.percentile(0.5) for r in runs["tilfreds"]]),
            "p95_ms": median([r.percentile(0.95) for r in runs["tilfreds"]]),
            "bare_p50_ms": median([r.percentile(0.5) for r in runs["bare"]]),
            "bare_p95_ms": median([r.percentile(0.95) for r in runs["bare"]]),
            "questions_per_s_wall": median([r.questions / r.wall for r in runs["tilfreds"]]),
        }
    with tempfile.TemporaryDirectory() as tmp:
        figures["survey"] = await survey_bytes(f"sqlite+aiosqlite:///{tmp}/bytes.sqlite3", tmp)
    return figures


def run(
    respondents: int = 100, *, postgres: str | None = None, repeats: int = 3, profile: Path | None = None
) -> dict[str, Any]:
    """Measure; with ``profile`` (a folder) each tilfreds run also leaves a py-spy flame graph there."""
    figures = asyncio.run(measure(respondents, postgres, repeats, profile))
    print(f"Answering in the browser ({respondents} respondents at once, {repeats} runs, medians)")
    for database in ("sqlite", "postgres"):
        found = figures.get(database)
        if found is None:
            print(f"  {database}: not measured")
            continue
        print(
            f"  {database:<8} tilfreds {found['tilfreds_cpu_ms_per_question']:.2f} ms CPU per question "
            f"(GET + POST) vs bare {found['bare_cpu_ms_per_question']:.2f} ms: {found['ratio']:.1f}x; "
            f"latency p50 {found['p50_ms']:.0f} ms, p95 {found['p95_ms']:.0f} ms "
            f"(bare {found['bare_p50_ms']:.0f}/{found['bare_p95_ms']:.0f} ms)"
        )
    survey = figures["survey"]
    print(
        f"  one whole survey: {survey['requests']} requests, {survey['bytes'] / 1024:.1f} KB "
        f"({survey['html_bytes'] / 1024:.1f} KB of HTML), no JavaScript"
    )
    print("  targets: <= 3x the bare handler; <= 60 KB a survey")
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] != ["bare"]:
        sys.exit("usage: python -m bench.web_answer bare URL PORT (the benchmark itself: python -m bench web-answer)")
    bare_server(sys.argv[2], int(sys.argv[3]))
