"""``tilfreds demo seed``: fill the database with realistic synthetic answers."""

from __future__ import annotations

from datetime import date, datetime

import click

from tilfreds.commands.support import Problem, open_database, run_async, settings_or_exit

CHUNK = 2000


@click.group()
def demo() -> None:
    """Demo data."""


@demo.command()
@click.option(
    "--responses",
    "count",
    type=int,
    default=2000,
    show_default=True,
    help="How many synthetic responses to create (both surveys, the last two years).",
)
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed: the same seed gives the same data.")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The day the two years end on (default: today). With --seed it makes the data reproducible.",
)
def seed(count: int, seed: int, today: datetime | None) -> None:
    """Create synthetic responses, invitations and comments for trying tilfreds out.

    Satisfaction differs by segment: some groups are clearly above the 80% goal, some clearly below.
    """
    if count < 1:
        raise Problem("--responses must be at least 1")
    settings = settings_or_exit()
    day = today.date() if today is not None else date.today()
    created = run_async(_seed, settings, count, seed, day)
    click.echo(
        f"created {created['responses']} responses ({created['completed']} completed) and "
        f"{created['invitations']} invitations"
    )


async def _seed(settings, count: int, seed: int, day: date) -> dict[str, int]:
    from rich.progress import Progress

    from db.keys import new_token, token_hash
    from db.models import utcnow
    from db.repo import bulk
    from db.repo.survey_versions import ensure_version, freeze
    from surveys import builtin_surveys
    from tilfreds.demo import generate

    surveys = builtin_surveys()
    secret = settings.secret()
    database = await open_database(settings)
    totals = {"responses": 0, "completed": 0, "invitations": 0}
    try:
        async with database.sessions.begin() as session:
            versions = {}
            batches = {}
            for key, survey in surveys.items():
                version = await ensure_version(session, survey)
                await freeze(session, version.id)
                versions[key] = version.id
                batches[key] = await bulk.insert_batch(
                    session,
                    survey_key=key,
                    segments={},
                    count=0,
                    max_uses=1,
                    expires_at=None,
                    created_at=utcnow(),
                    created_by="demo",
                    note=f"demo seed {seed}",
                )
        stream = generate(surveys, count, seed, day)
        with Progress(transient=True) as progress:
            task = progress.add_task("seeding", total=count)
            while True:
                chunk = [r for _, r in zip(range(CHUNK), stream, strict=False)]
                if not chunk:
                    break
                async with database.sessions.begin() as session:
                    invitations = []
                    for index, response in enumerate(chunk):
                        # about one invitation in three is never answered, so response rates are realistic
                        extra = 1 if (seed + totals["responses"] + index) % 2 == 0 else 0
                        for n in range(1 + extra):
                            invitations.append(
                                {
                                    "token_hash": token_hash(secret, new_token()),
                                    "batch_id": batches[response.survey_key],
                                    "survey_key": response.survey_key,
                                    "segments": response.segments,
                                    "created_at": response.started_at,
                                    "expires_at": None,
                                    "max_uses": 1,
                                    "uses": 1 if n == 0 else 0,
                                }
                            )
                    ids = await bulk.insert_invitations(session, invitations)
                    used = iter(ids[i] for i, row in enumerate(invitations) if row["uses"])
                    rows, answers = [], []
                    for response in chunk:
                        rows.append(
                            {
                                "survey_key": response.survey_key,
                                "survey_version_id": versions[response.survey_key],
                                "invitation_id": next(used),
                                "respondent_id": None,
                                "channel": "telegram",
                                "status": response.status,
                                "language": response.language,
                                "segments": response.segments,
                                "current_question": response.current_question,
                                "started_at": response.started_at,
                                "updated_at": response.completed_at or response.started_at,
                                "completed_at": response.completed_at,
                            }
                        )
                        answers.append([{**a, "answered_at": response.started_at} for a in response.answers])
                    await bulk.insert_responses(session, rows, answers)
                totals["responses"] += len(chunk)
                totals["completed"] += sum(r.status == "completed" for r in chunk)
                totals["invitations"] += len(invitations)
                progress.advance(task, len(chunk))
    finally:
        await database.dispose()
    return totals
