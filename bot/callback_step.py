""" "Ring mig op" in Telegram: the step after the thanks.

The button under the thanks shows the consent text; "yes" leaves a short-lived prompt (no contact details, just
which survey and team) and asks for a number or e-mail; the next message is validated and stored by
``db.repo.callbacks.request_callback`` — the same use case the web channel calls — with no link to the response,
the respondent or the invitation. The typed contact is never logged.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.replies import Edit, Reply, Send, Toast
from bot.texts import t
from db.models import CallbackPrompt, utcnow
from db.repo import callbacks as requests
from db.repo import responses
from surveys.contact import InvalidContact

if TYPE_CHECKING:
    from bot.conversation import Turn

# Pressing the button later than this after finishing is refused: the request must belong to a fresh answer.
CALLBACK_AFTER = timedelta(hours=24)
DECLINE_WORDS = frozenset({"nej", "no", "stop", "annuller", "cancel"})


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


async def press(turn: Turn, step: str, max_days: int) -> list[Reply]:
    """``ask``: show the consent text; ``yes``: ask for the contact; ``no``: nothing is kept."""
    toast = Toast(turn.incoming.callback_id or "")
    respondent = turn.respondent
    latest = None
    if respondent is not None:
        latest = await responses.latest_completed(turn.session, respondent.id, since=utcnow() - CALLBACK_AFTER)
    if respondent is None or latest is None:
        return [toast, turn.say("callback_too_late")]
    consent = t(turn.lang, "callback_consent", days=max_days)
    if step == "ask":
        buttons = [
            [
                (t(turn.lang, "button_callback_yes"), callbacks.callback("yes")),
                (t(turn.lang, "button_callback_no"), callbacks.callback("no")),
            ]
        ]
        return [toast, Send(turn.chat_id, consent, buttons)]
    edit_to = consent if step == "yes" else t(turn.lang, "callback_declined")
    edit = Edit(turn.chat_id, turn.incoming.message_id or 0, edit_to)
    if step == "no":
        await requests.close_prompt(turn.session, respondent.id)
        return [toast, edit]
    await requests.open_prompt(turn.session, respondent.id, latest.survey_key, latest.segments)
    return [toast, edit, turn.say("callback_ask_contact")]


async def typed(turn: Turn, prompt: CallbackPrompt, tz: str, max_days: int) -> list[Reply]:
    """The message after "yes": stored when it is a number or e-mail, explained when not, "nej" ends the step."""
    text = turn.incoming.text or ""
    if text.strip().lower() in DECLINE_WORDS:
        await requests.close_prompt(turn.session, prompt.respondent_id)
        return [turn.say("callback_declined")]
    try:
        await requests.request_callback(
            turn.session,
            survey_key=prompt.survey_key,
            segments={requests.TEAM_SEGMENT: prompt.team} if prompt.team else {},
            # The scrubbed text never holds a number or e-mail; the message's own contact field does.
            contact_text=turn.incoming.contact or text,
            today=local_date(utcnow(), tz),
        )
    except InvalidContact as exc:
        return [turn.say(f"callback_invalid_{exc.reason}")]
    await requests.close_prompt(turn.session, prompt.respondent_id)
    return [turn.say("callback_saved", days=max_days)]
