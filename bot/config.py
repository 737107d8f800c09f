"""What the Telegram channel needs to know from the deployment: a small, frozen value, not the whole settings.

``tilfreds`` builds it from its settings (``Settings.bot_config()``); the bot never reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BotConfig:
    token: str
    secret: bytes  # the key for respondent pseudonyms and invitation tokens
    api_url: str = "https://api.telegram.org"
    username: str | None = None  # asked from Telegram at start when unset
    webhook_url: str | None = None  # unset: long polling
    webhook_secret: str | None = None
    staff_ids: frozenset[int] = frozenset()  # Telegram user ids allowed /invite
    reminder_hours: int = 24
    abandon_days: int = 14
    withdrawal_days: int = 30
    retention_months: int = 24
    timezone: str = "Europe/Copenhagen"  # the local date of a "Ring mig op" request
    callback_handled_days: int = 30
    callback_max_days: int = 90
    organisation: str = "Jobcentret"  # for {organisation} in survey texts

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_url)
