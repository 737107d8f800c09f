"""Answering a survey, whichever the channel: start a response from an invitation, store an answer and move on.

Telegram (``bot/``) and the browser (``tilfreds/web/respond/``) call these functions, so one invitation
opens one response in either channel and an answer moves a response on by the same rule
(``surveys.question_after``). Like the repositories they only flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invitation, Respondent, Response
from db.repo import invitations, responses, survey_versions
from surveys import AnswerValue, Question, Survey, UnknownSurvey, answers_to_keep, get_survey, question_after


class SurveyVersions:
    """Survey definitions by version id, read from the database once (a version never changes)."""

    def __init__(self) -> None:
        self._surveys: dict[int, Survey] = {}

    async def get(self, session: AsyncSession, version_id: int) -> Survey:
        survey = self._surveys.get(version_id)
        if survey is None:
            version = await survey_versions.get_version(session, version_id)
            if version is None:
                raise LookupError(f"survey version {version_id} is missing")
            survey = self._surveys[version_id] = Survey.from_dict(version.definition)
        return survey

    def remember(self, version_id: int, survey: Survey) -> None:
        self._surveys.setdefault(version_id, survey)


async def answer_values(session: AsyncSession, response_id: int) -> dict[str, AnswerValue]:
    """The response's answers as the engine sees them."""
    rows = await responses.answers_of(session, response_id)
    return {row.question_id: AnswerValue(option=row.option, value=row.value, text=row.text) for row in rows}


@dataclass(frozen=True)
class Refusal:
    """Why an invitation opened no response: ``reason`` is an ``InvitationStatus`` value or ``other_channel``."""

    reason: str


async def refusal(session: AsyncSession, invitation: Invitation | None, channel: str) -> Refusal | None:
    """Why ``invitation`` cannot open a new response in ``channel`` now, or None if it can.

    A single-use link already started in the other channel says so (``other_channel``), so the person
    hears where their answers are rather than only that the link is spent.
    """
    status = invitations.invitation_status(invitation)
    if status is invitations.InvitationStatus.OK and invitation is not None:
        try:
            get_survey(invitation.survey_key)
        except UnknownSurvey:
            return Refusal(invitations.InvitationStatus.UNKNOWN.value)
        return None
    if status is invitations.InvitationStatus.USED_UP and invitation is not None:
        used_in = await responses.channels_of_invitation(session, invitation.id)
        if used_in and channel not in used_in:
            return Refusal("other_channel")
    return Refusal(status.value)


async def start_response(
    session: AsyncSession,
    invitation: Invitation,
    pseudonym: str,
    versions: SurveyVersions,
    *,
    channel: str,
    language: str,
    chat_ref: int | None = None,
) -> tuple[Respondent, Response] | None:
    """Open a response from an invitation that :func:`refusal` let through; None if it was used up meanwhile.

    The use is claimed atomically before anything is created, so two channels (or two browsers) racing
    for a single-use link get one response between them and the loser leaves no row behind.
    """
    survey = get_survey(invitation.survey_key)
    if not await invitations.claim_use(session, invitation.id):
        return None
    language = language if language in survey.languages else "da"
    respondent = await responses.get_or_create_respondent(session, pseudonym, language)
    version = await survey_versions.ensure_version(session, survey)
    versions.remember(version.id, survey)
    await survey_versions.freeze(session, version.id)
    response = await responses.create_response(
        session,
        survey_key=survey.key,
        survey_version_id=version.id,
        invitation_id=invitation.id,
        respondent_id=respondent.id,
        language=language,
        segments=dict(invitation.segments),
        chat_ref=chat_ref,
        channel=channel,
    )
    return respondent, response


async def record_answer(
    session: AsyncSession,
    response: Response,
    survey: Survey,
    question: Question,
    value: AnswerValue,
    answers: dict[str, AnswerValue],
) -> Question | None:
    """Store the answer to the current question and move on: the next question, or None when done.

    When done, answers left over from a path the respondent went back on are dropped and the response
    is completed. ``answers`` are the answers before this one.
    """
    await responses.save_answer(
        session, response.id, question.id, option=value.option, value=value.value, text=value.text
    )
    answers = {**answers, question.id: value}
    upcoming = question_after(survey, answers, question.id)
    if upcoming is None:
        await responses.drop_answers(session, response.id, keep=set(answers_to_keep(survey, answers)))
        responses.complete(response)
    else:
        responses.move_to(response, upcoming.id)
    await session.flush()
    return upcoming
