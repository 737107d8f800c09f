"""``tilfreds staff``: accounts for the staff web pages (add, list, disable)."""

from __future__ import annotations

import sys

import click

from tilfreds.commands.support import Problem, open_database, run_async, settings_or_exit


def _read_password() -> str:
    """From a prompt (typed twice, hidden) on a terminal; else the first line of standard input."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@click.group()
def staff() -> None:
    """Staff accounts for the web pages at /staff."""


@staff.command("add")
@click.argument("username")
def add(username: str) -> None:
    """Create an account. The password is asked for (or read from standard input when it is not a terminal)."""
    from db.repo import staff as staff_repo
    from tilfreds.web.passwords import WeakPassword, hash_password

    name = staff_repo.normalize_username(username)
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise Problem("the username must be 1-64 characters without spaces")
    password = _read_password()
    try:
        password_hash = hash_password(password)
    except WeakPassword as exc:
        raise Problem(str(exc)) from None
    settings = settings_or_exit()

    async def go() -> None:
        database = await open_database(settings)
        try:
            async with database.sessions.begin() as session:
                await staff_repo.create_user(session, name, password_hash)
        except staff_repo.DuplicateUser as exc:
            raise Problem(str(exc)) from None
        finally:
            await database.dispose()

    run_async(go)
    click.echo(f"created staff account {name!r}; log in at http://{settings.http_host}:{settings.http_port}/staff/")


@staff.command("list")
def list_() -> None:
    """List the accounts: name, created, last login, disabled."""
    from db.repo import staff as staff_repo

    settings = settings_or_exit()

    async def go() -> list:
        database = await open_database(settings)
        try:
            async with database.sessions() as session:
                return await staff_repo.list_users(session)
        finally:
            await database.dispose()

    users = run_async(go)
    if not users:
        click.echo("no staff accounts yet: create one with `tilfreds staff add USERNAME`")
        return

    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.timezone)

    def day(value) -> str:
        """In the configured (Copenhagen) time, as staff read every other time."""
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else "-"

    click.echo(f"{'username':<24} {'created':<16} {'last login':<16} disabled  (times: {settings.timezone})")
    for user in users:
        click.echo(
            f"{user.username:<24} {day(user.created_at):<16} {day(user.last_login_at):<16} "
            f"{day(user.disabled_at) if user.disabled_at else 'no'}"
        )


@staff.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable an account: it can no longer log in, and its open sessions end now."""
    from db.repo import staff as staff_repo

    settings = settings_or_exit()

    async def go():
        database = await open_database(settings)
        try:
            async with database.sessions.begin() as session:
                return await staff_repo.disable_user(session, username)
        finally:
            await database.dispose()

    user = run_async(go)
    if user is None:
        raise Problem(f"no staff account named {staff_repo.normalize_username(username)!r}")
    click.echo(f"disabled staff account {user.username!r}")
