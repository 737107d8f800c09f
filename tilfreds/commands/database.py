"""``tilfreds db``: the database schema."""

from __future__ import annotations

import click

from tilfreds.commands.support import open_database, run_async, settings_or_exit


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command()
def upgrade() -> None:
    """Migrate TILFREDS_DATABASE_URL to the newest schema."""
    settings = settings_or_exit()

    async def go() -> str:
        database = await open_database(settings)
        url = database.safe_url()
        await database.dispose()
        return url

    click.echo(f"database is up to date: {run_async(go)}")
