"""No question lost to a crash: SIGKILL the real `run_bot.py serve` mid-flight, restart it.

The fake server holds every sendMessage for a few seconds, so when the bot is killed all
questions are fetched (and their getUpdates batch possibly confirmed) but none answered. After a
restart every question must be answered exactly once: the unhandled ones come back from
received_updates, and the redelivered copies from getUpdates are recognised and skipped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from devtools.fake_bot_api import TOKEN, FakeBotAPI, message_update
from tests.bot.conftest import ALLOWED

ROOT = Path(__file__).resolve().parents[2]
USERS = [ALLOWED + 1000 + i for i in range(8)]
LATE_USERS = [ALLOWED + 2000 + i for i in range(3)]


def start_bot(api: FakeBotAPI, db_url: str, var_dir: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.url,
        "DATABASE_URL": db_url,
        "VAR_DIR": str(var_dir),
        "ALLOWED_USER_IDS": ",".join(str(u) for u in USERS + LATE_USERS),
        "ADMIN_USER_IDS": "",
        "LOG_LEVEL": "DEBUG",
        "USER_RATE_PER_MINUTE": "1000",
    }
    return subprocess.Popen(
        [sys.executable, "run_bot.py", "serve", "--poll-timeout", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


def answered(api: FakeBotAPI, user: int) -> int:
    return len(api.sent("sendMessage", user))


def test_sigkill_mid_flight_then_restart_answers_each_question_once(
    tmp_path: Path, model_dir: Path, figures, db_url: str
) -> None:
    log = tmp_path / "bot.log"
    with FakeBotAPI() as api:
        api.hold["sendMessage"] = 4.0
        for user in USERS:
            api.add_update(message_update(user, "上半年州外到位资金增长多少"))
        bot = start_bot(api, db_url, model_dir, log)
        try:
            assert api.wait_for(lambda: api.pending_holds >= len(USERS), timeout=90), (
                log.read_text()
            )
            bot.send_signal(signal.SIGKILL)
            bot.wait(10)
        finally:
            if bot.poll() is None:
                bot.kill()
        time.sleep(api.hold["sendMessage"] + 0.5)
        assert sum(answered(api, u) for u in USERS) == 0  # killed before any reply went out
        lost_in_flight = len(api.abandoned)
        api.hold.clear()
        for user in LATE_USERS:  # questions arriving while the bot is down
            api.add_update(message_update(user, "外资到位多少"))
        bot = start_bot(api, db_url, model_dir, log)
        try:
            everyone = USERS + LATE_USERS
            assert api.wait_for(lambda: all(answered(api, u) for u in everyone), timeout=90)
            time.sleep(2.5)  # a few more polls: duplicates would show up now
            counts = {u: answered(api, u) for u in everyone}
            assert set(counts.values()) == {1}, counts
            started = time.monotonic()
            bot.send_signal(signal.SIGTERM)
            assert bot.wait(15) == 0
            stop_seconds = time.monotonic() - started
        finally:
            if bot.poll() is None:
                bot.kill()
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "re-processing" in text
    assert TOKEN.split(":", 1)[1] not in text
    assert stop_seconds < 10
    figures(
        "durability",
        f"[{db_url.split(':', 1)[0]}] SIGKILL with {lost_in_flight} replies in flight + "
        f"{len(LATE_USERS)} queued while down: "
        f"{len(everyone)} questions answered exactly once after restart; "
        f"SIGTERM stop took {stop_seconds:.1f}s",
    )


def test_rejected_token_gives_one_line_without_the_token(tmp_path: Path, model_dir: Path) -> None:
    bad_token = "42:WRONGsecretXYZ0123456789"
    with FakeBotAPI() as api:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": bad_token,
            "TELEGRAM_API_BASE_URL": api.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bad.db'}",
            "VAR_DIR": str(model_dir),
            "LOG_LEVEL": "DEBUG",
        }
        done = subprocess.run(
            [sys.executable, "run_bot.py", "serve"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    (tmp_path / "serve.log").write_text(done.stderr + done.stdout, encoding="utf-8")  # token scan
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("Bot API 拒绝了 TELEGRAM_BOT_TOKEN")
    assert "WRONGsecret" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
