"""An invitation's links in both channels, and which one to print.

With ``TILFREDS_PUBLIC_URL`` set the printed link is the web page (it offers Telegram too when the bot is
on); without it, the Telegram deep link as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.links import UsernameUnknown, bot_username, deep_link
from tilfreds.settings import Settings
from tilfreds.web.respond.links import web_link


@dataclass(frozen=True)
class InvitationLinks:
    web: str | None
    telegram: str | None

    @property
    def link(self) -> str:
        """The link to print: the web page when there is one, else the Telegram link."""
        return self.web or self.telegram or ""


@dataclass(frozen=True)
class LinkMaker:
    """Builds both links of a token; made once per batch by :func:`link_maker`."""

    public_url: str | None
    username: str | None

    def __call__(self, token: str) -> InvitationLinks:
        return InvitationLinks(
            web=web_link(self.public_url, token) if self.public_url else None,
            telegram=deep_link(self.username, token) if self.username else None,
        )


async def link_maker(settings: Settings) -> LinkMaker:
    """The links this installation can make. Raises UsernameUnknown when it can make none.

    With a public URL the Telegram link is a bonus: without a bot username it is left out, not an error.
    """
    try:
        username: str | None = await bot_username(
            settings.telegram_bot_username, settings.bot_token() or None, settings.telegram_api_url
        )
    except UsernameUnknown:
        if not settings.public_url:
            raise
        username = None
    return LinkMaker(settings.public_url, username)
