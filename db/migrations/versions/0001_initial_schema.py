"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 13:49:13.436267
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_table(
        "inbox_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_key", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbox_updates")),
    )
    op.create_index("ix_inbox_updates_pending", "inbox_updates", ["processed_at", "update_id"], unique=False)
    op.create_table(
        "invitation_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_batches")),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
        sa.UniqueConstraint("job", "due_at", name=op.f("uq_job_runs_job_due_at")),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index(op.f("ix_login_attempts_address"), "login_attempts", ["address"], unique=False)
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"], unique=False)
    op.create_index(op.f("ix_login_attempts_username"), "login_attempts", ["username"], unique=False)
    op.create_table(
        "report_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_snapshots")),
        sa.UniqueConstraint("survey_key", "period", "kind", name=op.f("uq_report_snapshots_survey_key_period_kind")),
    )
    op.create_table(
        "respondents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), server_default="da", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respondents")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_respondents_pseudonym")),
    )
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_users")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_users_username")),
    )
    op.create_table(
        "survey_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_versions")),
        sa.UniqueConstraint("survey_key", "content_hash", name=op.f("uq_survey_versions_survey_key_content_hash")),
        sa.UniqueConstraint("survey_key", "version", name=op.f("uq_survey_versions_survey_key_version")),
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), server_default="0", nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["invitation_batches.id"],
            name=op.f("fk_invitations_batch_id_invitation_batches"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(op.f("ix_invitations_batch_id"), "invitations", ["batch_id"], unique=False)
    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("survey_version_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("respondent_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), server_default="telegram", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), server_default="da", nullable=False),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("current_question", sa.String(length=16), nullable=True),
        sa.Column("chat_ref", sa.BigInteger(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitations.id"],
            name=op.f("fk_responses_invitation_id_invitations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_responses_respondent_id_respondents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["survey_version_id"],
            ["survey_versions.id"],
            name=op.f("fk_responses_survey_version_id_survey_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
    )
    op.create_index(op.f("ix_responses_invitation_id"), "responses", ["invitation_id"], unique=False)
    op.create_index(op.f("ix_responses_respondent_id"), "responses", ["respondent_id"], unique=False)
    op.create_index(
        "ix_responses_survey_status_completed",
        "responses",
        ["survey_key", "status", "completed_at"],
        unique=False,
    )
    op.create_index(op.f("ix_responses_survey_version_id"), "responses", ["survey_version_id"], unique=False)
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=16), nullable=False),
        sa.Column("option", sa.String(length=12), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["responses.id"],
            name=op.f("fk_answers_response_id_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint("response_id", "question_id", name=op.f("uq_answers_response_id_question_id")),
    )


def downgrade() -> None:

    op.drop_table("answers")
    op.drop_index(op.f("ix_responses_survey_version_id"), table_name="responses")
    op.drop_index("ix_responses_survey_status_completed", table_name="responses")
    op.drop_index(op.f("ix_responses_respondent_id"), table_name="responses")
    op.drop_index(op.f("ix_responses_invitation_id"), table_name="responses")
    op.drop_table("responses")
    op.drop_index(op.f("ix_invitations_batch_id"), table_name="invitations")
    op.drop_table("invitations")
    op.drop_table("survey_versions")
    op.drop_table("staff_users")
    op.drop_table("respondents")
    op.drop_table("report_snapshots")
    op.drop_index(op.f("ix_login_attempts_username"), table_name="login_attempts")
    op.drop_index("ix_login_attempts_at", table_name="login_attempts")
    op.drop_index(op.f("ix_login_attempts_address"), table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_table("job_runs")
    op.drop_table("invitation_batches")
    op.drop_index("ix_inbox_updates_pending", table_name="inbox_updates")
    op.drop_table("inbox_updates")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
