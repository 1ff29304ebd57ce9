"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike.

Several workers may insert the same key at the same instant; the database, not a prior
SELECT, must decide which one wins, and the loser must not fail its transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_name(db: Session | Connection) -> str:
    """Name the database behind a session or a connection ("sqlite", "postgresql")."""
    bind = db.get_bind() if isinstance(db, Session) else db
    return bind.dialect.name


def insert_ignore(
    session: Session, model: type, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> int:
    """Insert the rows whose `keys` are not taken yet; return how many were inserted."""
    if not rows:
        return 0
    dialect = dialect_name(session)
    module = postgresql if dialect == "postgresql" else sqlite
    table = model.__table__  # type: ignore[attr-defined]
    # Rows returned, not rowcount: psycopg reports -1 for a skipped ON CONFLICT row.
    statement = (
        module.insert(table)
        .on_conflict_do_nothing(index_elements=list(keys))
        .returning(table.c[keys[0]])
    )
    return sum(len(session.execute(statement.values(**row)).all()) for row in rows)


def insert_ignore_all(
    session: Session | Connection,
    model: type,
    rows: Sequence[dict[str, Any]],
    keys: Sequence[str],
) -> None:
    """Insert the rows whose `keys` are not taken yet, in one statement (no count)."""
    if not rows:
        return
    dialect = dialect_name(session)
    module = postgresql if dialect == "postgresql" else sqlite
    table = model.__table__  # type: ignore[attr-defined]
    statement = module.insert(table).on_conflict_do_nothing(index_elements=list(keys))
    if len(rows) == 1:  # the single-row form is compiled once and cached
        session.execute(statement.values(**rows[0]))
    else:
        session.execute(statement.values(list(rows)))
