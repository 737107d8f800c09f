"""Duplicates: every update delivered twice, in and out of order, leaves the database as one delivery does.

The same conversations are played twice on fresh databases through the real channel in webhook mode
(Telegram re-sends over the webhook when an acknowledgement is lost): once as Telegram normally
delivers, once with every update sent again at once, again after the next update (out of order) and
once more at the end in reverse order. Then every table is compared, timestamps left out, and what
each person saw.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import pytest

from db.database import Database
from db.repo import invitations
from tests.bot.conftest import Harness
from tests.botapi import BotApiServer, Phone
from tests.conftest import _migrate, _reset_postgres
from tests.faults.support import press_option, table_contents

# (person, action, what the bot answers with); an action is text, or ("press", label) or ("answer", option).
SCRIPT: list[tuple[int, Any, str]] = [
    (0, "/start {token}", "/privacy"),
    (1, "/start {token}", "/privacy"),
    (0, ("press", "Start ▶"), "1/8"),
    (2, "/start {token}", "/privacy"),
    (1, ("press", "Start ▶"), "1/8"),
    (0, ("answer", "4"), "2/8"),
    (2, ("press", "English"), ""),
    (1, ("answer", "5"), "2/8"),
    (0, ("press", "Spring over"), "3/8"),
    (1, ("press", "◀ Tilbage"), "1/8"),
    (1, ("answer", "2"), "2/8"),
    (0, ("answer", "dk"), "4/8"),
    (1, "/cancel", "pause"),
    (0, ("answer", "3"), "5/8"),
    (1, "/start", "2/8"),
    (0, ("answer", "1"), "6/8"),
    (0, ("press", "Spring over"), "7/8"),
    (0, ("answer", "5"), "8/8"),
    (0, "Svar gerne på 12 34 56 78 eller a@b.dk", "Tak"),
    (1, "hej", "knapperne"),
]


def _tokens() -> Any:
    counter = itertools.count(1)
    return lambda: f"duplicates-test-{next(counter):04d}"


async def play(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, twice: bool
) -> tuple[dict[str, Any], list[list[tuple[str, str]]]]:
    """Play :data:`SCRIPT`; returns every table's rows and what each phone saw."""
    monkeypatch.setattr(invitations, "new_token", _tokens())  # the same links in both plays
    async with BotApiServer() as server:
        harness = Harness(server, database, tmp_path)
        try:
            await harness.start(webhook=True)
            tokens = await harness.invite(count=3)
            phones = [Phone(server, 9100 + i, language_code="da") for i in range(3)]
            sent: list[dict[str, Any]] = []

            def again(update: dict[str, Any]) -> None:
                server.push_update(copy.deepcopy(update), update["update_id"])

            for person, action, expected in SCRIPT:
                phone = phones[person]
                if isinstance(action, str):
                    phone.send(action.format(token=tokens[person]))
                elif action[0] == "press":
                    phone.press(action[1])
                else:
                    press_option(phone, action[1])
                update = copy.deepcopy(server._pending[-1])
                if twice:
                    again(update)  # at once
                    if sent:
                        again(sent[-1])  # after a newer one: out of order
                sent.append(update)
                if expected:
                    await phone.expect_message(expected)
                else:
                    await phone.expect_edit()
                await harness.settled()
            if twice:
                for update in reversed(sent):
                    again(update)
            await harness.settled()
            # /help is answered next: nothing else (no repeated reply) comes before it.
            for phone in phones:
                phone.send("/help")
                await phone.expect("message", "/privacy")
            await harness.settled()
            transcripts = [[(e.kind, e.text or "") for e in phone.seen] for phone in phones]
        finally:
            await harness.stop()
    return await table_contents(database), transcripts


async def fresh(database_url: str, tmp_path: Path) -> str:
    """An empty migrated database like ``database_url``'s: a new SQLite file, or the schema reset."""
    if database_url.startswith("sqlite"):
        url = f"sqlite+aiosqlite:///{tmp_path / 'second.sqlite3'}"
        await _migrate(url)
        return url
    await _reset_postgres(database_url)
    return database_url


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_every_update_delivered_twice_in_and_out_of_order_changes_nothing(
    database: Database, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    once, seen_once = await play(database, tmp_path, monkeypatch, twice=False)
    await database.dispose()
    second = Database(await fresh(database_url, tmp_path))
    try:
        twice, seen_twice = await play(second, tmp_path, monkeypatch, twice=True)
    finally:
        await second.dispose()
    assert len(once["answers"]) == 9 and len(once["inbox_updates"]) == len(SCRIPT) + 3
    assert twice == once
    assert seen_twice == seen_once
