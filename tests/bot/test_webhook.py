"""Webhook mode: the secret token is required, updates are stored before 200, redeliveries skip."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx

from bot.telegram import app as telegram_app
from bot.telegram.delivery import DeliveryPolicy
from bot.telegram.webhook import SECRET_HEADER, run_webhook
from db import bot_records
from devtools.fake_bot_api import FakeBotAPI, message_json
from tests.bot.conftest import ALLOWED, until

SECRET = "s3cret-Token_for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_secret_storage_and_redelivery(
    make_services, fake_api: FakeBotAPI, db_url: str
) -> None:
    services = make_services(db_url=db_url, telegram_api_base_url=fake_api.url)
    policy = DeliveryPolicy(poll_timeout=1, overall_max_rate=0, read_timeout=2)
    application = telegram_app.build_application(services.settings, services, policy)
    await telegram_app.start(application, services)
    dispatcher = telegram_app.dispatcher_for(application, services)
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg-hook"
    stop = asyncio.Event()
    task = asyncio.ensure_future(run_webhook(dispatcher, url, "127.0.0.1", port, SECRET, stop))
    try:
        await until(lambda: fake_api.webhook.get("url") == url)
        assert fake_api.webhook["secret_token"] == SECRET
        body = {"update_id": 500, "message": message_json(ALLOWED, "外资到位多少")}
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, json=body)
            wrong = await client.post(url, json=body, headers={SECRET_HEADER: "nope"})
            assert (missing.status_code, wrong.status_code) == (403, 403)
            await asyncio.sleep(0.3)
            assert fake_api.sent("sendMessage") == []
            with services.sessions() as session:
                assert not bot_records.is_handled(session, 500)
            ok = await client.post(url, content=json.dumps(body), headers={SECRET_HEADER: SECRET})
            assert ok.status_code == 200
            await until(lambda: fake_api.sent("sendMessage", ALLOWED))
            await until(lambda: _handled(services, 500))
            again = await client.post(url, json=body, headers={SECRET_HEADER: SECRET})
            assert again.status_code == 200
            bad = await client.post(url, content=b"{not json", headers={SECRET_HEADER: SECRET})
            assert bad.status_code == 200  # set aside, so Telegram does not resend it
        await asyncio.sleep(0.5)
        assert len(fake_api.sent("sendMessage", ALLOWED)) == 1  # the redelivery was skipped
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await telegram_app.stop(application)


def _handled(services, update_id: int) -> bool:
    with services.sessions() as session:
        return bot_records.is_handled(session, update_id)


def test_serve_webhook_cli(tmp_path, model_dir) -> None:
    """`run_bot.py serve --webhook URL --listen HOST --port N` registers, checks and answers."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from devtools.fake_bot_api import TOKEN

    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    with FakeBotAPI() as api:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}",
            "VAR_DIR": str(model_dir),
            "ALLOWED_USER_IDS": str(ALLOWED),
            "WEBHOOK_SECRET": SECRET,
            "LOG_LEVEL": "DEBUG",
        }
        args = ["serve", "--webhook", url, "--listen", "127.0.0.1", "--port", str(port)]
        bot = subprocess.Popen(
            [sys.executable, "run_bot.py", *args],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert api.wait_for(lambda: api.webhook.get("url") == url, timeout=60)
            body = {"update_id": 7, "message": message_json(ALLOWED, "外资到位多少")}
            assert httpx.post(url, json=body).status_code == 403
            ok = httpx.post(url, json=body, headers={SECRET_HEADER: SECRET})
            assert ok.status_code == 200
            assert api.wait_for(lambda: api.sent("sendMessage", ALLOWED), timeout=20)
            bot.send_signal(signal.SIGTERM)
            started = time.monotonic()
            assert bot.wait(15) == 0 and time.monotonic() - started < 10
        finally:
            if bot.poll() is None:
                bot.kill()
            log = bot.stderr.read() if bot.stderr else ""
    (tmp_path / "serve.log").write_text(log, encoding="utf-8")  # for the whole-run token scan
    assert TOKEN.split(":", 1)[1] not in log and SECRET not in log
