"""``tilfreds invite``: a batch of invitation links (and tokens) for one survey and segment."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import timedelta
from typing import Any

import click

from analytics.exports.cells import neutral_row
from db.private_files import make_private
from tilfreds.commands.support import (
    Problem,
    current_actor,
    open_database,
    parse_segments,
    run_async,
    settings_or_exit,
)
from tilfreds.settings import Settings


def deep_link(username: str, token: str) -> str:
    return f"https://t.me/{username}?start={token}"


async def bot_username(settings: Settings) -> str:
    """The bot's username from the setting, or asked from the Bot API when a token is set."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    if not settings.telegram_token:
        raise Problem(
            "the links need the bot's username: set TILFREDS_TELEGRAM_BOT_USERNAME "
            "(or TILFREDS_TELEGRAM_TOKEN, and it is asked from Telegram)"
        )
    from telegram import Bot
    from telegram.error import TelegramError

    from bot.transport import AiohttpRequest

    bot = Bot(
        settings.bot_token(),
        base_url=f"{settings.telegram_api_url}/bot",
        base_file_url=f"{settings.telegram_api_url}/file/bot",
        request=AiohttpRequest(),  # the channel's transport: the same proxy settings, no httpx
        get_updates_request=AiohttpRequest(),
    )
    try:
        async with bot:  # initialising asks getMe once
            return bot.username
    except (TelegramError, OSError) as exc:
        raise Problem(
            f"could not ask Telegram for the bot's username ({exc}); set TILFREDS_TELEGRAM_BOT_USERNAME"
        ) from None


def render(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["token", "link", "survey", "segments", "expires_at", "max_uses"])
        for row in rows:
            segments = ";".join(f"{k}={v}" for k, v in row["segments"].items())
            writer.writerow(
                neutral_row(
                    [
                        row["token"],
                        row["link"],
                        row["survey"],
                        segments,
                        row["expires_at"] or "",
                        row["max_uses"] if row["max_uses"] is not None else "",
                    ]
                )
            )
        return out.getvalue()
    return "".join(f"{row['token']}  {row['link']}\n" for row in rows)


@click.command()
@click.option("--survey", "survey_key", required=True, help="Survey key: citizen or employer.")
@click.option("--count", type=int, default=1, show_default=True, help="How many invitations to create.")
@click.option(
    "--segment",
    "segment_values",
    multiple=True,
    metavar="KEY=VALUE",
    help="A segment every answer from these links carries, e.g. benefit=kontanthjaelp. Repeatable.",
)
@click.option(
    "--expires-days",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Days until the links stop opening the survey.",
)
@click.option(
    "--max-uses",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Answers one link may start; 0 = unlimited (a QR poster; no response rate).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file instead of standard output.",
)
@click.option("--actor", help="Who creates the batch, for the audit log (default: the OS user).")
def invite(
    survey_key: str,
    count: int,
    segment_values: tuple[str, ...],
    expires_days: int,
    max_uses: int,
    fmt: str,
    out_path: str | None,
    actor: str | None,
) -> None:
    """Create a batch of invitation links: https://t.me/<bot>?start=<token>.

    Tokens are shown only now; the database keeps a keyed hash of each.
    """
    from surveys import SegmentError, UnknownSurvey, get_survey

    if count < 1:
        raise Problem("--count must be at least 1")
    if count > 10_000:
        raise Problem("--count may be at most 10000 in one batch")
    try:
        survey = get_survey(survey_key)
        segments = survey.validate_segments(parse_segments(segment_values))
    except (UnknownSurvey, SegmentError) as exc:
        raise Problem(str(exc)) from None
    settings = settings_or_exit()

    async def go() -> list[dict[str, Any]]:
        from db.repo import audit, invitations

        username = await bot_username(settings)
        database = await open_database(settings)
        try:
            async with database.sessions.begin() as session:
                batch, issued = await invitations.create_batch(
                    session,
                    settings.secret(),
                    survey_key=survey.key,
                    segments=segments,
                    count=count,
                    created_by=current_actor(actor),
                    expires_in=timedelta(days=expires_days),
                    max_uses=max_uses or None,
                )
                await audit.record(
                    session,
                    actor=current_actor(actor),
                    action="invite",
                    detail={
                        "batch": batch.id,
                        "survey": survey.key,
                        "segments": segments,
                        "max_uses": max_uses or None,
                        "expires_days": expires_days,
                    },
                    rows=count,
                )
        finally:
            await database.dispose()
        return [
            {
                "token": item.token,
                "link": deep_link(username, item.token),
                "survey": item.survey_key,
                "segments": item.segments,
                "expires_at": item.expires_at.isoformat() if item.expires_at else None,
                "max_uses": item.max_uses,
                "batch": batch.id,
            }
            for item in issued
        ]

    text = render(run_async(go), fmt)
    if out_path:
        make_private(out_path)  # the links open surveys: owner-only, like the database
        with open(out_path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        click.echo(f"{count} invitation(s) written to {out_path}", err=True)
    else:
        sys.stdout.write(text)
