"""The channel harness of tests/bot (the real channel in-process, over HTTP to the local Bot API server)."""

from tests.bot.conftest import harness, server  # noqa: F401 - fixtures shared with tests/bot
