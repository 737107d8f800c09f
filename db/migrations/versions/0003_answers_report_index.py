"""covering index for reports: a period's answers to one question

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_answers_question_answered",
        "answers",
        ["question_id", "answered_at", "response_id", "value", "option"],
    )


def downgrade() -> None:
    op.drop_index("ix_answers_question_answered", table_name="answers")
