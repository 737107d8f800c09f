"""``tilfreds invite``: a batch of invitation links (and tokens) for one survey and segment (``db/inviting.py``)."""

from __future__ import annotations

import csv
import io
import json
import sys
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


def render(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["token", "link", "survey", "segments", "expires_at", "max_uses", "web_link", "telegram_link"])
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
                        row["web_link"] or "",
                        row["telegram_link"] or "",
                    ]
                )
            )
        return out.getvalue()
    return "".join(f"{row['token']}  {row['link']}\n" for row in rows)


@click.command()
@click.option("--survey", "survey_key", required=True, help="Survey key, as in its definition file (e.g. citizen).")
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
    """Create a batch of invitation links: <TILFREDS_PUBLIC_URL>/s/<token> when a public URL is set, else
    https://t.me/<bot>?start=<token>.

    Tokens are shown only now; the database keeps a keyed hash of each.
    """
    from db.inviting import InvitationRefused, InvitationRequest, problems

    request = InvitationRequest(
        survey_key=survey_key,
        segments=parse_segments(segment_values),
        count=count,
        expires_days=expires_days,
        max_uses=max_uses or None,
    )
    settings = settings_or_exit()  # first: TILFREDS_SURVEYS_DIR decides which surveys there are
    found = problems(request)
    if found:
        raise Problem(found[0].message.replace("the count", "--count"))

    async def go() -> list[dict[str, Any]]:
        from bot.links import UsernameUnknown
        from db.inviting import issue
        from tilfreds.links import link_maker

        try:
            links = await link_maker(settings)
        except UsernameUnknown as exc:
            raise Problem(f"{exc}; or set TILFREDS_PUBLIC_URL for web links") from None
        database = await open_database(settings)
        try:
            async with database.sessions.begin() as session:
                batch, issued = await issue(session, settings.secret(), request, actor=current_actor(actor), via="cli")
        except InvitationRefused as exc:
            raise Problem(str(exc)) from None
        finally:
            await database.dispose()
        rows = []
        for item in issued:
            made = links(item.token)
            rows.append(
                {
                    "token": item.token,
                    "link": made.link,
                    "web_link": made.web,
                    "telegram_link": made.telegram,
                    "survey": item.survey_key,
                    "segments": item.segments,
                    "expires_at": item.expires_at.isoformat() if item.expires_at else None,
                    "max_uses": item.max_uses,
                    "batch": batch.id,
                }
            )
        return rows

    text = render(run_async(go), fmt)
    if out_path:
        make_private(out_path)  # the links open surveys: owner-only, like the database
        with open(out_path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        click.echo(f"{count} invitation(s) written to {out_path}", err=True)
    else:
        sys.stdout.write(text)
