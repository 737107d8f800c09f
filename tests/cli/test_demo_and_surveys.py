"""`tilfreds demo seed` and `tilfreds surveys check`."""

from __future__ import annotations

import asyncio
import shutil

from sqlalchemy import func, select

from db.database import Database
from db.models import Answer, Invitation, Response
from surveys import DEFINITIONS_DIR
from tilfreds.cli import cli


def summary(url: str) -> dict:
    async def go() -> dict:
        database = Database(url)
        try:
            async with database.sessions() as s:
                statuses = dict(
                    (await s.execute(select(Response.status, func.count()).group_by(Response.status))).all()
                )
                surveys = dict(
                    (await s.execute(select(Response.survey_key, func.count()).group_by(Response.survey_key))).all()
                )
                first = await s.scalar(select(Response.segments).order_by(Response.id).limit(1))
                return {
                    "statuses": statuses,
                    "surveys": surveys,
                    "first": first,
                    "invitations": await s.scalar(select(func.count()).select_from(Invitation)),
                    "used": await s.scalar(select(func.sum(Invitation.uses))),
                    "comments": await s.scalar(select(func.count()).where(Answer.text.is_not(None))),
                }
        finally:
            await database.dispose()

    return asyncio.run(go())


def test_demo_seed_creates_realistic_deterministic_data(runner, cli_env) -> None:
    result = runner.invoke(cli, ["demo", "seed", "--responses", "600", "--seed", "7", "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert "created 600 responses" in result.output
    data = summary(cli_env["TILFREDS_DATABASE_URL"])
    assert sum(data["statuses"].values()) == 600
    assert data["statuses"]["completed"] > 480 and data["statuses"].get("in_progress", 0) > 0
    assert set(data["surveys"]) == {"citizen", "employer"} and data["surveys"]["citizen"] > data["surveys"]["employer"]
    assert data["invitations"] > 600 and data["used"] == 600  # unanswered invitations exist: response rates
    assert data["comments"] > 20


def test_demo_seed_bad_count(runner, cli_env) -> None:
    result = runner.invoke(cli, ["demo", "seed", "--responses", "0"])
    assert result.exit_code == 2 and "at least 1" in result.output


def test_surveys_check_passes_the_shipped_definitions(runner) -> None:
    result = runner.invoke(cli, ["surveys", "check"])
    assert result.exit_code == 0, result.output
    assert "survey 'citizen'" in result.output and "survey 'employer'" in result.output


def test_surveys_check_rejects_a_broken_copy(runner, tmp_path) -> None:
    broken = tmp_path / "citizen.yaml"
    shutil.copy(DEFINITIONS_DIR / "citizen.yaml", broken)
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("questions:", "questions:\n  - nonsense: true", 1), encoding="utf-8")
    result = runner.invoke(cli, ["surveys", "check", str(broken)])
    assert result.exit_code == 1
    assert str(broken) in result.output and "✗" in result.output
