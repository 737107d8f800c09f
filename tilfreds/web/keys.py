"""The keys of what the main application holds, and typed access to it from inside the ``/staff`` sub-application.

They live here, in the web package, so that the composition root (``tilfreds.app``) imports the web and never
the other way round.
"""

from __future__ import annotations

from aiohttp import web

from db.database import Database
from tilfreds.settings import Settings

DATABASE_KEY = web.AppKey("database", Database)
SETTINGS_KEY = web.AppKey("settings", Settings)
TELEGRAM_KEY = web.AppKey("telegram", str)


def settings_of(request: web.Request) -> Settings:
    return request.config_dict[SETTINGS_KEY]


def database_of(request: web.Request) -> Database:
    return request.config_dict[DATABASE_KEY]
