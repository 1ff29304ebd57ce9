"""Migrations and models agree, and 0002 keeps copies stored before the unique hash."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import column, insert, select, table
from sqlalchemy.exc import IntegrityError

from db.engine import make_engine
from db.migrate import alembic_config
from db.models import Base, Proposal


def test_models_match_the_migrated_schema(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def _row(pid: int, content_hash: str) -> dict:
    return {
        "id": pid,
        "kind": "提案",
        "title": "t",
        "text": "建议",
        "content_hash": content_hash,
        "triage": {},
        "received_date": dt.date(2021, 3, 1),
        "due_date": dt.date(2021, 6, 1),
        "status": "收到",
        "created_at": dt.datetime(2021, 3, 1),
        "updated_at": dt.datetime(2021, 3, 1),
    }


def _upgrade(url: str, revision: str, *rows: dict):
    """Migrate to `revision`, then insert `rows` as that schema allows; return the engine."""
    engine = make_engine(url)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if rows:
            conn.execute(insert(_v1_proposals()), list(rows))
    return engine


def _v1_proposals():
    """The proposals table as 0001 made it (later columns do not exist yet)."""
    columns = Proposal.__table__.c
    return table("proposals", *[column(name, columns[name].type) for name in _row(0, "")])


def test_0002_keeps_earlier_copies_and_then_refuses_new_ones(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    _upgrade(url, "0001", _row(1, "h" * 64), _row(2, "h" * 64)).dispose()
    engine = _upgrade(url, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            select(Proposal.id, Proposal.content_hash, Proposal.duplicate_of_id).order_by(
                Proposal.id
            )
        ).all()
    assert [r.id for r in rows] == [1, 2]
    assert rows[0].content_hash == "h" * 64 and rows[0].duplicate_of_id is None
    assert rows[1].content_hash != "h" * 64 and rows[1].duplicate_of_id == 1
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(Proposal.__table__), [_row(3, "h" * 64)])
    engine.dispose()


def test_0004_gives_earlier_proposals_the_default_handling(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'm4.db'}"
    _upgrade(url, "0002", _row(1, "a" * 64)).dispose()
    engine = _upgrade(url, "head")
    with engine.connect() as conn:
        row = conn.execute(select(Proposal.handling, Proposal.satisfaction)).one()
    engine.dispose()
    assert (row.handling, row.satisfaction) == ("主办", None)
