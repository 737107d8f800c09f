"""indexes for the response rate: a period's invitations, and whether each led to a completed response

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 17:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_invitations_survey_created", "invitations", ["survey_key", "created_at"])
    # Replaces the single-column index: the same look-ups, and the status without reading the row.
    op.create_index("ix_responses_invitation_status", "responses", ["invitation_id", "status"])
    op.drop_index("ix_responses_invitation_id", table_name="responses")


def downgrade() -> None:
    op.create_index("ix_responses_invitation_id", "responses", ["invitation_id"])
    op.drop_index("ix_responses_invitation_status", table_name="responses")
    op.drop_index("ix_invitations_survey_created", table_name="invitations")
