"""Within Telegram's limits and fair: a fake Bot API that answers 429 past them sees none.

The fake enforces 30 messages in any second, one a second per chat. A burst from many chats
drains at close to 30 replies a second without a single 429, and a chat that asks once is not
served after another chat's backlog.
"""

from __future__ import annotations

import itertools

from bot.telegram.delivery import DeliveryPolicy
from devtools.fake_bot_api import FakeBotAPI, message_update
from tests.bot.conftest import RunningBot, until

QUESTION = "上半年州外到位资金增长多少"
BACKLOG_CHAT = 7001
BACKLOG = 12
SINGLES = list(range(7100, 7400))


def drain_rate(stamps: list[float]) -> float:
    """Replies a second between the first and the last reply."""
    stamps = sorted(stamps)
    return (len(stamps) - 1) / (stamps[-1] - stamps[0])


async def test_a_burst_drains_at_telegrams_rate_without_429s_and_fairly(
    make_services, figures
) -> None:
    with FakeBotAPI(light=True, limits=True) as api:
        users = [BACKLOG_CHAT, *SINGLES]
        services = make_services(
            telegram_api_base_url=api.url, allowed_user_ids=users, user_rate_per_minute=100
        )
        for _ in range(BACKLOG):  # one chat's backlog arrives first ...
            api.add_update(message_update(BACKLOG_CHAT, QUESTION))
        for user in SINGLES:  # ... then many chats asking once
            api.add_update(message_update(user, QUESTION))
        policy = DeliveryPolicy(poll_timeout=1, backoff_base=0.05, backoff_max=0.5)
        async with RunningBot(services, policy):
            await until(lambda: len(api.sent("sendMessage")) >= len(SINGLES) + BACKLOG, 120)
        sent = api.sent("sendMessage")
        assert api.limits is not None
        rejected = api.limits.rejected
        limited = [(c.params["chat_id"], c.at) for c in api.calls if c.status == 429]
    singles_done = max(c.at for c in sent if int(c.params["chat_id"]) != BACKLOG_CHAT)
    backlog = sorted(c.at for c in sent if int(c.params["chat_id"]) == BACKLOG_CHAT)
    # The backlog chat cannot go faster than one a second; the drain is the other chats'.
    rate = drain_rate([c.at for c in sent if int(c.params["chat_id"]) != BACKLOG_CHAT])
    assert rejected == 0, [(chat, round(at - sent[0].at, 3)) for chat, at in limited]
    assert rate >= 27, rate
    # Fair: the chats that asked once are all served while the backlog is still going out
    # (at one a second), not after it.
    assert singles_done < backlog[-1]
    assert min(b - a for a, b in itertools.pairwise(backlog)) >= 1.0
    figures(
        "throughput",
        f"one worker, {len(sent)} replies ({BACKLOG} from one chat first, then "
        f"{len(SINGLES)} chats once): {rate:.1f} replies/s, 429s {rejected}",
    )
