"""proposal office: metadata, 承办方式, reply date, satisfaction, remark

What the proposal says about itself (role, 等N名, 界别/党派, session) is kept in columns the
台账 and the reply letter read; the reply date and the proposer's satisfaction follow 已答复.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("proposer_role", sa.String(length=20)),
    ("cosigners", sa.Integer()),
    ("sector", sa.String(length=100)),
    ("session", sa.String(length=100)),
    ("department", sa.String(length=50)),
    ("answered_date", sa.Date()),
    ("satisfaction", sa.String(length=10)),
    ("satisfaction_note", sa.Text()),
    ("remark", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        for name, type_ in _COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(
            sa.Column("handling", sa.String(length=4), nullable=False, server_default="主办")
        )


def downgrade() -> None:
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_column("handling")
        for name, _type in reversed(_COLUMNS):
            batch_op.drop_column(name)
