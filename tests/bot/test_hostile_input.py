"""Hostile input through every handler, on SQLite and PostgreSQL: no exception escapes,
replies stay valid and bounded, and each request writes exactly the rows it should.

The services (and their fresh database) are built once per test, not per Hypothesis example, so
every example compares row counts before and after instead of starting from an empty database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.commands import COMMANDS
from bot.handlers import handle
from bot.incoming import Incoming, clean_text
from bot.questions import EXAMPLES
from bot.render import render
from bot.services import Services
from db.models import Feedback, Proposal, ProposalEvent, QuestionLog
from tests.bot.conftest import ADMIN, ALLOWED

NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<b>粗</b>",
        "a_b*c",
        "[链接](http://x)",
        "`code`",
        "'; DROP TABLE question_log; --",
        '" OR 1=1 --',
        "\u202e反向\u202c",
        "\u200f",
        "\x00",
        "\x1b[31m",
        "🧧💰📈",
        "&amp;",
        "州外到位资金",
        "\ud7ff",
        "ﾊﾝｶｸ",
        "１２３％",
        "\r\n",
    ]
)
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=40)), max_size=12).map("".join)


# One database per test (both backends), shared by that test's examples.
EXAMPLE_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def hostile_services(db_url: str, make_services) -> Services:
    """Real services over a fresh database, with one logged question to press buttons on."""
    services = make_services(db_url=db_url)
    handle(Incoming(user_id=ALLOWED, chat_id=ALLOWED, text=EXAMPLES[0]), services)
    return services


@dataclass(frozen=True)
class Rows:
    """Row counts of the tables a request may write."""

    questions: int
    feedback: int
    proposals: int
    events: int


def rows(services: Services) -> Rows:
    with services.sessions() as session:

        def count(model: type) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        return Rows(count(QuestionLog), count(Feedback), count(Proposal), count(ProposalEvent))


def last_question(services: Services) -> str:
    with services.sessions() as session:
        return session.scalars(select(QuestionLog.text).order_by(QuestionLog.id.desc())).first()


def check_reply(reply) -> None:
    chunks = render(reply).chunks
    assert chunks and all(len(c) <= 4096 for c in chunks)
    assert all("<" not in c and ">" not in c for c in chunks)
    for row in render(reply).keyboard:
        assert all(len(b.data.encode()) <= 64 for b in row)


@EXAMPLE_SETTINGS
@given(text=TEXT)
def test_free_text(hostile_services: Services, text: str) -> None:
    before = rows(hostile_services)
    started = time.perf_counter()
    check_reply(handle(Incoming(user_id=ALLOWED, chat_id=ALLOWED, text=text), hostile_services))
    assert time.perf_counter() - started < 5
    after = rows(hostile_services)
    cleaned = clean_text(text).strip()
    # Exactly one log row per non-empty message, holding what was asked (cleaned), never two.
    assert after.questions - before.questions == (1 if cleaned else 0)
    if cleaned:
        assert last_question(hostile_services) == cleaned[:4000]
    # A pasted proposal is stored at most once, with its one creation event.
    assert after.proposals - before.proposals in (0, 1)
    assert after.events - before.events == after.proposals - before.proposals
    assert after.feedback == before.feedback


@EXAMPLE_SETTINGS
@given(
    command=st.sampled_from([n for c in COMMANDS for n in c.names] + ["x", "zb@bot", "ZB"]),
    args=st.lists(TEXT, max_size=3),
    admin=st.booleans(),
)
def test_commands(hostile_services: Services, command: str, args: list[str], admin: bool) -> None:
    user = ADMIN if admin else ALLOWED
    incoming = Incoming(user_id=user, chat_id=user, command=command, args=args, is_admin=admin)
    before = rows(hostile_services)
    check_reply(handle(incoming, hostile_services))
    assert rows(hostile_services) == before  # commands only read (no proposal exists here)


@settings(EXAMPLE_SETTINGS, max_examples=80)
@given(data=st.one_of(TEXT, st.from_regex(r"1\|(src|rel|fb|sg|ex|zb|it|doc|p)\|[-\w|+]{0,20}")))
def test_callbacks(hostile_services: Services, data: str) -> None:
    before = rows(hostile_services)
    incoming = Incoming(user_id=ALLOWED, chat_id=ALLOWED, callback=data)
    check_reply(handle(incoming, hostile_services))
    after = rows(hostile_services)
    assert after.questions - before.questions in (0, 1)  # an example or suggestion is asked
    assert after.feedback - before.feedback in (0, 1)
    assert after.feedback <= after.questions  # one voter: at most one vote per question
    assert (after.proposals, after.events) == (before.proposals, before.events)


@pytest.mark.parametrize("text", ["\x00外资\x00", "\ud800外资", "外资\udfff到位"])
def test_nul_and_lone_surrogates_are_dropped_before_storage(hostile_services, text: str) -> None:
    reply = handle(Incoming(user_id=ALLOWED, chat_id=ALLOWED, text=text), hostile_services)
    check_reply(reply)
    with hostile_services.sessions() as session:
        stored = session.scalars(select(QuestionLog.text).order_by(QuestionLog.id.desc())).first()
    assert "\x00" not in stored and stored.encode("utf-8")


def test_one_megabyte_gets_a_size_message_fast(hostile_services) -> None:
    with hostile_services.sessions() as session:
        before = session.scalar(select(func.count()).select_from(QuestionLog))
    started = time.perf_counter()
    reply = handle(Incoming(user_id=ALLOWED, text="资" * 1_000_000), hostile_services)
    assert time.perf_counter() - started < 1.0
    assert "内容过长" in reply.text
    with hostile_services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(QuestionLog)) == before
