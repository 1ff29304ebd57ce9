"""Limits shared by workers: one user budget and one send pace, whichever worker asks."""

from __future__ import annotations

import asyncio
import itertools
import time

from bot.access import Verdict
from bot.shared_limits import SharedThrottle
from bot.telegram.pacing import LocalPacer, Pace, SharedPacer, is_paced


def test_two_workers_spend_one_user_budget(sessions) -> None:
    clock = lambda: 1000.0  # noqa: E731
    one = SharedThrottle(sessions, "user", 2, clock)
    two = SharedThrottle(sessions, "user", 2, clock)
    verdicts = [one.take(7), two.take(7), one.take(7), two.take(7)]
    assert verdicts == [Verdict.ALLOW, Verdict.ALLOW, Verdict.DENY_NOTIFY, Verdict.DENY_SILENT]
    assert SharedThrottle(sessions, "refusal", 2, clock).take(7) is Verdict.ALLOW  # own budget
    later = SharedThrottle(sessions, "user", 2, lambda: 1030.0)  # half a minute: one token back
    assert later.take(7) is Verdict.ALLOW and later.take(7) is Verdict.DENY_NOTIFY


async def test_two_shared_pacers_space_sends_to_one_chat_and_overall(sessions) -> None:
    pace = Pace(overall=0.1, private=0.4, group=0.8)
    with sessions() as session:
        engine = session.get_bind()
    workers = [SharedPacer(engine, pace), SharedPacer(engine, pace)]
    stamps: list[tuple[int, float]] = []

    async def send(pacer: SharedPacer, chat: int) -> None:
        await pacer.chat_turn(chat)
        await pacer.send_turn(chat)
        stamps.append((chat, time.time()))

    async def one_chat() -> None:  # a chat's messages go one after another, by either worker
        for i in range(3):
            await send(workers[i % 2], 5)

    await asyncio.gather(one_chat(), *(send(workers[i % 2], 100 + i) for i in range(6)))
    for pacer in workers:
        pacer.close()
    # Wake-ups jitter by a few milliseconds (hence Pace's margin in production).
    times = sorted(t for _c, t in stamps)
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.08
    same_chat = sorted(t for c, t in stamps if c == 5)
    assert min(b - a for a, b in itertools.pairwise(same_chat)) >= 0.38


async def test_local_pacer_lets_other_chats_through_while_one_waits() -> None:
    pacer = LocalPacer(Pace(overall=0.01, private=0.5, group=1.0))
    done: list[int] = []

    async def send(chat: int) -> None:
        await pacer.chat_turn(chat)
        await pacer.send_turn(chat)
        done.append(chat)

    await asyncio.gather(*(send(c) for c in (1, 1, 1, 2, 3, 4)))
    assert done[-2:] == [1, 1] and set(done[:4]) == {1, 2, 3, 4}


def test_only_message_sends_are_paced() -> None:
    assert is_paced("sendMessage") and is_paced("sendDocument") and is_paced("copyMessage")
    assert not is_paced("sendChatAction") and not is_paced("answerCallbackQuery")
    assert Pace.of(30, 20).chat(-100) > Pace.of(30, 20).chat(5) >= 1.0
