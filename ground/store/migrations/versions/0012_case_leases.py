"""case leases: which pre-fill round holds a case and until when, so that several workers on one matter take
disjoint cases and a killed worker's cases go to another once its leases run out

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("claimed_by", sa.String(), nullable=True))
    op.add_column("cases", sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_cases_claimed_by", "cases", ["claimed_by"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cases_claimed_by", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("claimed_by")
