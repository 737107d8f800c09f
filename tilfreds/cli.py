"""The ``tilfreds`` command. Each subcommand lives in ``tilfreds/commands/``; heavy imports stay lazy
so that ``tilfreds --help`` is fast."""

from __future__ import annotations

import click

from tilfreds import __version__
from tilfreds.commands import database, demo, invite, reports, run, staff, surveys


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="tilfreds")
def cli() -> None:
    """tilfreds: citizen and company satisfaction, measured against the employment plan's 80% goals."""


cli.add_command(run.run)
cli.add_command(database.db)
cli.add_command(surveys.surveys)
cli.add_command(invite.invite)
cli.add_command(demo.demo)
cli.add_command(staff.staff)
reports.register(cli)


def main() -> None:
    cli(prog_name="tilfreds")
