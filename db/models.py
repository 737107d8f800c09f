"""The schema, as typed SQLAlchemy 2 models.

The Alembic migrations under ``db/migrations`` are the schema of record; a test checks that
these models and the migrations agree on SQLite and PostgreSQL.

Privacy: nothing here holds a name, a username or a phone number. Respondents are keyed by
an HMAC pseudonym; invitation tokens are kept only as hashes.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        dict[str, str]: JSON,
    }


class ResponseStatus(str, enum.Enum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    WITHDRAWN = "withdrawn"


class SurveyVersion(Base):
    """One version of a survey definition. Frozen once it has answers: a change makes a new version."""

    __tablename__ = "survey_versions"
    __table_args__ = (
        UniqueConstraint("survey_key", "content_hash"),
        UniqueConstraint("survey_key", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    frozen_at: Mapped[datetime | None]


class InvitationBatch(Base):
    """A set of invitations created together (one `tilfreds invite` call or one staff form)."""

    __tablename__ = "invitation_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    segments: Mapped[dict[str, str]]
    count: Mapped[int] = mapped_column(Integer)
    max_uses: Mapped[int | None] = mapped_column(Integer)
    expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(String(200))


class Invitation(Base):
    """A link that opens a survey. The token itself is never stored, only its keyed hash."""

    __tablename__ = "invitations"
    # A period's invitations, for the response rate (bench/RESULTS.md).
    __table_args__ = (Index("ix_invitations_survey_created", "survey_key", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("invitation_batches.id", ondelete="SET NULL"), index=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    segments: Mapped[dict[str, str]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    expires_at: Mapped[datetime | None]
    max_uses: Mapped[int | None] = mapped_column(Integer)  # None: a multi-use (QR poster) invitation
    uses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    revoked_at: Mapped[datetime | None]


class Respondent(Base):
    """A person who answers, known only by ``HMAC-SHA256(secret, telegram user id)``."""

    __tablename__ = "respondents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8), default="da", server_default="da")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class Response(Base):
    """One person's answering of one survey version."""

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_survey_status_completed", "survey_key", "status", "completed_at"),
        # Did this invitation lead to a completed response: answered from the index alone.
        Index("ix_responses_invitation_status", "invitation_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_versions.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))
    # Cut (set to NULL) for completed responses once the withdrawal window has passed.
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("respondents.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram", server_default="telegram")
    status: Mapped[str] = mapped_column(String(16), default=ResponseStatus.IN_PROGRESS.value)
    language: Mapped[str] = mapped_column(String(8), default="da", server_default="da")
    segments: Mapped[dict[str, str]]
    current_question: Mapped[str | None] = mapped_column(String(16))
    # Where to send the one reminder while the response is open; cleared when it closes.
    chat_ref: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    completed_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(Base):
    """One answer: one row per response and question; a revised answer replaces it."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        # Reports start from the period's headline answers without touching the table (bench/RESULTS.md).
        Index("ix_answers_question_answered", "question_id", "answered_at", "response_id", "value", "option"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(16))
    option: Mapped[str | None] = mapped_column(String(12))  # option id, "dk", "na" or "skip"
    value: Mapped[int | None] = mapped_column(Integer)  # numeric value on the scale; None for dk/na/skip
    text: Mapped[str | None] = mapped_column(Text)  # scrubbed free text
    answered_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())

    response: Mapped[Response] = relationship(back_populates="answers", lazy="raise")


class InboxUpdate(Base):
    """The durable inbox: every Telegram update is stored here before it is acknowledged."""

    __tablename__ = "inbox_updates"
    __table_args__ = (Index("ix_inbox_updates_pending", "processed_at", "update_id"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_key: Mapped[str | None] = mapped_column(String(64))  # keyed hash of the chat, for per-chat order
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))  # SQL NULL once processed
    received_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    processed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(String(500))


class ReportSnapshot(Base):
    """An aggregated report, produced once per survey, period and kind."""

    __tablename__ = "report_snapshots"
    __table_args__ = (UniqueConstraint("survey_key", "period", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    data: Mapped[dict[str, Any]]
    files: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StaffUser(Base):
    """A member of staff who may log in to the web pages."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    disabled_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class StaffSession(Base):
    """A logged-in browser. The cookie carries a random id; only its keyed hash is stored here."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(index=True)


class LoginAttempt(Base):
    """Login attempts (recorded before the password is checked; a success clears its own), for throttling."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class DataVersion(Base):
    """One row of two counters that database triggers bump (migration 0005): ``added`` when answers,
    responses or invitations only add to the numbers, ``removed`` when something is deleted, withdrawn
    or changed. A cached report is current while they are what they were when it was counted."""

    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    added: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    removed: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class AuditEntry(Base):
    """Who did what, when: every export and every invitation batch writes one."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now(), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]]
    rows: Mapped[int | None] = mapped_column(Integer)


class JobRun(Base):
    """A scheduled job's run, unique per job and due time, so two processes run it once."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    started_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(200))


class CommentTheme(Base):
    """A theme staff tag free-text comments with (e.g. ventetid, sagsbehandler), editable per survey."""

    __tablename__ = "comment_themes"
    __table_args__ = (UniqueConstraint("survey_key", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class CommentTag(Base):
    """One comment (a free-text answer) tagged with one theme; gone with the answer or the theme."""

    __tablename__ = "comment_tags"

    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("comment_themes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    tagged_by: Mapped[str] = mapped_column(String(64))
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class CallbackRequest(Base):
    """ "Ring mig op": a respondent asked to be contacted. Deliberately NOT linked to any response, respondent
    or invitation — only the survey, the local date (no time of day) and the team, so the right team calls."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    requested_on: Mapped[date] = mapped_column(Date, index=True)
    team: Mapped[str | None] = mapped_column(String(64))
    contact_kind: Mapped[str] = mapped_column(String(8))  # "phone" | "email"
    contact: Mapped[str] = mapped_column(String(254))
    handled_at: Mapped[datetime | None] = mapped_column(index=True)
    handled_by: Mapped[str | None] = mapped_column(String(64))


class CallbackTally(Base):
    """How many asked to be contacted, per survey and local date: what reports show, kept after the requests
    themselves are deleted."""

    __tablename__ = "callback_tallies"

    survey_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    requested_on: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class CallbackPrompt(Base):
    """A Telegram respondent who agreed to the consent text and is about to type a number or e-mail.

    Short-lived (minutes) and holding no contact details: it only remembers which survey and team the request
    will be for. Deleted as soon as the contact is typed, declined, or the prompt expires."""

    __tablename__ = "callback_prompts"

    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"), primary_key=True)
    survey_key: Mapped[str] = mapped_column(String(32))
    team: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime]
