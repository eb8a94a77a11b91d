"""typed attributes: what a registry's mapping declares beyond the canonical fields (a risk grade, counts per
inspection), stored as JSON per row so that a new source needs no schema change

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("subjects", "licences", "licence_events")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("attributes", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("attributes")
