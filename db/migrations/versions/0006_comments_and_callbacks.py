"""comment themes and tags; call-back requests ("Ring mig op"), kept apart from every answer

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comment_themes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_themes")),
        sa.UniqueConstraint("survey_key", "name", name=op.f("uq_comment_themes_survey_key_name")),
    )
    op.create_table(
        "comment_tags",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("tagged_by", sa.String(length=64), nullable=False),
        sa.Column("tagged_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"], ["answers.id"], name=op.f("fk_comment_tags_answer_id_answers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["comment_themes.id"],
            name=op.f("fk_comment_tags_theme_id_comment_themes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("answer_id", "theme_id", name=op.f("pk_comment_tags")),
    )
    op.create_index(op.f("ix_comment_tags_theme_id"), "comment_tags", ["theme_id"], unique=False)
    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("contact_kind", sa.String(length=8), nullable=False),
        sa.Column("contact", sa.String(length=254), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_requests")),
    )
    op.create_index(op.f("ix_callback_requests_requested_on"), "callback_requests", ["requested_on"], unique=False)
    op.create_index(op.f("ix_callback_requests_handled_at"), "callback_requests", ["handled_at"], unique=False)
    op.create_table(
        "callback_tallies",
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("survey_key", "requested_on", name=op.f("pk_callback_tallies")),
    )
    op.create_table(
        "callback_prompts",
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("survey_key", sa.String(length=32), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_callback_prompts_respondent_id_respondents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("respondent_id", name=op.f("pk_callback_prompts")),
    )


def downgrade() -> None:
    op.drop_table("callback_prompts")
    op.drop_table("callback_tallies")
    op.drop_index(op.f("ix_callback_requests_handled_at"), table_name="callback_requests")
    op.drop_index(op.f("ix_callback_requests_requested_on"), table_name="callback_requests")
    op.drop_table("callback_requests")
    op.drop_index(op.f("ix_comment_tags_theme_id"), table_name="comment_tags")
    op.drop_table("comment_tags")
    op.drop_table("comment_themes")
