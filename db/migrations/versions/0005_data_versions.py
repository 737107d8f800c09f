"""data_versions: two counters the database bumps itself, so a cached report knows when it is out of date

``added`` counts changes that only add to the numbers (a new answer, a completed response, a new invitation);
``removed`` counts changes that take something away or change it (a deleted or withdrawn response, a revised
answer, the retention purge, a deleted invitation). Triggers keep them, so no code path can forget to.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def triggers(postgres: bool) -> list[tuple[str, str, str, str | None, str]]:
    """(trigger, table, event, condition on OLD/NEW or None, counter)."""

    def changed(column: str) -> str:
        if not postgres:
            return f"OLD.{column} IS NOT NEW.{column}"
        cast = "::text" if column == "segments" else ""  # JSON has no equality in PostgreSQL
        return f"OLD.{column}{cast} IS DISTINCT FROM NEW.{column}{cast}"

    status_out = "OLD.status = 'completed' OR NEW.status = 'withdrawn'"
    moved = " OR ".join(changed(c) for c in ("survey_key", "segments", "invitation_id"))
    invitation = " OR ".join(changed(c) for c in ("created_at", "survey_key", "max_uses", "segments"))
    return [
        ("dv_answers_insert", "answers", "INSERT", None, "added"),
        ("dv_answers_update", "answers", "UPDATE", None, "removed"),  # a revised answer replaces one
        ("dv_answers_delete", "answers", "DELETE", None, "removed"),
        ("dv_responses_insert", "responses", "INSERT", None, "added"),
        ("dv_responses_delete", "responses", "DELETE", None, "removed"),
        ("dv_responses_out", "responses", "UPDATE", f"{changed('status')} AND ({status_out})", "removed"),
        ("dv_responses_in", "responses", "UPDATE", f"{changed('status')} AND NOT ({status_out})", "added"),
        ("dv_responses_moved", "responses", "UPDATE", moved, "removed"),
        ("dv_invitations_insert", "invitations", "INSERT", None, "added"),
        ("dv_invitations_delete", "invitations", "DELETE", None, "removed"),
        ("dv_invitations_update", "invitations", "UPDATE", invitation, "removed"),
    ]


def upgrade() -> None:
    op.create_table(
        "data_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("added", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("removed", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_versions")),
    )
    op.execute("INSERT INTO data_versions (id, added, removed) VALUES (1, 0, 0)")
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for counter in ("added", "removed"):
            op.execute(
                f"CREATE FUNCTION data_versions_{counter}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN UPDATE data_versions SET {counter} = {counter} + 1; RETURN NULL; END $$"
            )
    for name, table, event, condition, counter in triggers(postgres):
        if postgres:
            # A bulk insert or delete (the retention purge) bumps once per statement.
            each = "ROW" if condition else "STATEMENT"
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH {each} "
                f"{f'WHEN ({condition}) ' if condition else ''}EXECUTE FUNCTION data_versions_{counter}()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW "
                f"{f'WHEN {condition} ' if condition else ''}"
                f"BEGIN UPDATE data_versions SET {counter} = {counter} + 1; END"
            )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, _, _, _ in triggers(postgres):
        op.execute(f"DROP TRIGGER {name} ON {table}" if postgres else f"DROP TRIGGER {name}")
    if postgres:
        for counter in ("added", "removed"):
            op.execute(f"DROP FUNCTION data_versions_{counter}()")
    op.drop_table("data_versions")
