"""Bot API trouble: 429 with retry_after, 5xx and read timeouts.

Retries are bounded and back off (the server times every call, so waits are measured, not slept);
the conversation goes on; no message is repeated unless the bot cannot know it arrived (a read
timeout after Telegram did the work: no Bot API call can be asked whether a message was sent).
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.bot.conftest import Harness
from tests.botapi import Phone, press
from tests.faults.support import press_option, until

# Sending is the same on both databases: these run on SQLite only.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def begin(harness: Harness) -> Phone:
    await harness.start()
    [token] = await harness.invite()
    phone = harness.phone("da")
    await phone.dialog([(f"/start {token}", "/privacy"), (press("Start ▶"), "1/8")])
    return phone


def statuses(harness: Harness, method: str) -> list[int]:
    return [c.status for c in harness.server.calls_of(method)]


def gaps(harness: Harness, method: str) -> list[float]:
    times = [c.at for c in harness.server.calls_of(method)]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def repeated(phone: Phone) -> list[str]:
    counts = Counter((e.kind, e.text) for e in phone.seen if e.kind == "message")
    return [text or "" for (_, text), n in counts.items() if n > 1]


async def test_429_and_5xx_are_waited_out_and_nothing_is_sent_twice(harness: Harness) -> None:
    phone = await begin(harness)
    before = len(harness.server.calls_of("sendMessage"))
    edits = len(harness.server.calls_of("editMessageText"))
    harness.server.fail_next("sendMessage", 2, status=429, retry_after=1)
    harness.server.fail_next("editMessageText", 2, status=502)
    harness.server.fail_next("answerCallbackQuery", status=429, retry_after=1)
    press_option(phone, "4")
    await phone.expect_edit("✓")
    await phone.expect_message("2/8")
    assert statuses(harness, "sendMessage")[before:] == [429, 429, 200]
    assert min(gaps(harness, "sendMessage")[before:]) >= 1.0  # retry_after honoured each time
    assert statuses(harness, "editMessageText")[edits:] == [502, 502, 200]
    first, second = gaps(harness, "editMessageText")[edits:]
    assert first >= 0.2 and second >= 0.4  # backoff doubles
    assert statuses(harness, "answerCallbackQuery")[-2:] == [429, 200]
    await phone.dialog([(press("5 – Helt enig"), "3/8")])
    assert repeated(phone) == []


async def test_a_failed_toast_or_edit_does_not_keep_back_the_next_question(harness: Harness) -> None:
    phone = await begin(harness)
    harness.server.fail_next("answerCallbackQuery", status=500)
    press_option(phone, "4")
    await phone.expect_message("2/8")
    harness.server.fail_next("editMessageText", 5, status=502)
    press_option(phone, "4")
    await phone.expect_message("3/8")
    assert statuses(harness, "editMessageText")[-3:] == [502, 502, 502]  # bounded: three tries, then on
    assert repeated(phone) == []


async def test_a_bot_api_down_for_good_is_given_up_on_and_the_person_resumes_later(harness: Harness) -> None:
    phone = await begin(harness)
    before = len(harness.server.calls_of("sendMessage"))
    harness.server.fail_next("sendMessage", 20, status=503)
    press_option(phone, "2")
    await phone.expect_edit("✓")
    await until(lambda: len(harness.server.calls_of("sendMessage")) - before >= 3, timeout=10)
    await harness.settled()
    assert statuses(harness, "sendMessage")[before:] == [503, 503, 503]  # three tries, not twenty
    harness.server.faults.clear()
    await phone.dialog([("/start", "2/8"), (press("4 – Enig"), "3/8")])  # the answer was kept
    assert repeated(phone) == []


async def test_read_timeouts_are_retried_and_the_conversation_goes_on(harness: Harness) -> None:
    phone = await begin(harness)
    harness.server.delay_next("editMessageText", 6.0)  # longer than the bot's 5 s read timeout
    harness.server.delay_next("sendMessage", 6.0)
    press_option(phone, "4")
    await phone.expect_message("2/8", timeout=20)
    await phone.expect_message("2/8", timeout=20)  # the repeat (see below)
    await phone.dialog([(press("5 – Helt enig"), "3/8")], timeout=20)
    edits = [e for e in phone.seen if e.kind == "edit" and (e.text or "").startswith("1/8")]
    assert len(edits) == 1  # the retried edit changed nothing ("message is not modified"): no repeat
    # The retried message was sent twice: Telegram had sent it before the answer timed out, and no
    # Bot API call can tell. One repeat at most; losing the question would be worse.
    assert [t[:3] for t in repeated(phone)] == ["2/8"]


async def test_polling_survives_5xx_and_429_from_getupdates(harness: Harness) -> None:
    phone = await begin(harness)
    harness.server.fail_next("getUpdates", 2, status=502)
    harness.server.fail_next("getUpdates", status=429, retry_after=1)
    await until(lambda: not harness.server.faults["getUpdates"], timeout=15)
    await phone.dialog([(press("3 – Hverken tilfreds eller utilfreds"), "2/8")], timeout=15)
    assert [s for s in statuses(harness, "getUpdates") if s != 200] == [502, 502, 429]
