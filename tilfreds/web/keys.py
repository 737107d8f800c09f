"""Typed access to what the main application holds, from inside the ``/staff`` sub-application."""

from __future__ import annotations

from aiohttp import web

from db.database import Database
from tilfreds.app import DATABASE_KEY, SETTINGS_KEY
from tilfreds.settings import Settings


def settings_of(request: web.Request) -> Settings:
    return request.config_dict[SETTINGS_KEY]


def database_of(request: web.Request) -> Database:
    return request.config_dict[DATABASE_KEY]
