"""The one settings object: every ``TILFREDS_*`` variable, read once and passed down.

Values come from the environment and from a ``.env`` file in the working directory.
``SETTINGS_DOCS`` lists every setting with a line of explanation; the README's settings
table is checked against it by a test, so the two cannot drift apart.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.config import BotConfig

log = logging.getLogger(__name__)

DEFAULT_DATA_DIR = Path("data")
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
MAX_LOGO_BYTES = 512 * 1024

SETTINGS_DOCS: dict[str, str] = {
    "TILFREDS_DATABASE_URL": "SQLAlchemy async URL. Default: a SQLite file `data/tilfreds.sqlite3`. "
    "Production: `postgresql+asyncpg://user@host/db`.",
    "TILFREDS_DATA_DIR": "Where the SQLite file and the generated secret key live. Default `./data`.",
    "TILFREDS_TELEGRAM_TOKEN": "Bot token from @BotFather. Unset: the Telegram channel is off (the log says so).",
    "TILFREDS_TELEGRAM_API_URL": "Bot API server. Default `https://api.telegram.org`; point it at a local "
    "Bot API server if you run one.",
    "TILFREDS_TELEGRAM_BOT_USERNAME": "The bot's username for invitation links (`https://t.me/<name>?start=…`). "
    "Unset: asked from Telegram (getMe) when a token is set.",
    "TILFREDS_WEBHOOK_URL": "Public https URL of `/telegram/webhook`. Set: webhook mode; unset: long polling.",
    "TILFREDS_WEBHOOK_SECRET": "Secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token` (required with the "
    "webhook URL).",
    "TILFREDS_HTTP_HOST": "Address of the HTTP server (health check, webhook, staff pages). Default `127.0.0.1`.",
    "TILFREDS_HTTP_PORT": "Port of the HTTP server. Default `8080`.",
    "TILFREDS_SECRET_KEY": "Key for respondent pseudonyms, invitation token hashes and sessions. Unset: a random "
    "key is generated once into the data directory and reused.",
    "TILFREDS_STAFF_TELEGRAM_IDS": "Comma-separated Telegram user ids allowed to use staff commands.",
    "TILFREDS_TIMEZONE": "Time zone for periods and schedules. Default `Europe/Copenhagen`.",
    "TILFREDS_MIN_CELL_SIZE": "Groups with fewer responses are suppressed in every output. Default `5`.",
    "TILFREDS_REPORTS_DIR": "Where scheduled reports are written. Default `./reports`.",
    "TILFREDS_TRUST_PROXY": "`true` when one reverse proxy terminates https (docs/reverse-proxy.md): login "
    "throttling then counts the rightmost `X-Forwarded-For` entry, and staff cookies are `Secure` and "
    "`Strict-Transport-Security` is sent when the rightmost `X-Forwarded-Proto` says https. Default `false`.",
    "TILFREDS_PUBLIC_URL": "Public https base of the HTTP server, e.g. `https://tilfreds.example.dk`. Set: invitation "
    "links are `<url>/s/<token>`, a page that answers in the browser (or opens Telegram); unset: the Telegram link.",
    "TILFREDS_CONTACT_EMAIL": "E-mail address for questions about privacy and accessibility, shown on the "
    "respondent pages' privacy and accessibility statements.",
    "TILFREDS_CONTACT_PHONE": "Phone number for the same, shown beside the e-mail address.",
    "TILFREDS_LOG_LEVEL": "Logging level (`DEBUG`, `INFO`, `WARNING`). Default `INFO`.",
    "TILFREDS_SCHEDULE_COMMITTEE": "Cron expression of the committee follow-ups. Default `0 6 1 3,10 *` "
    "(06:00 on 1 March and 1 October).",
    "TILFREDS_SCHEDULE_ANNUAL": "Cron expression of the annual follow-up. Default `0 6 2 1 *` (2 January).",
    "TILFREDS_SCHEDULE_RETENTION": "Cron expression of the retention purge. Default `30 3 * * *` (nightly).",
    "TILFREDS_RETENTION_MONTHS": "Raw answers older than this are deleted; report snapshots stay. Default `24`.",
    "TILFREDS_WITHDRAWAL_DAYS": "Days a respondent can withdraw a completed response; then the link to them is cut. "
    "Default `30`.",
    "TILFREDS_REMINDER_HOURS": "Hours untouched before the one reminder to finish a survey. Default `24`.",
    "TILFREDS_ABANDON_DAYS": "Days untouched before an unfinished survey is abandoned. Default `14`.",
    "TILFREDS_ORGANISATION_NAME": "The organisation's name, shown to respondents and on staff pages, QR sheets and "
    "reports, and for "
    "`{organisation}` in survey texts. Default `Jobcentret`.",
    "TILFREDS_ORGANISATION_LOGO": "Optional image file (PNG, JPEG or SVG, at most 512 kB) shown on the staff pages "
    "and in the html report. Unset: no logo.",
    "TILFREDS_SURVEYS_DIR": "A directory of the organisation's own survey definitions (`*.yaml`), used instead of "
    "the shipped ones once they pass `tilfreds surveys check`. Unset: the shipped definitions.",
    "TILFREDS_CALLBACK_HANDLED_DAYS": 'A "Ring mig op" request is deleted this many days after staff marked it '
    "handled (the retention job). Default `30`.",
    "TILFREDS_CALLBACK_MAX_DAYS": 'A "Ring mig op" request is deleted this many days after it was made, handled '
    "or not. Default `90`.",
}


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """All configuration of a tilfreds process."""

    model_config = SettingsConfigDict(
        env_prefix="TILFREDS_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str | None = None
    telegram_token: SecretStr | None = None  # secret types: repr(settings) and logs show '**********'
    telegram_api_url: str = "https://api.telegram.org"
    telegram_bot_username: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    secret_key: SecretStr | None = None
    staff_telegram_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    timezone: str = "Europe/Copenhagen"
    min_cell_size: int = Field(default=5, ge=1, le=1000)
    reports_dir: Path = Path("reports")
    organisation_name: str = Field(default="Jobcentret", min_length=1, max_length=120)
    trust_proxy: bool = False
    public_url: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    log_level: str = "INFO"
    schedule_committee: str = "0 6 1 3,10 *"
    schedule_annual: str = "0 6 2 1 *"
    schedule_retention: str = "30 3 * * *"
    retention_months: int = Field(default=24, ge=1, le=240)
    withdrawal_days: int = Field(default=30, ge=0, le=365)
    reminder_hours: int = Field(default=24, ge=1, le=24 * 30)
    abandon_days: int = Field(default=14, ge=1, le=365)
    organisation_logo: Path | None = None
    surveys_dir: Path | None = None
    callback_handled_days: int = Field(default=30, ge=0, le=365)
    callback_max_days: int = Field(default=90, ge=1, le=365)

    @field_validator("schedule_committee", "schedule_annual", "schedule_retention")
    @classmethod
    def _check_cron(cls, value: str) -> str:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"not a cron expression ({exc}); e.g. '0 6 1 3,10 *'") from None
        return value

    @field_validator("staff_telegram_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("expected comma-separated Telegram user ids, e.g. 12345,67890") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Europe/Copenhagen") from None
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (or http://), e.g. https://tilfreds.example.dk")
        return value.rstrip("/")

    @field_validator(
        "public_url",
        "contact_email",
        "contact_phone",
        "database_url",
        "telegram_token",
        "webhook_url",
        "webhook_secret",
        "secret_key",
        "telegram_bot_username",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'tilfreds.sqlite3').as_posix()}"

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token)

    @property
    def webhook_mode(self) -> bool:
        return bool(self.webhook_url)

    def bot_token(self) -> str:
        """The bot token itself (empty when unset), for what talks to the Bot API."""
        return self.telegram_token.get_secret_value() if self.telegram_token else ""

    def hook_secret(self) -> str:
        """The webhook secret itself (empty when unset)."""
        return self.webhook_secret.get_secret_value() if self.webhook_secret else ""

    def bot_config(self) -> BotConfig:
        """What the Telegram channel needs, and no more."""
        return BotConfig(
            token=self.bot_token(),
            secret=self.secret(),
            api_url=self.telegram_api_url,
            username=self.telegram_bot_username,
            webhook_url=self.webhook_url,
            webhook_secret=self.hook_secret(),
            staff_ids=self.staff_telegram_ids,
            reminder_hours=self.reminder_hours,
            abandon_days=self.abandon_days,
            withdrawal_days=self.withdrawal_days,
            retention_months=self.retention_months,
            timezone=self.timezone,
            callback_handled_days=self.callback_handled_days,
            callback_max_days=self.callback_max_days,
            organisation=self.organisation_name,
        )

    def secret(self) -> bytes:
        """The secret key as bytes, generating and storing one in the data directory if unset."""
        if self.secret_key:
            return self.secret_key.get_secret_value().encode()
        from db.private_files import write_new_private

        key_file = self.data_dir / "secret.key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            if write_new_private(key_file, secrets.token_urlsafe(48) + "\n"):  # owner-only from the start
                log.warning(
                    "TILFREDS_SECRET_KEY is unset: generated a new key in %s (keep it; pseudonyms depend on it)",
                    key_file,
                )
        return key_file.read_text().strip().encode()


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning validation errors into one clear line per variable.

    ``overrides`` are field values of any type: pydantic validates them like the environment's."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = "TILFREDS_" + "_".join(str(p) for p in err["loc"]).upper()
            lines.append(f"{name}: {err['msg']}")
        raise SettingsError("; ".join(lines)) from None
    logo = settings.organisation_logo
    if logo is not None:
        if not logo.is_file():
            raise SettingsError(f"TILFREDS_ORGANISATION_LOGO: no such file {logo}")
        if logo.suffix.lower() not in LOGO_TYPES:
            raise SettingsError(f"TILFREDS_ORGANISATION_LOGO: use a .png, .jpg or .svg file, not {logo.name}")
        if logo.stat().st_size > MAX_LOGO_BYTES:
            raise SettingsError("TILFREDS_ORGANISATION_LOGO: the file is larger than 512 kB")
    if settings.surveys_dir is not None and not settings.surveys_dir.is_dir():
        raise SettingsError(f"TILFREDS_SURVEYS_DIR: no such directory {settings.surveys_dir}")
    if settings.webhook_url and not settings.webhook_secret:
        raise SettingsError("TILFREDS_WEBHOOK_SECRET: required when TILFREDS_WEBHOOK_URL is set")
    return settings
