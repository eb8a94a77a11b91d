"""lawful renewal: the holder's consent, the approver's decision, the renewed term and the electronic licence

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 00:30:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_COLUMNS: dict[str, sa.types.TypeEngine[Any]] = {
    "consent": sa.String(),
    "consent_deadline": sa.Date(),
    "consent_at": sa.DateTime(timezone=True),
    "decided_at": sa.DateTime(timezone=True),
    "new_expires_on": sa.Date(),
    "materials_received": sa.JSON(),
}


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name, kind in CASE_COLUMNS.items():
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    op.create_table(
        "e_licences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence_no", sa.String(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("verification_code", sa.String(), nullable=False),
        sa.Column("validity_reference", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id"),
        sa.UniqueConstraint("verification_code"),
    )
    op.create_index(op.f("ix_e_licences_licence_no"), "e_licences", ["licence_no"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_e_licences_licence_no"), table_name="e_licences")
    op.drop_table("e_licences")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name in reversed(CASE_COLUMNS):
            batch_op.drop_column(name)
