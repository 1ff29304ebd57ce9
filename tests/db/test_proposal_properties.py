"""Property, on SQLite and PostgreSQL: any sequence of workflow requests keeps a proposal and
its history consistent.

A small model of the documented rules predicts each answer; the database must agree, record
exactly one event per accepted change and nothing at all for a refused one. The database is
fresh per test (db_url) and shared by its examples, so each example works on its own proposal.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from db import proposals as store
from db.models import Proposal, ProposalEvent

RECEIVED = dt.date(2021, 3, 1)
REFUSED = "refused"
SERIAL = itertools.count()
REQUESTS = st.one_of(
    st.tuples(st.just("status"), st.sampled_from([*store.STATUSES, "未知"])),
    st.tuples(st.just("assignee"), st.sampled_from(["张三", "李四", "  ", " 张三 "])),
    st.tuples(st.just("outcome"), st.sampled_from(["A", "b", " c ", "D", "E", ""])),
)


@dataclass
class Model:
    """What the rules say a proposal looks like after each request."""

    topic: str
    today: dt.date
    status: str = store.RECEIVED
    assignee: str | None = None
    outcome: str | None = None
    events: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def apply(self, kind: str, value: str) -> str | None:
        """Apply one request; return REFUSED or None."""
        if kind == "status":
            allowed = value in store.TRANSITIONS.get(self.status, ())
            if value == store.RETURNED:
                late = (self.today - RECEIVED).days > store.RETURN_WINDOW_DAYS
                allowed = allowed and self.topic == store.OUT_OF_SCOPE_TOPIC and not late
            if not allowed:
                return REFUSED
            self.events.append(("status", self.status, value))
            self.status = value
        elif kind == "assignee":
            name = value.strip()
            if not name:
                return REFUSED
            if name != self.assignee:
                self.events.append(("assignee", self.assignee, name))
                self.assignee = name
        else:
            grade = value.strip().upper()
            if grade not in store.OUTCOMES or self.status == store.RETURNED:
                return REFUSED
            if grade != self.outcome:
                self.events.append(("outcome", self.outcome, grade))
                self.outcome = grade
        return None


def request(session, pid: int, kind: str, value: str, today: dt.date) -> None:
    if kind == "status":
        store.set_status(session, pid, value, actor="t", today=today)
    elif kind == "assignee":
        store.set_assignee(session, pid, value, actor="t")
    else:
        store.set_outcome(session, pid, value, actor="t")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    topic=st.sampled_from(["项目落地", store.OUT_OF_SCOPE_TOPIC]),
    days=st.integers(0, 20),
    requests=st.lists(REQUESTS, max_size=8),
)
def test_any_request_sequence_keeps_the_history_consistent(
    sessions, topic: str, days: int, requests: list[tuple[str, str]]
) -> None:
    serial = next(SERIAL)
    with sessions.begin() as session:
        pid = store.add_proposal(
            session,
            text=f"建议{serial}",
            content_hash=f"prop-{serial}",
            topic=topic,
            received=RECEIVED,
            actor="t",
        ).id
    model = Model(topic=topic, today=RECEIVED + dt.timedelta(days=days))
    model.events.append(("status", None, store.RECEIVED))
    for kind, value in requests:
        predicted = model.apply(kind, value)
        try:
            with sessions.begin() as session:  # one request, one transaction, as the bot does
                request(session, pid, kind, value, model.today)
        except store.ProposalError as exc:
            assert predicted == REFUSED, (kind, value, str(exc))
            assert str(exc)
        else:
            assert predicted is None, (kind, value)
    with sessions() as session:
        proposal = session.get(Proposal, pid)
        assert (proposal.status, proposal.assignee, proposal.outcome) == (
            model.status,
            model.assignee,
            model.outcome,
        )
        history = select(ProposalEvent).where(ProposalEvent.proposal_id == pid)
        events = session.scalars(history.order_by(ProposalEvent.id)).all()
    assert [(e.field, e.old, e.new) for e in events] == model.events
