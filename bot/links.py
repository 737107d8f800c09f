"""The Telegram channel's invitation link: ``https://t.me/<bot>?start=<token>``, and the bot's username for it."""

from __future__ import annotations


def deep_link(username: str, token: str) -> str:
    """The link that opens the bot's chat and sends ``/start <token>``."""
    return f"https://t.me/{username.lstrip('@')}?start={token}"


class UsernameUnknown(LookupError):
    """The bot's username is neither configured nor available from Telegram; the message says what to set."""


async def bot_username(configured: str | None, token: str | None, api_url: str) -> str:
    """The bot's username: ``configured`` if set, else asked from the Bot API (getMe) once."""
    if configured:
        return configured.lstrip("@")
    if not token:
        raise UsernameUnknown(
            "the Telegram links need the bot's username: set TILFREDS_TELEGRAM_BOT_USERNAME "
            "(or TILFREDS_TELEGRAM_TOKEN, and it is asked from Telegram)"
        )
    from telegram import Bot
    from telegram.error import TelegramError

    from bot.transport import AiohttpRequest

    bot = Bot(
        token,
        base_url=f"{api_url}/bot",
        base_file_url=f"{api_url}/file/bot",
        request=AiohttpRequest(),  # the channel's transport: the same proxy settings, no httpx
        get_updates_request=AiohttpRequest(),
    )
    try:
        async with bot:  # initialising asks getMe once
            return bot.username
    except (TelegramError, OSError) as exc:
        raise UsernameUnknown(
            f"could not ask Telegram for the bot's username ({exc}); set TILFREDS_TELEGRAM_BOT_USERNAME"
        ) from None
