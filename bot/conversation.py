"""The conversation: turn one incoming update into database changes and replies.

Handlers are short: parse, ask the survey engine and the repositories, render. Nothing is kept
in memory between updates — the response's current question in the database is the state — so
a restart, or a second process, continues every conversation where it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callback_step, callbacks, render, staff
from bot.links import deep_link
from bot.replies import Edit, Reply, Send, Toast
from bot.texts import languages, pick_language, t
from bot.updates import CALLBACK, MEDIA, TEXT, Incoming
from db import answering
from db.keys import pseudonym
from db.models import Respondent, Response, utcnow
from db.repo import callbacks as callback_requests
from db.repo import invitations, responses
from surveys import (
    AnswerValue,
    InvalidAnswer,
    Question,
    Survey,
    applicable_questions,
    get_survey,
    next_question,
    previous_question,
    progress,
    validate_choice,
    validate_text,
)

log = logging.getLogger(__name__)

OPEN = responses.OPEN
CHANNEL = "telegram"


@dataclass(frozen=True)
class Policy:
    """Privacy rules the conversation tells people about and applies."""

    withdrawal_window: timedelta = timedelta(days=30)
    retention_months: int = 24
    timezone: str = "Europe/Copenhagen"
    callback_handled_days: int = 30
    callback_max_days: int = 90
    organisation: str = "Jobcentret"


@dataclass
class Turn:
    """One update being handled: who, in which chat, in which language."""

    session: AsyncSession
    incoming: Incoming
    respondent: Respondent | None
    lang: str

    @property
    def chat_id(self) -> int:
        return self.incoming.chat_id

    def say(self, key: str, **values: object) -> Send:
        return Send(self.chat_id, t(self.lang, key, **values))


class Conversation:
    """Handles updates for every chat; holds only configuration and a cache of survey versions."""

    def __init__(
        self,
        secret: bytes,
        *,
        staff_ids: frozenset[int] = frozenset(),
        policy: Policy | None = None,
        bot_username: Callable[[], str] = lambda: "",
        web_link: Callable[[str], str] | None = None,
    ) -> None:
        self.secret = secret
        self.staff_ids = staff_ids
        self.policy = policy or Policy()
        self.bot_username = bot_username
        self.web_link = web_link  # set when the web channel has a public URL: its links are printed then
        self._surveys = answering.SurveyVersions()

    async def handle(self, session: AsyncSession, incoming: Incoming) -> list[Reply]:
        if not incoming.private or incoming.user_id is None:
            # Only private chats get answers; a press elsewhere is acknowledged and ignored.
            return [Toast(incoming.callback_id)] if incoming.kind == CALLBACK and incoming.callback_id else []
        respondent = await responses.find_respondent(session, pseudonym(self.secret, incoming.user_id))
        lang = respondent.language if respondent else pick_language(incoming.language_code)
        turn = Turn(session, incoming, respondent, lang)
        if incoming.kind == CALLBACK:
            return await self._press(turn)
        if incoming.kind == MEDIA:
            return [turn.say("hint_text_only")]
        if incoming.kind == TEXT and incoming.text is not None:
            if incoming.text.startswith("/"):
                return await self._command(turn)
            return await self._text(turn)
        return []  # edited messages: answers are not changed by editing old messages

    def sorry(self, incoming: Incoming) -> list[Reply]:
        """What the person sees when their update could not be handled at all."""
        if not incoming.private or incoming.kind not in {TEXT, CALLBACK}:
            return []
        replies: list[Reply] = [Toast(incoming.callback_id)] if incoming.callback_id else []
        return [*replies, Send(incoming.chat_id, t(pick_language(incoming.language_code), "sorry"))]

    # -- surveys and state -------------------------------------------------------------------

    async def _survey(self, session: AsyncSession, response: Response) -> Survey:
        return await self._surveys.get(session, response.survey_version_id)

    @staticmethod
    async def _answers(session: AsyncSession, response: Response) -> dict[str, AnswerValue]:
        return await answering.answer_values(session, response.id)

    async def _open(self, turn: Turn) -> Response | None:
        if turn.respondent is None:
            return None
        return await responses.open_response(turn.session, turn.respondent.id)

    async def _show(self, turn: Turn, response: Response) -> list[Reply]:
        """The open response where it stands: the welcome if not begun, else the current question."""
        survey = await self._survey(turn.session, response)
        answers = await self._answers(turn.session, response)
        lang = self._survey_lang(survey, turn.lang)
        current = survey.question(response.current_question) if response.current_question else None
        if current is None:
            count = len(applicable_questions(survey, answers))
            text, buttons = render.welcome(survey, lang, response.id, count, self.policy.organisation)
            return [Send(turn.chat_id, text, buttons)]
        return [self._ask(turn, survey, response, current, answers)]

    def _ask(
        self, turn: Turn, survey: Survey, response: Response, question: Question, answers: dict[str, AnswerValue]
    ) -> Send:
        lang = self._survey_lang(survey, turn.lang)
        index, total = progress(survey, answers, question)
        can_go_back = previous_question(survey, answers, question.id) is not None
        text, buttons = render.question(survey, question, lang, response.id, index, total, can_go_back=can_go_back)
        return Send(turn.chat_id, text, buttons)

    @staticmethod
    def _survey_lang(survey: Survey, lang: str) -> str:
        return lang if lang in survey.languages else "da"

    async def _store_and_advance(
        self,
        turn: Turn,
        survey: Survey,
        response: Response,
        question: Question,
        value: AnswerValue,
        answers: dict[str, AnswerValue],
    ) -> Send:
        """Store the answer and move on: the next question, or the thanks when the survey is done."""
        upcoming = await answering.record_answer(turn.session, response, survey, question, value, answers)
        if upcoming is None:
            lang = self._survey_lang(survey, turn.lang)
            return Send(
                turn.chat_id,
                render.thanks(survey, lang, self.policy.organisation),
                [[(t(lang, "button_callback"), callbacks.callback("ask"))]],
            )
        answers = {**answers, question.id: value}
        return self._ask(turn, survey, response, upcoming, answers)

    # -- text and commands -------------------------------------------------------------------

    async def _text(self, turn: Turn) -> list[Reply]:
        response = await self._open(turn)
        if response is None:
            if turn.respondent is not None:
                prompt = await callback_requests.pending_prompt(turn.session, turn.respondent.id)
                if prompt is not None:
                    return await callback_step.typed(turn, prompt, self.policy.timezone, self.policy.callback_max_days)
            return [turn.say("hint_nothing_open")]
        survey = await self._survey(turn.session, response)
        question = survey.question(response.current_question) if response.current_question else None
        if question is None or question.kind != "text":
            return [turn.say("hint_use_buttons")]
        try:
            value = validate_text(question, turn.incoming.text or "", typed_length=turn.incoming.text_length)
        except InvalidAnswer as exc:
            if exc.reason == "too_long":
                return [turn.say("hint_too_long", length=exc.length, max=exc.limit)]
            return [turn.say("hint_empty")]
        answers = await self._answers(turn.session, response)
        return [await self._store_and_advance(turn, survey, response, question, value, answers)]

    async def _command(self, turn: Turn) -> list[Reply]:
        words = (turn.incoming.text or "").split()
        command = words[0][1:].split("@")[0].lower()
        args = words[1:]
        if command == "start":
            return await self._start(turn, args[0] if args else None)
        if command == "help":
            return [turn.say("help")]
        if command == "privacy":
            return [
                turn.say(
                    "privacy",
                    retention_months=self.policy.retention_months,
                    withdrawal_days=self.policy.withdrawal_window.days,
                    callback_handled_days=self.policy.callback_handled_days,
                    callback_max_days=self.policy.callback_max_days,
                )
            ]
        if command == "language":
            response = await self._open(turn)
            buttons = render.language_buttons(languages(), "", response.id if response else 0)
            return [Send(turn.chat_id, t(turn.lang, "language_prompt"), buttons)]
        if command == "cancel":
            response = await self._open(turn)
            if response is None:
                return [turn.say("cancel_nothing")]
            response.reminded_at = utcnow()  # they chose to pause: no reminder
            return [turn.say("cancelled")]
        if command == "delete":
            if turn.respondent is None or not await responses.count_linked(turn.session, turn.respondent.id):
                return [turn.say("delete_nothing")]
            buttons = [
                [
                    (t(turn.lang, "button_delete_yes"), callbacks.delete(True)),
                    (t(turn.lang, "button_delete_no"), callbacks.delete(False)),
                ]
            ]
            return [Send(turn.chat_id, t(turn.lang, "delete_confirm"), buttons)]
        if command == "invite" and turn.incoming.user_id in self.staff_ids:
            text = await staff.invite(
                turn.session,
                self.secret,
                args,
                lang=turn.lang,
                link=self.web_link or (lambda token: deep_link(self.bot_username(), token)),
                actor=self._actor(turn),
            )
            return [Send(turn.chat_id, text)]
        return [turn.say("unknown_command")]

    def _actor(self, turn: Turn) -> str:
        return "telegram:" + pseudonym(self.secret, turn.incoming.user_id or 0)[:16]

    async def _start(self, turn: Turn, token: str | None) -> list[Reply]:
        session = turn.session
        invitation = await invitations.find_invitation(session, self.secret, token) if token else None
        if turn.respondent is not None and invitation is not None:
            earlier = await responses.response_from_invitation(session, turn.respondent.id, invitation.id)
            if earlier is not None and earlier.status == OPEN:
                return await self._show(turn, earlier)
            if earlier is not None and earlier.status == "completed":
                return [turn.say("already_answered")]
        response = await self._open(turn)
        if response is not None:
            return await self._show(turn, response)  # never a second response while one is open
        if token is None:
            return [turn.say("hint_nothing_open")]
        refused = await answering.refusal(session, invitation, CHANNEL)
        if refused is not None or invitation is None:
            return [turn.say(f"token_{refused.reason if refused else 'unknown'}")]
        survey = get_survey(invitation.survey_key)
        lang = turn.respondent.language if turn.respondent else pick_language(turn.incoming.language_code)
        started = await answering.start_response(
            session,
            invitation,
            pseudonym(self.secret, turn.incoming.user_id or 0),
            self._surveys,
            channel=CHANNEL,
            language=pick_language(lang, list(survey.languages)),
            chat_ref=turn.chat_id,
        )
        if started is None:
            return [turn.say("token_used_up")]
        turn.respondent, response = started
        turn.lang = turn.respondent.language
        return await self._show(turn, response)

    # -- button presses ----------------------------------------------------------------------

    async def _press(self, turn: Turn) -> list[Reply]:
        incoming = turn.incoming
        toast_id = incoming.callback_id or ""
        press = callbacks.parse(incoming.data)
        if press is None:
            return [Toast(toast_id, t(turn.lang, "toast_invalid"))]
        if press.action == "delete":
            return await self._delete(turn, press.option == "y")
        if press.action == "callback":
            return await callback_step.press(turn, press.option, self.policy.callback_max_days)
        if press.action == "language" and press.response_id == 0:
            return await self._language(turn, press.option, None)
        response = await responses.get_response(turn.session, press.response_id)
        if (
            response is None
            or turn.respondent is None
            or response.respondent_id != turn.respondent.id
            or response.status != OPEN
        ):
            return [Toast(toast_id, t(turn.lang, "toast_stale"))]
        if press.action == "language":
            return await self._language(turn, press.option, response)
        if press.action == "continue":
            return [Toast(toast_id), *await self._show(turn, response)]
        survey = await self._survey(turn.session, response)
        answers = await self._answers(turn.session, response)
        lang = self._survey_lang(survey, turn.lang)
        if press.action == "begin":
            if response.current_question is not None:
                return [Toast(toast_id, t(turn.lang, "toast_stale"))]
            first = next_question(survey, answers)
            if first is None:  # a survey without questions cannot be loaded; guard anyway
                return [Toast(toast_id)]
            responses.move_to(response, first.id)
            text, _ = render.welcome(
                survey, lang, response.id, len(applicable_questions(survey, answers)), self.policy.organisation
            )
            return [Toast(toast_id), self._edit(incoming, text), self._ask(turn, survey, response, first, answers)]
        question = survey.question(press.question_id)
        if question is None or press.question_id != response.current_question:
            return [Toast(toast_id, t(turn.lang, "toast_stale"))]
        index, total = progress(survey, answers, question)
        if press.action == "back":
            earlier = previous_question(survey, answers, question.id)
            if earlier is None:
                return [Toast(toast_id, t(turn.lang, "toast_stale"))]
            responses.move_to(response, earlier.id)
            return [
                Toast(toast_id),
                self._edit(incoming, render.left(survey, question, lang, index, total)),
                self._ask(turn, survey, response, earlier, answers),
            ]
        try:
            value = validate_choice(question, press.option)
        except InvalidAnswer:
            return [Toast(toast_id, t(turn.lang, "toast_invalid"))]
        edit = self._edit(incoming, render.answered(survey, question, lang, index, total, press.option))
        following = await self._store_and_advance(turn, survey, response, question, value, answers)
        return [Toast(toast_id), edit, following]

    @staticmethod
    def _edit(incoming: Incoming, text: str) -> Edit:
        return Edit(incoming.chat_id, incoming.message_id or 0, text)

    async def _language(self, turn: Turn, code: str, response: Response | None) -> list[Reply]:
        toast_id = turn.incoming.callback_id or ""
        if code not in languages():
            return [Toast(toast_id, t(turn.lang, "toast_invalid"))]
        respondent = turn.respondent or await responses.get_or_create_respondent(
            turn.session, pseudonym(self.secret, turn.incoming.user_id or 0), code
        )
        respondent.language = code
        turn.respondent, turn.lang = respondent, code
        response = response or await self._open(turn)
        replies: list[Reply] = [Toast(toast_id)]
        if response is None:
            return [*replies, self._edit(turn.incoming, t(code, "language_set"))]
        survey = await self._survey(turn.session, response)
        response.language = self._survey_lang(survey, code)
        if response.current_question is None:
            # On the welcome: show it again, in the new language, in the same message.
            answers = await self._answers(turn.session, response)
            text, buttons = render.welcome(
                survey,
                response.language,
                response.id,
                len(applicable_questions(survey, answers)),
                self.policy.organisation,
            )
            return [*replies, Edit(turn.chat_id, turn.incoming.message_id or 0, text, buttons)]
        return [*replies, self._edit(turn.incoming, t(code, "language_set")), *await self._show(turn, response)]

    async def _delete(self, turn: Turn, confirmed: bool) -> list[Reply]:
        toast = Toast(turn.incoming.callback_id or "")
        if not confirmed:
            return [toast, self._edit(turn.incoming, t(turn.lang, "delete_kept"))]
        if turn.respondent is None:
            return [toast, self._edit(turn.incoming, t(turn.lang, "delete_nothing"))]
        window_start = utcnow() - self.policy.withdrawal_window
        count = await responses.delete_for_respondent(turn.session, turn.respondent.id, window_start)
        log.info("a respondent withdrew %d response(s)", count)
        return [toast, self._edit(turn.incoming, t(turn.lang, "deleted", count=count))]
