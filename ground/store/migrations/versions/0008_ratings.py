"""ratings: 好差评 by SMS reply, one per case, and the follow-up (整改, 回访) of a poor one

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-14 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("mobile", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unreadable_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id"),
    )
    op.create_table(
        "rating_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("township", sa.String(), nullable=True),
        sa.Column("officer", sa.String(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("called_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("called_back_by", sa.String(), nullable=True),
        sa.Column("callback_note", sa.Text(), nullable=True),
        sa.Column("rectification", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["rating_id"], ["ratings.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rating_id"),
    )
    op.create_index(op.f("ix_rating_follow_ups_case_id"), "rating_follow_ups", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_rating_follow_ups_case_id"), table_name="rating_follow_ups")
    op.drop_table("rating_follow_ups")
    op.drop_table("ratings")
