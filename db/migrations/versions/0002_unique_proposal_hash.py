"""proposals.content_hash unique

Two staff submitting the same proposal at the same instant both passed the "already stored?"
check; only a unique index makes the database refuse the second copy.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 22:30:00
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_proposals = sa.table(
    "proposals",
    sa.column("id", sa.Integer),
    sa.column("content_hash", sa.String),
    sa.column("duplicate_of_id", sa.Integer),
)


def _separate_existing_copies() -> None:
    """Give copies stored before the index a distinct hash, keeping them as duplicates.

    No row is deleted: a later copy keeps its history and points at the first one.
    """
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_proposals.c.id, _proposals.c.content_hash).order_by(_proposals.c.id)
    ).all()
    first: dict[str, int] = {}
    for pid, content_hash in rows:
        if content_hash not in first:
            first[content_hash] = pid
            continue
        bind.execute(
            _proposals.update()
            .where(_proposals.c.id == pid)
            .values(
                content_hash=hashlib.sha256(f"{content_hash}#{pid}".encode()).hexdigest(),
                duplicate_of_id=sa.func.coalesce(
                    _proposals.c.duplicate_of_id, first[content_hash]
                ),
            )
        )


def upgrade() -> None:
    _separate_existing_copies()
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_content_hash"))
        batch_op.create_index(
            batch_op.f("ix_proposals_content_hash"), ["content_hash"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposals_content_hash"))
        batch_op.create_index(
            batch_op.f("ix_proposals_content_hash"), ["content_hash"], unique=False
        )
