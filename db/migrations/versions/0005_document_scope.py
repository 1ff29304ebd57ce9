"""Document identity and figure scope

Every figure now says which place, year and months it is about and what kind of figure it is;
every document says what it reports on and how citations name it. Documents stored before
this revision keep NULL scope until they are ingested again; readers treat a NULL place as the
document's subject and a NULL year as the document's year.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("period_year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("period_start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("period_end", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("genre", sa.String(length=20), nullable=False, server_default="other")
        )
        batch.add_column(
            sa.Column("display_name", sa.String(length=300), nullable=False, server_default="")
        )
        batch.create_index("ix_documents_subject", ["subject"])
        batch.create_index("ix_documents_display_name", ["display_name"])
    with op.batch_alter_table("indicators") as batch:
        batch.add_column(sa.Column("place", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("month_start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("month_end", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="actual")
        )


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        for name in ("kind", "month_end", "month_start", "year", "place"):
            batch.drop_column(name)
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_display_name")
        batch.drop_index("ix_documents_subject")
        for name in ("display_name", "genre", "period_end", "period_start", "period_year",
                     "subject"):
            batch.drop_column(name)
