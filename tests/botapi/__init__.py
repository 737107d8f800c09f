"""A local Bot API server and test phones, for the bot's tests and the benchmarks."""

from tests.botapi.phone import Phone, Press, press
from tests.botapi.server import BotApiServer, BotEvent, Call

__all__ = ["BotApiServer", "BotEvent", "Call", "Phone", "Press", "press"]
