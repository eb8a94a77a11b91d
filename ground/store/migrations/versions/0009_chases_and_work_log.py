"""chases and work log: every 催办 of a case waiting on its approver, and the service officers' 帮办代办 work log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("natural_key", sa.String(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("filing_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("department", sa.String(), nullable=False),
        sa.Column("recipient_name", sa.String(), nullable=False),
        sa.Column("recipient_mobile", sa.String(), nullable=False),
        sa.Column("waited_working_days", sa.Integer(), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_chases_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["filing_id"], ["case_transitions.id"], name=op.f("fk_chases_filing_id_case_transitions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chases")),
        sa.UniqueConstraint("natural_key", name=op.f("uq_chases_natural_key")),
    )
    op.create_index(op.f("ix_chases_case_id"), "chases", ["case_id"])
    op.create_table(
        "work_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.String(), nullable=False),
        sa.Column("officer_name", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("mandate_ref", sa.String(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_work_log_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_log")),
    )
    op.create_index(op.f("ix_work_log_case_id"), "work_log", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_work_log_case_id"), table_name="work_log")
    op.drop_table("work_log")
    op.drop_index(op.f("ix_chases_case_id"), table_name="chases")
    op.drop_table("chases")
