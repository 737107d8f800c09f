"""What every command shares: settings, the database, and errors that read as one kind line."""

from __future__ import annotations

import asyncio
import getpass
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from tilfreds.settings import Settings, SettingsError, load_settings

T = TypeVar("T")


class Problem(click.ClickException):
    """Something the user can fix: printed as one line, exit status 2, never a traceback."""

    exit_code = 2


def settings_or_exit() -> Settings:
    """The settings, with the organisation's own survey definitions in use when TILFREDS_SURVEYS_DIR is set."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise Problem(f"configuration: {exc}") from None
    if settings.surveys_dir is not None:
        from surveys import DefinitionError
        from surveys.loader import use_definitions

        try:
            use_definitions(settings.surveys_dir)
        except DefinitionError as exc:
            raise Problem(
                f"configuration: TILFREDS_SURVEYS_DIR does not pass `tilfreds surveys check`: {exc}"
            ) from None
    return settings


def run_async(fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    return asyncio.run(fn(*args, **kwargs))


async def open_database(settings: Settings) -> Any:
    """The configured database, migrated to the newest schema."""
    from db.database import Database

    database = Database(settings.effective_database_url)
    try:
        await database.upgrade()
    except Exception as exc:
        await database.dispose()
        raise Problem(f"cannot open the database {database.safe_url()}: {exc.__class__.__name__}: {exc}") from None
    return database


def current_actor(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def parse_segments(values: tuple[str, ...]) -> dict[str, str]:
    """``key=value`` pairs from repeated ``--segment`` options."""
    segments: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise Problem(f"segment {item!r} should look like key=value, e.g. benefit=kontanthjaelp")
        if key.strip() in segments:
            raise Problem(f"segment {key.strip()!r} is given twice")
        segments[key.strip()] = value.strip()
    return segments
