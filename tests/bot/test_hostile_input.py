"""Hostile input through every handler: no exception escapes, replies stay valid and bounded."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.commands import COMMANDS
from bot.handlers import handle
from bot.incoming import Incoming
from bot.render import render
from bot.services import build_services
from db.models import QuestionLog
from tests.bot.conftest import ADMIN, ALLOWED, make_settings

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


@pytest.fixture(scope="module")
def hostile_services(tmp_path_factory: pytest.TempPathFactory, model_dir):
    folder = tmp_path_factory.mktemp("hostile")
    services = build_services(make_settings(f"sqlite:///{folder / 'h.db'}", model_dir))
    yield services
    services.close()


def check_reply(reply) -> None:
    chunks = render(reply).chunks
    assert chunks and all(len(c) <= 4096 for c in chunks)
    assert all("<" not in c and ">" not in c for c in chunks)
    for row in render(reply).keyboard:
        assert all(len(b.data.encode()) <= 64 for b in row)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_free_text(hostile_services, text: str) -> None:
    started = time.perf_counter()
    check_reply(handle(Incoming(user_id=ALLOWED, chat_id=ALLOWED, text=text), hostile_services))
    assert time.perf_counter() - started < 5


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    command=st.sampled_from([n for c in COMMANDS for n in c.names] + ["x", "zb@bot", "ZB"]),
    args=st.lists(TEXT, max_size=3),
    admin=st.booleans(),
)
def test_commands(hostile_services, command: str, args: list[str], admin: bool) -> None:
    user = ADMIN if admin else ALLOWED
    incoming = Incoming(user_id=user, chat_id=user, command=command, args=args, is_admin=admin)
    check_reply(handle(incoming, hostile_services))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(TEXT, st.from_regex(r"1\|(src|rel|fb|sg|ex|zb|it|doc|p)\|[-\w|+]{0,20}")))
def test_callbacks(hostile_services, data: str) -> None:
    incoming = Incoming(user_id=ALLOWED, chat_id=ALLOWED, callback=data)
    check_reply(handle(incoming, hostile_services))


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
