"""The question flow and answer validation: pure functions over a survey and the answers so far.

Answers are a mapping question id → AnswerValue. Channels (Telegram, later the web) call these
functions with whatever the respondent sent; everything the client sends is treated as untrusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .model import Question, Survey
from .scrub import scrub_text, strip_control

SKIP_OPTION = "skip"  # stored as the option of a skipped optional question


@dataclass(frozen=True)
class AnswerValue:
    """One stored answer: a chosen option (with its value) or a text; a skip has option "skip"."""

    option: str | None = None
    value: int | None = None
    text: str | None = None

    @property
    def skipped(self) -> bool:
        return self.option == SKIP_OPTION


class InvalidAnswer(ValueError):
    """An answer the survey cannot accept. ``reason`` is a stable code a channel can turn into a message.

    Reasons: ``unknown_question``, ``unknown_option``, ``not_optional``, ``wrong_kind``, ``not_text``,
    ``empty``, ``too_long`` (then ``limit`` and ``length`` say by how much).
    """

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        question_id: str | None = None,
        limit: int | None = None,
        length: int | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.question_id = question_id
        self.limit = limit
        self.length = length


def _check_known(survey: Survey, answers: Mapping[str, AnswerValue]) -> None:
    for question_id in answers:
        if survey.question(question_id) is None:
            raise InvalidAnswer(
                "unknown_question",
                f"survey {survey.key!r} has no question {question_id!r}",
                question_id=question_id,
            )


def applicable_questions(survey: Survey, answers: Mapping[str, AnswerValue]) -> list[Question]:
    """The questions to ask given the answers so far, in order (conditions applied).

    A condition looks only at questions that are themselves shown, so an answer left over from a path
    the respondent went back on does not count.
    """
    _check_known(survey, answers)
    shown: list[Question] = []
    shown_ids: set[str] = set()
    for question in survey.questions:
        condition = question.when
        if condition is not None:
            answer = answers.get(condition.question) if condition.question in shown_ids else None
            option = answer.option if answer is not None and answer.option != SKIP_OPTION else None
            if not condition.holds(option):
                continue
        shown.append(question)
        shown_ids.add(question.id)
    return shown


def next_question(survey: Survey, answers: Mapping[str, AnswerValue]) -> Question | None:
    """The first applicable question without an answer; None when the survey is done."""
    return next((q for q in applicable_questions(survey, answers) if q.id not in answers), None)


def question_after(survey: Survey, answers: Mapping[str, AnswerValue], question_id: str) -> Question | None:
    """The question to ask once ``question_id`` is answered; None when the survey is done.

    ``answers`` already holds the new answer. The next applicable question after it comes first, even if
    it was answered before (a respondent who went back walks forward through their earlier answers);
    after the last one, any applicable question still unanswered; then nothing.
    """
    shown = [q.id for q in applicable_questions(survey, answers)]
    following = shown[shown.index(question_id) + 1 :] if question_id in shown else []
    if following:
        return survey.question(following[0])
    return next_question(survey, answers)


def answers_to_keep(survey: Survey, answers: Mapping[str, AnswerValue]) -> frozenset[str]:
    """The question ids whose answers count when the survey is done: the applicable questions.

    Answers to other questions are left over from a path the respondent went back on, and are dropped.
    """
    return frozenset(q.id for q in applicable_questions(survey, answers))


def is_complete(survey: Survey, answers: Mapping[str, AnswerValue]) -> bool:
    """True when every applicable question has an answer (or was skipped)."""
    return next_question(survey, answers) is None


def previous_question(survey: Survey, answers: Mapping[str, AnswerValue], current_qid: str | None) -> Question | None:
    """The question before ``current_qid`` for a "back" button; None on the first question.

    With ``current_qid=None`` (the survey is done) it is the last applicable question.
    """
    shown = applicable_questions(survey, answers)
    if current_qid is None:
        return shown[-1] if shown else None
    if survey.question(current_qid) is None:
        raise InvalidAnswer(
            "unknown_question",
            f"survey {survey.key!r} has no question {current_qid!r}",
            question_id=current_qid,
        )
    order = [q.id for q in survey.questions]
    position = order.index(current_qid)
    earlier = [q for q in shown if order.index(q.id) < position]
    return earlier[-1] if earlier else None


def progress(survey: Survey, answers: Mapping[str, AnswerValue], question: Question | str) -> tuple[int, int]:
    """(position, total) for "3/8": 1-based place of ``question`` among the applicable questions.

    The total can change while answering when conditional questions come into view.
    """
    qid = question if isinstance(question, str) else question.id
    if survey.question(qid) is None:
        raise InvalidAnswer("unknown_question", f"survey {survey.key!r} has no question {qid!r}", question_id=qid)
    shown = applicable_questions(survey, answers)
    order = [q.id for q in survey.questions]
    position = sum(1 for q in shown if order.index(q.id) < order.index(qid)) + 1
    return position, max(len(shown), position)


def validate_choice(question: Question, option_id: str) -> AnswerValue:
    """Check a tapped option (possibly forged) and return what to store.

    ``SKIP_OPTION`` is accepted for optional questions only; NPS options are "0" to "10".
    """
    qid = question.id
    if option_id == SKIP_OPTION:
        if not question.optional:
            raise InvalidAnswer("not_optional", f"question {qid!r} cannot be skipped", question_id=qid)
        return AnswerValue(option=SKIP_OPTION)
    if question.kind == "text":
        raise InvalidAnswer("wrong_kind", f"question {qid!r} wants a text, not an option", question_id=qid)
    option = question.option(option_id) if isinstance(option_id, str) else None
    if option is None:
        raise InvalidAnswer("unknown_option", f"question {qid!r} has no option {option_id!r}", question_id=qid)
    return AnswerValue(option=option.id, value=option.value)


def validate_text(question: Question, text: str, typed_length: int | None = None) -> AnswerValue:
    """Check a free-text answer and return it scrubbed of CPR numbers, e-mail addresses and phones.

    Control characters are removed and the text trimmed. An empty text or one over the limit is
    refused (``empty`` / ``too_long``), never cut short: the respondent is asked to shorten it.
    ``typed_length`` is the length as the person typed it, for a text that was scrubbed on arrival
    (placeholders can be longer than what they replace); the limit applies to what was typed.
    """
    qid = question.id
    if question.kind != "text":
        raise InvalidAnswer("wrong_kind", f"question {qid!r} wants an option, not a text", question_id=qid)
    if not isinstance(text, str):
        raise InvalidAnswer("not_text", f"question {qid!r} wants a text", question_id=qid)
    cleaned = strip_control(text).strip()
    if not cleaned:
        raise InvalidAnswer("empty", f"the answer to {qid!r} is empty", question_id=qid)
    limit = question.max_length
    length = len(cleaned) if typed_length is None else typed_length
    if limit is not None and length > limit:
        raise InvalidAnswer(
            "too_long",
            f"the answer to {qid!r} has {length} characters; at most {limit} are allowed",
            question_id=qid,
            limit=limit,
            length=length,
        )
    return AnswerValue(text=scrub_text(cleaned).strip())


def validate_answer(
    survey: Survey, question_id: str, *, option: str | None = None, text: str | None = None
) -> AnswerValue:
    """Validate an answer addressed by question id (e.g. from callback data); one of option or text."""
    question = survey.question(question_id)
    if question is None:
        raise InvalidAnswer(
            "unknown_question",
            f"survey {survey.key!r} has no question {question_id!r}",
            question_id=question_id,
        )
    if option is not None:
        return validate_choice(question, option)
    return validate_text(question, text or "")  # neither given: refused as an empty text
