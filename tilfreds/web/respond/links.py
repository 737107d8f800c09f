"""The web channel's invitation link: ``<TILFREDS_PUBLIC_URL>/s/<token>``."""

from __future__ import annotations

PREFIX = "/s/"


def web_link(public_url: str, token: str) -> str:
    """The page where the invitation is answered in the browser (or handed on to Telegram)."""
    return f"{public_url.rstrip('/')}{PREFIX}{token}"
