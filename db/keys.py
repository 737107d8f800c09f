"""Keyed hashes: respondent pseudonyms and invitation tokens.

Neither a Telegram user id, a browser's random id nor an invitation token is ever stored in clear. Both are replaced by
``HMAC-SHA256(secret, value)``, so the same person or token maps to the same row, while the
database alone cannot be turned back into ids or working links.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 18  # 144 bits of randomness -> 24 URL-safe characters
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _hmac(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def pseudonym(secret: bytes, telegram_user_id: int) -> str:
    """The respondent key for a Telegram user id."""
    return _hmac(secret, "respondent", str(int(telegram_user_id)))


def browser_pseudonym(secret: bytes, browser_id: str) -> str:
    """The respondent key for a browser, from the random id in its cookie (the web channel's Telegram id)."""
    return _hmac(secret, "browser", browser_id)


def chat_key(secret: bytes, chat_id: int) -> str:
    """A keyed hash of a chat id, used to keep one chat's updates in order without storing the id."""
    return _hmac(secret, "chat", str(int(chat_id)))


def token_hash(secret: bytes, token: str) -> str:
    """The stored form of an invitation token."""
    return _hmac(secret, "invitation", token)


def new_token() -> str:
    """A fresh invitation token: 144 random bits, URL-safe, fits Telegram's 64-character start payload."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token_shaped(text: str) -> bool:
    """Whether ``text`` could be a start payload at all (Telegram allows A-Z, a-z, 0-9, _ and -)."""
    return bool(TOKEN_PATTERN.fullmatch(text))
